/**
 * Step one of loading: the document's shape. Validation is two-step for clear messages: each task's
 * `type` is looked up in the orchestrator factory first, then the task is validated with that type's
 * own schema (never a union of all types), and nested tasks are validated the same way, recursively.
 * Every problem is collected, each at its document path.
 */
import { z } from 'zod';
import { findOrchestrator, taskTypes } from '../orchestrators/factory';
import type { Orchestrator } from '../contract/orchestrator';
import {
  DEFAULT_TASK_TYPE,
  documentFields,
  taskShape,
  taskVariant,
  type TaskDocument,
  type WorkflowDocument,
} from './schema';
import { parseWithProblems, preview, type FinalParams, type Problem } from './issues';
import { didYouMean } from '../contract/suggest';

/**
 * The schema put where a type's fields hold a nested task: validates it in two steps (type, then
 * that type's schema) and reports its problems at paths relative to it.
 */
export const nestedTask: z.ZodType<TaskDocument> = z.unknown().transform((value, ctx) => {
  const result = validateTask(value);
  if (result.ok) return result.task;
  for (const p of result.problems) {
    const params: FinalParams = {
      flowstate: { anchor: p.anchor, ...(p.notATask ? { notATask: true } : {}) },
    };
    ctx.addIssue({ code: 'custom', message: p.message, path: [...p.path], params, input: value });
  }
  return z.NEVER;
});

const variants = new WeakMap<Orchestrator, ReturnType<typeof taskVariant>>();
const shapes = new WeakMap<Orchestrator, z.ZodRawShape>();

/** The schema of one type, with `nestedTask` for the tasks inside (cached per orchestrator). */
export function variantFor(orchestrator: Orchestrator): ReturnType<typeof taskVariant> {
  let schema = variants.get(orchestrator);
  if (!schema) variants.set(orchestrator, (schema = taskVariant(orchestrator, nestedTask)));
  return schema;
}

/** The fields of one type (common ones included), with `nestedTask` for nested tasks. */
export function shapeFor(orchestrator: Orchestrator): z.ZodRawShape {
  let shape = shapes.get(orchestrator);
  if (!shape) shapes.set(orchestrator, (shape = taskShape(orchestrator, nestedTask)));
  return shape;
}

const own = new WeakMap<Orchestrator, ReadonlySet<string>>();

/** The names of the type's own fields (besides the common ones). */
export function ownFields(orchestrator: Orchestrator): ReadonlySet<string> {
  let names = own.get(orchestrator);
  if (!names) own.set(orchestrator, (names = new Set(Object.keys(orchestrator.fields(nestedTask)))));
  return names;
}

type TaskResult =
  { ok: true; task: TaskDocument } | { ok: false; problems: Array<Problem & { notATask?: boolean }> };

/** Validate one task: its type against the factory, then its fields against that type's schema. */
export function validateTask(value: unknown): TaskResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const message = `a task must be a mapping with an id (and a type, default ${DEFAULT_TASK_TYPE}), not ${preview(value)}`;
    return { ok: false, problems: [{ path: [], anchor: 'value', message, notATask: true }] };
  }
  const type = (value as Record<string, unknown>).type ?? DEFAULT_TASK_TYPE;
  if (typeof type !== 'string') {
    const message = `type must be a task type name (${taskTypes().join(', ')}), not ${preview(type)}`;
    return { ok: false, problems: [{ path: ['type'], anchor: 'value', message }] };
  }
  const orchestrator = findOrchestrator(type);
  if (!orchestrator) {
    const hint = didYouMean(type, taskTypes());
    const message = `unknown task type '${type}'${hint || ` (known types: ${taskTypes().join(', ')})`}`;
    return { ok: false, problems: [{ path: ['type'], anchor: 'value', message }] };
  }
  const result = parseWithProblems(variantFor(orchestrator), value, `a ${type} task`);
  return result.ok ? { ok: true, task: result.data as TaskDocument } : result;
}

const documentValidator = z.strictObject(documentFields(nestedTask));

/** Validate a whole parsed document; tasks are validated one by one with their own type's schema. */
export function validateDocument(
  value: unknown,
): { ok: true; document: WorkflowDocument } | { ok: false; problems: Problem[] } {
  if (value === null || value === undefined) {
    return {
      ok: false,
      problems: [
        {
          path: [],
          anchor: 'value',
          message: 'the document is empty: a definition needs id, version and tasks',
        },
      ],
    };
  }
  const result = parseWithProblems(documentValidator, value, 'the definition');
  return result.ok ? { ok: true, document: result.data as WorkflowDocument } : result;
}
