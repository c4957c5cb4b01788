import { z } from 'zod';
import { Expression, withRole } from '../../dsl/common';
import { Strategy, type StrategyName } from '../parallel/schema';

const VarName = z.string().regex(/^[a-z_][a-z0-9_]*$/i, 'expected a variable name');

export const collectionFields = (task: z.ZodType) => ({
  items: Expression.describe('expression giving the array to iterate'),
  filter: Expression.optional().describe('expression on each item; false drops it'),
  item_var: withRole(VarName.default('item'), { role: 'variable', visibleIn: ['filter', 'key'] }),
  index_var: withRole(VarName.default('index'), { role: 'variable', visibleIn: ['filter', 'key'] }),
  key: Expression.optional().describe('expression naming each item in task paths; default item.id, item.name or the index'),
  mode: z.enum(['parallel', 'sequential']).default('parallel'),
  batch: z.number().int().min(1).optional().describe('most items in flight at once'),
  strategy: Strategy.default('wait_all'),
  // Each item runs the body in its own scope; nothing inside is visible after the collection.
  task: withRole(task.optional(), { role: 'tasks', runs: 'each', exported: false }),
  tasks: withRole(z.array(task).min(1).optional(), { role: 'tasks', runs: 'sequence', exported: false }),
});
export type CollectionSpec = {
  items: string;
  filter?: string;
  item_var: string;
  index_var: string;
  key?: string;
  mode: 'parallel' | 'sequential';
  batch?: number;
  strategy: StrategyName;
  /** After compilation: `single` when the body was `task`, `multi` when it was `tasks`. */
  body: 'single' | 'multi';
};

export function checkCollection(spec: { task?: unknown; tasks?: unknown }): string[] {
  if ((spec.task === undefined) === (spec.tasks === undefined))
    return ['a collection needs exactly one of task (one task per item) or tasks (a body of several)'];
  return [];
}
