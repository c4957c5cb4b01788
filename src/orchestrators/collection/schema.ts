import { z } from 'zod';
import { Expression, withRole } from '../../contract/fields';
import {
  Strategy,
  ToleratedFailures,
  type StrategyName,
  type ToleratedFailuresValue,
} from '../../contract/strategies';
import { checkTolerance } from '../shared';

const VarName = z.string().regex(/^[a-z_][a-z0-9_]*$/i, 'expected a variable name');

export const collectionFields = (task: z.ZodType) => ({
  items: Expression.optional().describe('expression giving the array to iterate (or items_from)'),
  items_from: z
    .union([
      z
        .object({
          tool: z
            .string()
            .min(1)
            .describe('a tool returning one page; its input is `with`, rendered with `cursor` in scope'),
          with: z.unknown().optional(),
          items: Expression.default('output.items').describe(
            'expression on `output` (the page) giving its items',
          ),
          cursor: Expression.default('output.next').describe(
            'expression on `output` giving the next cursor (null: no more pages)',
          ),
        })
        .strict(),
      z
        .object({
          signal: z.string().min(1).describe('each signal of this name brings one item (its payload)'),
          until: Expression.describe(
            'expression on `signal`: true ends the stream (that signal is not an item)',
          ),
        })
        .strict(),
    ])
    .optional()
    .describe('stream items from a paged source or from signals instead of `items`'),
  buffer: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('items_from: most items fetched and not yet handed out; default 1000'),
  reduce: Expression.optional().describe(
    'items_from: new accumulator from `acc` and `results` (the chunk outputs)',
  ),
  initial: z
    .unknown()
    .optional()
    .describe('items_from: the accumulator before the first chunk (default null)'),
  filter: Expression.optional().describe('expression on each item; false drops it'),
  item_var: withRole(VarName.default('item'), { role: 'variable', visibleIn: ['filter', 'key'] }),
  index_var: withRole(VarName.default('index'), { role: 'variable', visibleIn: ['filter', 'key'] }),
  key: Expression.optional().describe(
    'expression naming each item in task paths; default item.id, item.name or the index',
  ),
  mode: z.enum(['parallel', 'sequential']).default('parallel'),
  batch: z.number().int().min(1).optional().describe('most items in flight at once'),
  strategy: Strategy.default('wait_all'),
  tolerated_failures: ToleratedFailures.optional(),
  // Each item runs the body in its own scope; nothing inside is visible after the collection.
  task: withRole(task.optional(), { role: 'tasks', runs: 'each', exported: false }),
  tasks: withRole(z.array(task).min(1).optional(), { role: 'tasks', runs: 'sequence', exported: false }),
});
export type CollectionSpec = {
  items?: string;
  items_from?:
    { tool: string; with?: unknown; items: string; cursor: string } | { signal: string; until: string };
  buffer?: number;
  reduce?: string;
  initial?: unknown;
  filter?: string;
  item_var: string;
  index_var: string;
  key?: string;
  mode: 'parallel' | 'sequential';
  batch?: number;
  strategy: StrategyName;
  tolerated_failures?: ToleratedFailuresValue;
  /** After compilation: `single` when the body was `task`, `multi` when it was `tasks`. */
  body: 'single' | 'multi';
};

/**
 * A collection has a body (`task` or `tasks`, not both) and a source (`items` or `items_from`, not
 * both); `tolerated_failures` takes `items` and no strategy it contradicts.
 */
export function checkCollection(spec: {
  task?: unknown;
  tasks?: unknown;
  items?: unknown;
  items_from?: unknown;
  strategy?: unknown;
  tolerated_failures?: unknown;
}): string[] {
  const problems: string[] = [];
  if ((spec.task === undefined) === (spec.tasks === undefined))
    problems.push('a collection needs exactly one of task (one task per item) or tasks (a body of several)');
  if ((spec.items === undefined) === (spec.items_from === undefined))
    problems.push('a collection needs exactly one of items (an expression) or items_from (a paged source)');
  if (spec.tolerated_failures !== undefined && spec.items_from !== undefined)
    problems.push(
      'tolerated_failures needs items (the whole set is known, so a share of it is); a stream (items_from) ' +
        'counts its failures in its summary: use strategy: best_effort there',
    );
  return [...problems, ...checkTolerance(spec)];
}
