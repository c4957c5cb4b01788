/**
 * Step one of loading: the document's shape. Validation is two-step for clear messages: each task's
 * `type` is looked up in the registry of task types first, then the task is validated with that
 * type's own schema (never a union of all types), and nested tasks are validated the same way,
 * recursively. Every problem is collected, each at its document path.
 */
import { z } from 'zod';
import type { Orchestrator } from '../contract/orchestrator';
import type { TaskTypeRegistry } from '../contract/registry';
import { didYouMean } from '../contract/suggest';
import {
  DEFAULT_TASK_TYPE,
  documentFields,
  documentForms,
  taskShape,
  taskVariant,
  type TaskDocument,
  type WorkflowDocument,
} from './schema';
import { parseWithProblems, preview, type FinalParams, type Problem } from './issues';

type TaskResult =
  { ok: true; task: TaskDocument } | { ok: false; problems: Array<Problem & { notATask?: boolean }> };

/**
 * Validation against one registry's task types. The schemas are built once per registry (see
 * `validatorFor`) and per type.
 */
export class Validator {
  /**
   * The schema put where a type's fields hold a nested task: validates it in two steps (type, then
   * that type's schema) and reports its problems at paths relative to it.
   */
  readonly nestedTask: z.ZodType<TaskDocument>;
  private readonly variants = new WeakMap<Orchestrator, ReturnType<typeof taskVariant>>();
  private readonly shapes = new WeakMap<Orchestrator, z.ZodRawShape>();
  private readonly own = new WeakMap<Orchestrator, ReadonlySet<string>>();
  private document?: z.ZodType;

  constructor(readonly types: TaskTypeRegistry) {
    this.nestedTask = z.unknown().transform((value, ctx) => {
      const result = this.validateTask(value);
      if (result.ok) return result.task;
      for (const p of result.problems) {
        const params: FinalParams = {
          flowstate: { anchor: p.anchor, ...(p.notATask ? { notATask: true } : {}) },
        };
        ctx.addIssue({ code: 'custom', message: p.message, path: [...p.path], params, input: value });
      }
      return z.NEVER;
    });
  }

  /** The schema of one type, with `nestedTask` for the tasks inside. */
  variantFor(orchestrator: Orchestrator): ReturnType<typeof taskVariant> {
    let schema = this.variants.get(orchestrator);
    if (!schema) this.variants.set(orchestrator, (schema = taskVariant(orchestrator, this.nestedTask)));
    return schema;
  }

  /** The fields of one type (common ones included), with `nestedTask` for nested tasks. */
  shapeFor(orchestrator: Orchestrator): z.ZodRawShape {
    let shape = this.shapes.get(orchestrator);
    if (!shape) this.shapes.set(orchestrator, (shape = taskShape(orchestrator, this.nestedTask)));
    return shape;
  }

  /** The names of the type's own fields (besides the common ones). */
  ownFields(orchestrator: Orchestrator): ReadonlySet<string> {
    let names = this.own.get(orchestrator);
    if (!names)
      this.own.set(orchestrator, (names = new Set(Object.keys(orchestrator.fields(this.nestedTask)))));
    return names;
  }

  /** Validate one task: its type against the registry, then its fields against that type's schema. */
  validateTask(value: unknown): TaskResult {
    const known = () => this.types.names().join(', ');
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      const message = `a task must be a mapping with an id (and a type, default ${DEFAULT_TASK_TYPE}), not ${preview(value)}`;
      return { ok: false, problems: [{ path: [], anchor: 'value', message, notATask: true }] };
    }
    const type = (value as Record<string, unknown>).type ?? DEFAULT_TASK_TYPE;
    if (typeof type !== 'string') {
      const message = `type must be a task type name (${known()}), not ${preview(type)}`;
      return { ok: false, problems: [{ path: ['type'], anchor: 'value', message }] };
    }
    const orchestrator = this.types.find(type);
    if (!orchestrator) {
      const hint = didYouMean(type, this.types.names());
      const message = `unknown task type '${type}'${hint || ` (known types: ${known()})`}`;
      return { ok: false, problems: [{ path: ['type'], anchor: 'value', message }] };
    }
    const result = parseWithProblems(this.variantFor(orchestrator), value, `a ${type} task`);
    return result.ok ? { ok: true, task: result.data as TaskDocument } : result;
  }

  /** Validate a whole parsed document; tasks are validated one by one with their own type's schema. */
  validateDocument(
    value: unknown,
  ): { ok: true; document: WorkflowDocument } | { ok: false; problems: Problem[] } {
    if (value === null || value === undefined) {
      const message = 'the document is empty: a definition needs id, version and tasks';
      return { ok: false, problems: [{ path: [], anchor: 'value', message }] };
    }
    this.document ??= z.strictObject(documentFields(this.nestedTask, documentForms(this.types)));
    const result = parseWithProblems(this.document, value, 'the definition');
    return result.ok ? { ok: true, document: result.data as WorkflowDocument } : result;
  }
}

const validators = new WeakMap<TaskTypeRegistry, Validator>();

/** The validator of a registry's task types (one per registry). */
export function validatorFor(types: TaskTypeRegistry): Validator {
  let validator = validators.get(types);
  if (!validator) validators.set(types, (validator = new Validator(types)));
  return validator;
}
