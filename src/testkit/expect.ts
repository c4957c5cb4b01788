/**
 * Expectations: a finished run (its outcome, state, calls) against what the case expects. Each
 * failure says what differs, names the task path it is about, and carries a diff when values differ.
 */
import { isDeepStrictEqual } from 'node:util';
import { evaluate } from '../expressions';
import type { FlowEvent } from '../events/types';
import type { DecisionRecord } from '../workflows/api';
import type { ExpectSpec } from './cases';
import { agentKey, type CallRecord } from './stubs';

/** How a run ended, and what it left. */
export interface RunOutcome {
  status: 'completed' | 'failed' | 'cancelled' | 'terminated' | 'timed_out' | 'running';
  output?: unknown;
  /** The failure: its type, message and the task path that failed (when a task did). */
  error?: { type: string; message: string; task?: string };
  /** Completed task paths, in completion order. */
  paths: string[];
  outputs: Record<string, unknown>;
  decisions: DecisionRecord[];
  calls: CallRecord[];
  /** Lifecycle events of the run (absent when the kit did not collect them). */
  events?: FlowEvent[];
  /** Task path whose output is the run's output (`$output` for a definition's `output`). */
  outputFrom?: string;
}

export interface Failure {
  message: string;
  /** The task path the failure is about. */
  path?: string;
  /** Expected vs received. */
  diff?: string;
  /** `file:line:col` of the expectation or interaction. */
  where?: string;
}

export interface Expectations {
  expect: ExpectSpec;
  expects(key: keyof ExpectSpec): boolean;
  where(path: Array<string | number>): string;
}

/** Check every expectation; an empty list means the run did what the case says. */
export async function checkExpectations(c: Expectations, run: RunOutcome): Promise<Failure[]> {
  const e = c.expect;
  const at = (...p: Array<string | number>) => c.where(['expect', ...p]);
  const failures: Failure[] = [];
  const wanted = e.status ?? (e.error ? 'failed' : 'completed');
  const statusOk = run.status === wanted;
  if (!statusOk) failures.push(statusFailure(wanted, run, at(e.status ? 'status' : e.error ? 'error' : '')));

  if (e.paths) {
    const d = divergence(e.paths, run.paths);
    if (d) failures.push({ ...d, where: at('paths'), diff: diffValues(flatten(e.paths), run.paths) });
  }
  for (const p of e.not_paths ?? []) {
    if (run.paths.includes(p))
      failures.push({
        message: `task '${p}' ran, but the case says it must not (it ran: ${trail(run.paths)})`,
        path: p,
        where: at('not_paths'),
      });
  }

  if (statusOk && run.status === 'completed') {
    const from = run.outputFrom ? ` (the output of '${run.outputFrom}')` : '';
    const context = e.paths ? '' : `; it ran: ${trail(run.paths)}`;
    if (c.expects('output') && !isDeepStrictEqual(json(run.output), json(e.output))) {
      failures.push({
        message: `the run's output${from} differs from expect.output${context}`,
        path: run.outputFrom,
        diff: diffValues(e.output, run.output),
        where: at('output'),
      });
    }
    if (c.expects('output_includes')) {
      const projected = project(run.output, e.output_includes);
      if (!isDeepStrictEqual(json(projected), json(e.output_includes))) {
        failures.push({
          message: `the run's output${from} does not include expect.output_includes${context}`,
          path: run.outputFrom,
          diff: diffValues(e.output_includes, projected),
          where: at('output_includes'),
        });
      }
    }
    const predicates =
      e.output_matches === undefined
        ? []
        : Array.isArray(e.output_matches)
          ? e.output_matches
          : [e.output_matches];
    for (const [i, expression] of predicates.entries()) {
      const where = at('output_matches', ...(Array.isArray(e.output_matches) ? [i] : []));
      try {
        const value = await evaluate(expression, {
          output: run.output,
          outputs: run.outputs,
          paths: run.paths,
          decisions: run.decisions,
          calls: callCounts(run.calls),
        });
        if (value !== true) {
          failures.push({
            message: `output_matches \`${expression}\` is ${JSON.stringify(value)}, not true; the output${from}: ${preview(run.output)}`,
            path: run.outputFrom,
            where,
          });
        }
      } catch (err) {
        failures.push({
          message: `output_matches \`${expression}\` cannot be evaluated: ${(err as Error).message}`,
          where,
        });
      }
    }
  }

  if (e.error && run.status === 'failed' && run.error) {
    const got = run.error;
    const problems: string[] = [];
    if (e.error.type !== undefined && e.error.type !== got.type)
      problems.push(`type '${got.type}', not '${e.error.type}'`);
    if (e.error.message_includes !== undefined && !got.message.includes(e.error.message_includes))
      problems.push(`a message without '${e.error.message_includes}'`);
    if (e.error.task !== undefined && e.error.task !== got.task)
      problems.push(`task '${got.task ?? '(none)'}', not '${e.error.task}'`);
    if (problems.length > 0) {
      failures.push({
        message: `the run failed${got.task ? ` at '${got.task}'` : ''} with ${problems.join(' and ')}: [${got.type}] ${got.message}`,
        ...(got.task ? { path: got.task } : {}),
        where: at('error'),
      });
    }
  }

  for (const [path, expected] of Object.entries(e.outputs ?? {})) {
    if (!(path in run.outputs)) {
      failures.push({
        message: `task '${path}' never completed, so it has no output (it ran: ${trail(run.paths)})`,
        path,
        where: at('outputs', path),
      });
    } else if (!isDeepStrictEqual(json(run.outputs[path]), json(expected))) {
      failures.push({
        message: `the output of task '${path}' differs from expect.outputs`,
        path,
        diff: diffValues(expected, run.outputs[path]),
        where: at('outputs', path),
      });
    }
  }

  for (const [key, expected] of Object.entries(e.calls ?? {})) {
    const calls = run.calls.filter(
      (call) => (call.kind === 'agent' ? agentKey(call.name) : call.name) === key,
    );
    if (calls.length === expected) continue;
    const what = key.startsWith('agent:') ? `agent '${key.slice(6)}'` : `tool '${key}'`;
    const list = calls.map((call) => `${call.path} (attempt ${call.attempt})`).join(', ');
    const times = (n: number) => `${n} time${n === 1 ? '' : 's'}`;
    if (calls.length > expected) {
      const extra = calls[expected];
      failures.push({
        message: `${what} was called ${times(calls.length)}, expected ${expected}: call ${expected + 1} came from task '${extra.path}' (attempt ${extra.attempt}); all calls: ${list}`,
        path: extra.path,
        where: at('calls', key),
      });
    } else {
      const last = calls[calls.length - 1];
      failures.push({
        message: `${what} was called ${times(calls.length)}, expected ${expected}${list ? `; calls: ${list}` : ''} (the run went: ${trail(run.paths)})`,
        ...(last ? { path: last.path } : {}),
        where: at('calls', key),
      });
    }
  }

  if (e.decisions) {
    const got = run.decisions.map((d) => ({ gate: d.gate, decision: d.decision, by: d.decided_by }));
    const i = e.decisions.findIndex(
      (d, k) =>
        !got[k] ||
        got[k].gate !== d.gate ||
        got[k].decision !== d.decision ||
        (d.by !== undefined && got[k].by !== d.by),
    );
    if (i >= 0 || got.length !== e.decisions.length) {
      const k = i >= 0 ? i : e.decisions.length;
      const gate = e.decisions[k]?.gate ?? got[k]?.gate;
      failures.push({
        message: `decision ${k + 1} differs${gate ? ` (gate '${gate}')` : ''}`,
        ...(gate ? { path: gate } : {}),
        diff: diffValues(
          e.decisions,
          got.map((d, n) =>
            e.decisions?.[n]?.by === undefined ? { gate: d.gate, decision: d.decision } : d,
          ),
        ),
        where: at('decisions'),
      });
    }
  }
  if (e.events) {
    const f = eventsFailure(e.events, run.events ?? []);
    if (f) failures.push({ ...f, where: at('events', f.index) });
  }
  return failures;
}

/**
 * The expected events must occur in order, each matching type, path (when given) and data (a
 * subset); other events may come between them.
 */
export function eventsFailure(
  expected: NonNullable<ExpectSpec['events']>,
  events: FlowEvent[],
): { message: string; path?: string; index: number; diff?: string } | undefined {
  let from = 0;
  for (const [index, want] of expected.entries()) {
    const fits = (ev: FlowEvent) =>
      ev.type === want.type &&
      (want.path === undefined || ev.path === want.path) &&
      (want.data === undefined ||
        isDeepStrictEqual(json(project(ev.data ?? {}, want.data)), json(want.data)));
    const k = events.findIndex((ev, i) => i >= from && fits(ev));
    if (k >= 0) {
      from = k + 1;
      continue;
    }
    const label = `${want.type}${want.path ? ` at '${want.path}'` : ''}`;
    const earlier = events.findIndex(fits);
    const after = from > 0 ? ` after event ${from} (${brief(events[from - 1])})` : '';
    const why = earlier >= 0 ? `it came earlier, as event ${earlier + 1}` : 'the run never emitted it';
    return {
      message: `events: expected event ${index + 1} (${label})${after}, but ${why}; the run's events: ${events.map(brief).join(', ') || 'none'}`,
      ...(want.path
        ? { path: want.path }
        : from > 0 && events[from - 1].path
          ? { path: events[from - 1].path }
          : {}),
      index,
    };
  }
  return undefined;
}

function brief(e: FlowEvent): string {
  return `${e.type}${e.path ? ` ${e.path}` : ''}`;
}

function statusFailure(wanted: string, run: RunOutcome, where: string): Failure {
  if (run.status === 'failed' && run.error) {
    const at = run.error.task ? ` at '${run.error.task}'` : '';
    return {
      message: `expected the run to be ${wanted}, but it failed${at}: [${run.error.type}] ${run.error.message} (it ran: ${trail(run.paths)})`,
      ...(run.error.task ? { path: run.error.task } : {}),
      where,
    };
  }
  const last = run.paths[run.paths.length - 1];
  const output = run.status === 'completed' ? ` with output ${preview(run.output)}` : '';
  return {
    message: `expected the run to be ${wanted}, but it ${run.status === 'running' ? 'is still running' : `ended ${run.status}`}${output} (it ran: ${trail(run.paths)})`,
    ...(last ? { path: last } : {}),
    where,
  };
}

/** One step of `paths`: a path, or a group of paths that may complete in any order. */
export type PathStep = string | string[];

/**
 * Where the run went another way than `expected`: the first completed path that is not the one
 * expected next (or the first expected path the run never reached, or the first extra path).
 */
export function divergence(
  expected: PathStep[],
  actual: string[],
): { message: string; path?: string } | undefined {
  let pos = 0;
  const after = () => (pos > 0 ? `after '${actual[pos - 1]}'` : 'at the start');
  for (const step of expected) {
    const group = typeof step === 'string' ? [step] : step;
    const got = actual.slice(pos, pos + group.length);
    const missing = group.filter((p) => !got.includes(p));
    if (missing.length === 0) {
      pos += group.length;
      continue;
    }
    const want =
      typeof step === 'string' ? `'${step}'` : `${group.map((p) => `'${p}'`).join(', ')} (in any order)`;
    const other = got.find((p) => !group.includes(p));
    if (other === undefined) {
      return {
        message: `paths: the run went another way ${after()}: expected ${want} next, but the run completed no more tasks (it ran: ${trail(actual)})`,
        path: actual[actual.length - 1] ?? missing[0],
      };
    }
    return {
      message: `paths: the run went another way ${after()}: expected ${want}, it ran '${other}' (it ran: ${trail(actual)})`,
      path: other,
    };
  }
  if (pos < actual.length) {
    return {
      message: `paths: the run went on ${after()} to '${actual[pos]}', which the case does not expect (it ran: ${trail(actual)})`,
      path: actual[pos],
    };
  }
  return undefined;
}

/** `actual` cut down to the shape of `expected`: the keys expected objects name, arrays item by item. */
export function project(actual: unknown, expected: unknown): unknown {
  if (isObject(expected) && isObject(actual)) {
    return Object.fromEntries(
      Object.keys(expected)
        .filter((k) => k in actual)
        .map((k) => [k, project(actual[k], expected[k])]),
    );
  }
  if (Array.isArray(expected) && Array.isArray(actual) && expected.length === actual.length) {
    return actual.map((a, i) => project(a, expected[i]));
  }
  return actual;
}

/** Calls per tool name (`agent:<skill>` for agents). */
export function callCounts(calls: CallRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of calls) {
    const key = c.kind === 'agent' ? agentKey(c.name) : c.name;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** A readable expected/received diff (jest-diff when it is installed, else both values as JSON). */
export function diffValues(expected: unknown, received: unknown): string {
  const plain = (s: string) => s;
  try {
    const { diff } = require('jest-diff') as typeof import('jest-diff');
    const text = diff(expected, received, {
      aAnnotation: 'Expected',
      bAnnotation: 'Received',
      aColor: plain,
      bColor: plain,
      changeColor: plain,
      commonColor: plain,
      patchColor: plain,
      contextLines: 3,
      expand: false,
    });
    if (text) return text;
  } catch {
    // jest-diff is a dev dependency: without it, show both values.
  }
  return `- Expected: ${JSON.stringify(expected, null, 2)}\n+ Received: ${JSON.stringify(received, null, 2)}`;
}

/** The task paths a run went through, as one line for a failure message. */
export function trail(paths: string[]): string {
  if (paths.length === 0) return 'no task';
  return paths.length > 12
    ? `${paths.slice(0, 5).join(' → ')} → … → ${paths.slice(-5).join(' → ')}`
    : paths.join(' → ');
}

function flatten(steps: PathStep[]): string[] {
  return steps.flatMap((s) => (typeof s === 'string' ? [s] : s));
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/** JSON form, so `-0`, key order and `undefined` members compare as they would on the wire. */
function json(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
