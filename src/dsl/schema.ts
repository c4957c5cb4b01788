/**
 * The workflow document schema. The task schema is assembled from a registry of task types: the
 * common fields plus each type's own `fields(task)`, so adding a type adds its validation. Nothing
 * here names a task type except the default one.
 */
import { z } from 'zod';
import { Expression, Template } from '../contract/fields';
import { commonTaskFields, Hook, TaskHooks } from './common';
import type { Orchestrator } from '../contract/orchestrator';
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

/**
 * `dynamic`: a spec-driven run whose phases come from a planning document (a tasks.md) parsed at run
 * start, instead of `tasks`. The loader expands it into one task (see `compile.ts`), reading the
 * template files relative to the definition file. See docs/spec-sessions.md.
 */
export const DynamicSource = z
  .strictObject({
    parser: z.string().min(1).default('spec-tasks').describe('registered source parser, e.g. spec-tasks'),
    source: z
      .union([
        Expression.describe('expression giving the document text, e.g. input.tasks_md'),
        z.strictObject({ file: z.string().min(1).describe('path on the worker (templates allowed)') }),
      ])
      .describe('the document: an expression giving its text, or { file } read on the worker at run start'),
    templates: z
      .strictObject({
        phase: z.string().min(1).optional().describe('template file for a phase, relative to the definition'),
        task: z.string().min(1).optional().describe('template file for a task, relative to the definition'),
      })
      .optional()
      .describe('template files ({{ }} JSONata); built-in defaults when left out'),
    title: z.string().optional().describe('session title (templates allowed); default: the document title'),
  })
  .describe('phases generated from a planning document, each completed through its validation gate');
export type DynamicDocument = z.output<typeof DynamicSource>;

/** Workflow-level hooks: the task hooks apply to every task (before the task's own); on_complete to the run. */
export const WorkflowHooks = TaskHooks.extend({ on_complete: Hook.optional() }).strict();

/** The document's own fields, given the schema of a task. */
export function documentFields<T extends z.ZodType>(task: T) {
  return {
    id: DefinitionId.describe('the workflow id, e.g. parallel-analysis'),
    version: SemVer.describe('semantic version; a run is pinned to id@version and the content hash'),
    description: z.string().optional(),
    input: InputSchema.optional(),
    output: Template.optional().describe(
      'the run output (templates); default: the output of the last task run',
    ),
    // Required unless `dynamic` is given (exactly one of the two: the loader checks it).
    tasks: z
      .array(task)
      .min(1, 'a workflow needs at least one task under tasks')
      .optional()
      .describe('the tasks, in order (required unless dynamic is given)'),
    dynamic: DynamicSource.optional(),
    hooks: WorkflowHooks.optional().describe('hooks for every task, and on_complete for the run'),
  };
}

/** A validated task: the common fields, its type, and its type's own fields. */
export type TaskDocument = z.output<z.ZodObject<typeof commonTaskFields & { type: z.ZodString }>> & {
  [field: string]: unknown;
};

/** A validated workflow document; a `dynamic` one has its one generated task under `tasks`. */
export type WorkflowDocument = Omit<
  z.output<z.ZodObject<ReturnType<typeof documentFields<z.ZodType<TaskDocument>>>>>,
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
  const document = z.strictObject(documentFields(task)).meta({
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
