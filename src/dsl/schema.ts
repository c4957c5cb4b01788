/**
 * The workflow document schema. The task schema is assembled from a registry of task types: the
 * common fields plus each type's own `fields(task)`, so adding a type adds its validation. Nothing
 * here names a task type except the default one.
 */
import { z } from 'zod';
import { Template } from '../contract/fields';
import { commonTaskFields, Hook, TaskHooks } from './common';
import type { DocumentForm, Orchestrator } from '../contract/orchestrator';
import type { TaskTypeRegistry } from '../contract/registry';

/** The type of a task that does not say. */
export const DEFAULT_TASK_TYPE = 'basic';

/** Definition id: lowercase letters, digits and `-`. */
export const DefinitionId = z
  .string()
  .regex(/^[a-z0-9-]+$/, "expected an id of lowercase letters, digits and '-', e.g. parallel-analysis");

/** The regular expression semver.org publishes for a version (https://semver.org, section 2-11). */
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** A semantic version, e.g. `1.2.0` or `2.0.0-rc.1`. */
export const SemVer = z
  .string({
    // `version: 1.2` is a number in YAML: say how to write it.
    error: (iss) =>
      iss.input === undefined ? undefined : 'expected a semantic version such as 1.2.0, written as a string',
  })
  .regex(SEMVER, 'expected a semantic version such as 1.2.0 (major.minor.patch)');

/** The workflow input's JSON Schema (checked with ajv by the semantic checks). */
export const InputSchema = z
  .record(z.string(), z.unknown())
  .describe('JSON Schema of the workflow input, checked before the run starts');

/** The `type` field of a task of type `type` (`basic` may be left out). */
function typeField(type: string) {
  const literal = z.literal(type);
  return type === DEFAULT_TASK_TYPE ? literal.default(type) : literal;
}

/** Every field a task of this type takes: common fields, `type`, then the type's own fields. */
export function taskShape(orchestrator: Orchestrator, nested: z.ZodType): z.ZodRawShape {
  return { ...commonTaskFields, type: typeField(orchestrator.type), ...orchestrator.fields(nested) };
}

/**
 * The schema of one task type: a strict object (unknown fields rejected) plus the type's cross-field
 * `check`. `nested` is the schema used for tasks inside this one.
 */
export function taskVariant(orchestrator: Orchestrator, nested: z.ZodType) {
  return z
    .strictObject(taskShape(orchestrator, nested))
    .superRefine((fields, ctx) => {
      for (const message of orchestrator.check?.(fields) ?? []) ctx.addIssue({ code: 'custom', message });
    })
    .meta({ title: `${orchestrator.type} task`, description: orchestrator.summary });
}

/** Workflow-level hooks: the task hooks apply to every task (before the task's own); on_complete to the run. */
export const WorkflowHooks = TaskHooks.extend({ on_complete: Hook.optional() }).strict();

/** The fields every document has, given the schema of a task. */
function baseFields<T extends z.ZodType>(task: T, tasksNote = '') {
  return {
    id: DefinitionId.describe('the workflow id, e.g. parallel-analysis'),
    version: SemVer.describe('semantic version; a run is pinned to id@version and the content hash'),
    description: z.string().optional(),
    input: InputSchema.optional(),
    output: Template.optional().describe(
      'the run output (templates); default: the output of the last task run',
    ),
    // Required unless a document form stands for them (exactly one of the two: the loader checks it).
    tasks: z
      .array(task)
      .min(1, 'a workflow needs at least one task under tasks')
      .optional()
      .describe(`the tasks, in order${tasksNote}`),
    hooks: WorkflowHooks.optional().describe('hooks for every task, and on_complete for the run'),
  };
}

const BASE_FIELDS = new Set(Object.keys(baseFields(z.never())));

/**
 * The document's fields, given the schema of a task and the document forms of the task types (each
 * an optional field after `tasks`, e.g. spec-session's `dynamic`).
 */
export function documentFields<T extends z.ZodType>(task: T, forms: readonly DocumentForm[]): z.ZodRawShape {
  const note =
    forms.length === 0 ? '' : ` (required unless ${forms.map((f) => f.field).join(' or ')} is given)`;
  const { hooks, ...fields } = baseFields(task, note);
  return { ...fields, ...Object.fromEntries(forms.map((f) => [f.field, f.schema.optional()])), hooks };
}

/**
 * The document forms of a registry's types. Two types claiming one field, or a type claiming a field
 * every document has, is a mistake in the registry: it throws.
 */
export function documentForms(types: TaskTypeRegistry): DocumentForm[] {
  const owners = new Map<string, string>();
  const forms: DocumentForm[] = [];
  for (const { type, document } of types.list()) {
    if (!document) continue;
    const other = owners.get(document.field);
    if (BASE_FIELDS.has(document.field) || other !== undefined) {
      const taken = other !== undefined ? `task type '${other}' has it` : 'every definition has it';
      throw new Error(`task type '${type}' cannot add the document field '${document.field}': ${taken}`);
    }
    owners.set(document.field, type);
    forms.push(document);
  }
  return forms;
}

/** A validated task: the common fields, its type, and its type's own fields. */
export type TaskDocument = z.output<z.ZodObject<typeof commonTaskFields & { type: z.ZodString }>> & {
  [field: string]: unknown;
};

/**
 * A validated workflow document. One written in a document form (e.g. `dynamic`) has the one task
 * it stands for under `tasks`, besides the field itself.
 */
export type WorkflowDocument = Omit<
  z.output<z.ZodObject<ReturnType<typeof baseFields<z.ZodType<TaskDocument>>>>>,
  'tasks'
> & { tasks: TaskDocument[] };

interface Assembly {
  task: z.ZodType<TaskDocument>;
  document: z.ZodType<WorkflowDocument>;
}
const assemblies = new WeakMap<TaskTypeRegistry, Assembly>();

function assemble(types: TaskTypeRegistry): Assembly {
  const found = assemblies.get(types);
  if (found) return found;
  const members = types.list();
  const task: z.ZodType<TaskDocument> = z
    .lazy(() => {
      const variants = members.map((o) => taskVariant(o, task));
      type Variant = ReturnType<typeof taskVariant>;
      return variants.length === 0
        ? z.never()
        : z.discriminatedUnion('type', variants as [Variant, ...Variant[]]);
    })
    .meta({
      id: 'Task',
      title: 'Task',
      description: 'One task; `type` picks its fields (default basic).',
    }) as never;
  const document = z.strictObject(documentFields(task, documentForms(types))).meta({
    title: 'Flowstate workflow definition',
    description: 'A YAML workflow run by Flowstate on Temporal.',
  });
  const assembly: Assembly = { task, document: document as never };
  assemblies.set(types, assembly);
  return assembly;
}

/**
 * The recursive schema of any task: a union of every type's schema. Good for JSON Schema and as a
 * whole-document check; the loader validates task by task instead, for clearer messages.
 */
export function taskSchema(types: TaskTypeRegistry): z.ZodType<TaskDocument> {
  return assemble(types).task;
}

/** The schema of a whole workflow document whose tasks are of the registry's types. */
export function documentSchema(types: TaskTypeRegistry): z.ZodType<WorkflowDocument> {
  return assemble(types).document;
}
