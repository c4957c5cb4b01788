/**
 * Time control without a time-skipping server: a case's `time_scale` shortens every wait and timeout a
 * definition states, and `durations` sets chosen ones per task, on the compiled definition before the
 * run starts. Only durations are touched: the compiled millisecond fields (task timeout, heartbeat,
 * retry intervals, gate timeout) and the strings of a type's own fields whose schema is `Duration`,
 * found by walking the type's zod schema (the DSL's field walk), never by guessing from a string.
 */
import type { z } from 'zod';
import { Duration, durationMs } from '../contract/fields';
import type { CompiledDefinition, CompiledTask } from '../contract/compiled';
import { EXECUTION_DEFAULTS } from '../dsl/compile';
import type { TaskTypeRegistry } from '../contract/registry';
import { validatorFor } from '../dsl/validate';
import { childSchema, layers, optionFor } from '../dsl/zod-walk';
import { builtinTaskTypes } from '../orchestrators/registry';

/** A scaled activity timeout never goes below this: an activity needs time to be scheduled at all. */
export const MIN_ACTIVITY_TIMEOUT_MS = 1_000;
/** A scaled timer (wait, gate timeout, retry interval) never goes below this. */
export const MIN_TIMER_MS = 10;

export interface TimeControl {
  /** Multiply every stated duration by this (0.001: a thousand times faster). */
  scale?: { factor: number; text: string };
  /** Per task (id, or path of ids such as `develop/review`): field (`timeout`, `acceptance.timeout`...) → duration. */
  overrides?: Record<string, Record<string, string>>;
}

/** One duration changed, for the report. */
export interface TimeChange {
  /** Task id (its path of ids when nested), or `stub <name>` for a stub's delay. */
  task: string;
  field: string;
  fromMs: number;
  toMs: number;
  how: 'time_scale' | 'override';
  /** The scaled value was raised to the floor. */
  floored?: boolean;
  /** Set for one line standing for this many tasks that leave the field at its default. */
  defaults?: number;
}

export interface TimeProblem {
  /** The `durations` key (and field) the problem is about. */
  key: string;
  field?: string;
  message: string;
}

/** A duration field of one compiled task. */
interface Slot {
  field: string;
  ms: number;
  /** Written in the definition (not a compiled default). */
  stated: boolean;
  floor: number;
  set(ms: number): void;
}

/**
 * The definition with its durations scaled and overridden (a copy), what changed, and the problems
 * with `durations` (unknown task or field). `types` are the task types the definition uses.
 */
export function applyTimeControl(
  definition: CompiledDefinition,
  control: TimeControl,
  types: TaskTypeRegistry = builtinTaskTypes(),
): { definition: CompiledDefinition; changes: TimeChange[]; problems: TimeProblem[] } {
  const copy = JSON.parse(JSON.stringify(definition)) as CompiledDefinition;
  const tasks = allTasks(copy);
  const changes: TimeChange[] = [];
  const problems: TimeProblem[] = [];
  const overridden = new Set<string>();

  for (const [key, fields] of Object.entries(control.overrides ?? {})) {
    const found = findTask(tasks, key);
    if (typeof found === 'string') {
      problems.push({ key, message: found });
      continue;
    }
    const slots = slotsOf(found.task, types);
    for (const [field, value] of Object.entries(fields)) {
      const slot = slots.find((s) => s.field === field);
      if (!slot) {
        const known = slots.map((s) => s.field).join(', ');
        problems.push({
          key,
          field,
          message: `task '${found.path}' has no duration '${field}' to set (it has: ${known})`,
        });
        continue;
      }
      const toMs = durationMs(value);
      changes.push({ task: found.path, field, fromMs: slot.ms, toMs, how: 'override' });
      slot.set(toMs);
      overridden.add(`${found.path}\u0000${field}`);
    }
  }

  const factor = control.scale?.factor;
  if (factor !== undefined && factor !== 1) {
    const defaults: TimeChange[] = [];
    for (const { task, path } of tasks) {
      for (const slot of slotsOf(task, types)) {
        if (overridden.has(`${path}\u0000${slot.field}`)) continue;
        const scaled = Math.max(1, Math.round(slot.ms * factor));
        const toMs = Math.max(slot.floor, scaled);
        const change: TimeChange = {
          task: path,
          field: slot.field,
          fromMs: slot.ms,
          toMs,
          how: 'time_scale',
          ...(toMs > scaled ? { floored: true } : {}),
        };
        slot.set(toMs);
        (slot.stated ? changes : defaults).push(change);
      }
    }
    changes.push(...summariseDefaults(defaults));
  }
  return { definition: copy, changes, problems };
}

/** Scale a stub's delay like the definition's durations (no floor: a delay is only a sleep). */
export function scaledDelay(ms: number, factor: number | undefined): number {
  return factor === undefined ? ms : Math.round(ms * factor);
}

/** Default retry intervals scaled on many tasks: one line each, not one per task. */
function summariseDefaults(defaults: TimeChange[]): TimeChange[] {
  const byField = new Map<string, TimeChange[]>();
  for (const c of defaults)
    byField.set(`${c.field}\u0000${c.fromMs}`, [...(byField.get(`${c.field}\u0000${c.fromMs}`) ?? []), c]);
  return [...byField.values()].map((list) =>
    list.length === 1 ? list[0] : { ...list[0], task: '', defaults: list.length },
  );
}

/** Every task of the definition with its path of ids (`develop/review`), the output task included. */
export function allTasks(definition: CompiledDefinition): Array<{ task: CompiledTask; path: string }> {
  const out: Array<{ task: CompiledTask; path: string }> = [];
  const visit = (task: CompiledTask, prefix: string) => {
    const path = prefix ? `${prefix}/${task.id}` : task.id;
    out.push({ task, path });
    for (const child of task.children) visit(child, path);
    // A subflow's pinned child definition: its tasks run (in a child run) under the task's path.
    const pinned = task.spec.pinned as { tasks?: unknown } | undefined;
    if (Array.isArray(pinned?.tasks)) for (const child of pinned.tasks as CompiledTask[]) visit(child, path);
  };
  for (const t of definition.tasks) visit(t, '');
  if (definition.outputTask) visit(definition.outputTask, '');
  return out;
}

/**
 * A task by id or by path of ids; `[...]` parts of a run's path (`architecture[epic-1]`) are
 * ignored. Returns the reason when there is no such task.
 */
export function findTask(
  tasks: Array<{ task: CompiledTask; path: string }>,
  key: string,
): { task: CompiledTask; path: string } | string {
  const plain = key.replace(/\[[^\]]*\]/g, '');
  const hit = plain.includes('/')
    ? tasks.find((t) => t.path === plain || t.path.endsWith(`/${plain}`))
    : tasks.find((t) => t.task.id === plain);
  if (hit) return hit;
  const ids = tasks.map((t) => t.task.id).filter((id) => id !== '$output');
  return `no task '${key}' in the definition (tasks: ${ids.join(', ')})`;
}

/** The duration fields of one task, as the definition names them. */
function slotsOf(task: CompiledTask, types: TaskTypeRegistry): Slot[] {
  const slots: Slot[] = [];
  const x = task.execution;
  const specDurations = durationFieldsOf(task, types);
  if (x.scheduleToCloseMs !== undefined && !specDurations.some((d) => d.field === 'timeout')) {
    slots.push({
      field: 'timeout',
      ms: x.scheduleToCloseMs,
      stated: true,
      floor: MIN_ACTIVITY_TIMEOUT_MS,
      set: (ms) => {
        x.scheduleToCloseMs = ms;
        x.startToCloseMs = ms;
      },
    });
  }
  for (const d of specDurations) {
    // The compiler reads a `heartbeat` field into the activity's heartbeat timeout: keep them equal.
    const heartbeat = d.field === 'heartbeat' && x.heartbeatMs !== undefined;
    slots.push({
      field: d.field,
      ms: durationMs(d.value),
      stated: true,
      floor: heartbeat ? MIN_ACTIVITY_TIMEOUT_MS : MIN_TIMER_MS,
      set: (ms) => {
        d.set(`${ms}ms`);
        if (heartbeat) x.heartbeatMs = ms;
      },
    });
  }
  const acceptance = task.acceptance;
  if (acceptance?.timeoutMs !== undefined) {
    slots.push({
      field: 'acceptance.timeout',
      ms: acceptance.timeoutMs,
      stated: true,
      floor: MIN_TIMER_MS,
      set: (ms) => void (acceptance.timeoutMs = ms),
    });
  }
  const retry = x.retry;
  const defaults = EXECUTION_DEFAULTS.retry;
  slots.push({
    field: 'retry.initial_interval',
    ms: retry.initialIntervalMs,
    stated: retry.initialIntervalMs !== defaults.initialIntervalMs,
    floor: MIN_TIMER_MS,
    set: (ms) => void (retry.initialIntervalMs = ms),
  });
  if (retry.maximumIntervalMs !== undefined) {
    slots.push({
      field: 'retry.max_interval',
      ms: retry.maximumIntervalMs,
      stated: retry.maximumIntervalMs !== defaults.maximumIntervalMs,
      floor: MIN_TIMER_MS,
      set: (ms) => void (retry.maximumIntervalMs = ms),
    });
  }
  return slots;
}

/**
 * The strings of a task's own fields whose schema is `Duration` (a wait's `timeout`, a basic task's
 * `heartbeat`...), found by walking the type's schema beside the spec. Nested tasks were moved out of
 * the spec by the compiler; where schema and value part ways, the walk stops.
 */
export function durationFieldsOf(
  task: CompiledTask,
  types: TaskTypeRegistry = builtinTaskTypes(),
): Array<{ field: string; value: string; set(v: string): void }> {
  const orchestrator = types.find(task.type);
  if (!orchestrator) return [];
  const { nestedTask } = validatorFor(types);
  const shape = orchestrator.fields(nestedTask);
  const out: Array<{ field: string; value: string; set(v: string): void }> = [];
  const walk = (
    schema: z.ZodType | undefined,
    holder: Record<string | number, unknown>,
    key: string | number,
    field: string,
    depth: number,
  ) => {
    const value = holder[key];
    if (!schema || value === undefined || value === null || depth > 16) return;
    if (isDuration(schema)) {
      if (typeof value === 'string') out.push({ field, value, set: (v) => void (holder[key] = v) });
      return;
    }
    const chosen = optionFor(schema, value, (s) => layers(s).includes(nestedTask));
    if (layers(chosen).includes(nestedTask) || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach((_, i) =>
        walk(
          childSchema(chosen, i),
          value as unknown as Record<number, unknown>,
          i,
          `${field}[${i}]`,
          depth + 1,
        ),
      );
      return;
    }
    for (const k of Object.keys(value as object))
      walk(childSchema(chosen, k), value as Record<string, unknown>, k, `${field}.${k}`, depth + 1);
  };
  for (const key of Object.keys(task.spec)) walk(shape[key] as z.ZodType | undefined, task.spec, key, key, 0);
  return out;
}

/** `Duration`, or a copy of it (`.describe()` copies a schema; the copy keeps Duration's check). */
function isDuration(schema: z.ZodType): boolean {
  const durationCheck = defOf(Duration).checks?.[0];
  return layers(schema).some(
    (s) => s === Duration || (durationCheck !== undefined && defOf(s).checks?.includes(durationCheck)),
  );
}

function defOf(schema: z.ZodType): { checks?: unknown[] } {
  return (schema as unknown as { _zod: { def: { checks?: unknown[] } } })._zod.def;
}

/** `7d`, `1s`, `250ms`: the largest unit that says the value exactly. */
export function formatMs(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/** `reply timeout 7d → 1s (time_scale 7d -> 1s)`. */
export function describeChange(change: TimeChange, scale?: { text: string }): string {
  const how = change.how === 'override' ? 'durations' : `time_scale ${scale?.text ?? ''}`.trim();
  const floor = change.floored ? ', raised to the floor' : '';
  const values = `${formatMs(change.fromMs)} → ${formatMs(change.toMs)}`;
  if (change.defaults !== undefined)
    return `${change.field} ${values} on ${change.defaults} tasks at the default (${how}${floor})`;
  return `${change.task} ${change.field} ${values} (${how}${floor})`;
}
