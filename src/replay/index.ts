/**
 * Replay recorded histories against workflow code, with no server: the proof that a change to the
 * interpreter still makes the commands that runs already in flight recorded. Each file gets its own
 * result, and every problem (unreadable, corrupt, a history of another workflow type, a
 * non-determinism) is a `HistoryFileError` whose message starts with the file it is about.
 */
import fs from 'node:fs';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { Worker, type InjectedSinks, type ReplayWorkerOptions } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { bundleInterpreter, WORKFLOWS_PATH } from '../workflow-bundle';
import { eventSinks } from '../events/bus';
import { BATCH_WORKFLOW_TYPE, WORKFLOW_TYPE } from '../workflows/api';
import { historyFromJSON, type History } from './history-json';
import type { TaskCheckSinks } from './task-check-interceptor';

export { historyFromJSON, historyToJSON, type History } from './history-json';
export {
  scanWorkflowTasks,
  eventTimeMs,
  type WorkflowTaskScan,
  type WorkflowTaskIssue,
} from './workflow-tasks';

/** What went wrong with one history file. */
export type HistoryProblem =
  'unreadable' | 'corrupt' | 'wrong-workflow-type' | 'nondeterminism' | 'replay-failed';

/** A problem with one history file; the message names the file. The replay's own error is the `cause`. */
export class HistoryFileError extends Error {
  override readonly name = 'HistoryFileError';
  constructor(
    readonly file: string,
    readonly problem: HistoryProblem,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${message}`, options);
  }
}

/** A history file, read and checked. */
export interface HistoryFile {
  file: string;
  /** From the started event (servers since 1.21), else the file name without `.json`. */
  workflowId: string;
  workflowType: string;
  history: History;
}

/** Flowstate's workflow types: the interpreter, and the batch child workflow of large fan-outs. */
export const FLOWSTATE_WORKFLOW_TYPES: readonly string[] = [WORKFLOW_TYPE, BATCH_WORKFLOW_TYPE];

export interface ReadOptions {
  /** Workflow types accepted; default: `FLOWSTATE_WORKFLOW_TYPES`. */
  workflowTypes?: readonly string[];
}

const EventType = temporal.api.enums.v1.EventType;

/** Read a history JSON file (as `flowstate history`, `temporal workflow show -o json` or the Web UI export it). */
export function readHistoryFile(file: string, options: ReadOptions = {}): HistoryFile {
  const types = options.workflowTypes ?? FLOWSTATE_WORKFLOW_TYPES;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new HistoryFileError(
      file,
      'unreadable',
      `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      { cause: e },
    );
  }
  if (text.trim() === '')
    throw new HistoryFileError(file, 'corrupt', 'the file is empty, not a workflow history');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new HistoryFileError(
      file,
      'corrupt',
      `not valid JSON (${(e as Error).message}); re-record it or export it again`,
      { cause: e },
    );
  }
  const events = (json as { events?: unknown } | null)?.events;
  if (!Array.isArray(events) || events.length === 0) {
    throw new HistoryFileError(
      file,
      'corrupt',
      "not a workflow history: expected a JSON object with a non-empty 'events' array",
    );
  }
  let history: History;
  try {
    history = historyFromJSON(json);
  } catch (e) {
    throw new HistoryFileError(file, 'corrupt', `not a valid workflow history: ${(e as Error).message}`, {
      cause: e,
    });
  }
  const first = history.events?.[0];
  const started = first?.workflowExecutionStartedEventAttributes;
  if (first?.eventType !== EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED || !started) {
    const type =
      first?.eventType != null ? (EventType[first.eventType] ?? String(first.eventType)) : 'missing';
    throw new HistoryFileError(
      file,
      'corrupt',
      `the first event is ${type}, not WorkflowExecutionStarted: the history is truncated or not a workflow history`,
    );
  }
  const workflowType = started.workflowType?.name ?? '';
  if (!types.includes(workflowType)) {
    throw new HistoryFileError(
      file,
      'wrong-workflow-type',
      `a history of workflow type '${workflowType || '(none)'}', not of Flowstate's ${types.map((t) => `'${t}'`).join(' or ')}: it cannot be replayed against Flowstate's workflow code`,
    );
  }
  const workflowId = started.workflowId || path.basename(file).replace(/\.json$/i, '');
  return { file, workflowId, workflowType, history };
}

/** The arguments the run was started with (for `interpret`: `{ definition, input }`), decoded. */
export function startArguments(history: History): unknown[] {
  const payloads = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
  return payloads.map((p) => defaultPayloadConverter.fromPayload(p));
}

/** The `*.json` files of a folder, sorted by name. */
export function historyFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(dir, f));
}

export interface ReplayFileResult {
  file: string;
  /** Known once the file was read. */
  workflowId?: string;
  ok: boolean;
  error?: HistoryFileError;
}

export interface ReplayOptions extends ReadOptions {
  /**
   * A prebuilt bundle: build it once with `bundleForReplay()` when replaying several times. A bundle
   * made by plain `bundleWorkflowCode` replays too, without the task-order check.
   */
  workflowBundle?: ReplayWorkerOptions['workflowBundle'];
  /** Workflow code to bundle (with `bundleForReplay`) when no `workflowBundle` is given; default: Flowstate's `src/workflows`. */
  workflowsPath?: string;
  /** Further replay worker options (a data converter, interceptors...). */
  worker?: Partial<ReplayWorkerOptions>;
}

/**
 * Bundle workflow code for replay, with the task-order check (./task-check-interceptor): replay then
 * also fails when an activity is for another task than the one the history recorded at its position.
 */
export async function bundleForReplay(workflowsPath: string = WORKFLOWS_PATH): Promise<{ code: string }> {
  return bundleInterpreter({
    workflowsPath,
    interceptorModules: [require.resolve('./task-check-interceptor')],
  });
}

/**
 * Replay each file against the workflow code, in one replay worker, and report per file. Files that
 * cannot be read or are of another workflow type fail on their own and do not stop the others.
 * Rejects only when the replay worker itself cannot run (e.g. the workflow code does not bundle).
 */
export async function replayHistoryFiles(
  files: readonly string[],
  options: ReplayOptions = {},
): Promise<ReplayFileResult[]> {
  const results: ReplayFileResult[] = [];
  const readable: Array<{ index: number; history: HistoryFile }> = [];
  for (const file of files) {
    try {
      const history = readHistoryFile(file, options);
      readable.push({ index: results.length, history });
      results.push({ file, workflowId: history.workflowId, ok: true });
    } catch (e) {
      if (!(e instanceof HistoryFileError)) throw e;
      results.push({ file, ok: false, error: e });
    }
  }
  if (readable.length === 0) return results;

  const workflowBundle = options.workflowBundle ?? (await bundleForReplay(options.workflowsPath));
  const seen = new Map<string, Map<number, { activityType: string; path: string | null }>>();
  const sinks: InjectedSinks<TaskCheckSinks> = {
    flowstateTaskCheck: {
      started: { fn: (info) => void seen.set(info.runId, new Map()), callDuringReplay: true },
      scheduled: {
        fn: (info, seq, activityType, path) => void seen.get(info.runId)?.set(seq, { activityType, path }),
        callDuringReplay: true,
      },
    },
  };
  const replay = Worker.runReplayHistories(
    {
      workflowBundle,
      replayName: 'flowstate-replay',
      ...options.worker,
      // The events sink exists so the interpreter finds it; replay delivers nothing.
      sinks: { ...eventSinks(() => undefined), ...sinks, ...options.worker?.sinks },
    },
    readable.map(({ history }) => ({ workflowId: history.workflowId, history: history.history })),
  );
  let n = 0;
  for await (const outcome of replay) {
    const { index, history } = readable[n++];
    const error = outcome.error ?? taskOrderViolation(history.history, seen.get(outcome.runId));
    seen.delete(outcome.runId);
    if (error)
      results[index] = {
        file: history.file,
        workflowId: history.workflowId,
        ok: false,
        error: explain(history.file, error),
      };
  }
  return results;
}

/**
 * With the task-order check in the bundle: the first activity the replayed code scheduled for another
 * task (or of another type) than the history recorded under the same activity id.
 */
function taskOrderViolation(
  history: History,
  scheduled: Map<number, { activityType: string; path: string | null }> | undefined,
): DeterminismViolationError | undefined {
  if (!scheduled) return undefined; // bundled without the check
  for (const event of history.events ?? []) {
    const attributes = event.activityTaskScheduledEventAttributes;
    if (!attributes) continue;
    const now = scheduled.get(Number(attributes.activityId));
    if (!now) continue; // not reached: Temporal reports a missing command itself
    const payload = attributes.input?.payloads?.[0];
    const recorded = payload
      ? (defaultPayloadConverter.fromPayload(payload) as { path?: unknown } | null)
      : null;
    const path = typeof recorded?.path === 'string' ? recorded.path : null;
    const type = attributes.activityType?.name ?? '';
    if (now.activityType !== type || now.path !== path) {
      const what = (t: string, p: string | null) => (p === null ? `'${t}'` : `'${t}' for task '${p}'`);
      return new DeterminismViolationError(
        `activity ${attributes.activityId} (event ${event.eventId}) was ${what(type, path)} in this history, ` +
          `but the workflow code now schedules ${what(now.activityType, now.path)} there: tasks run in another order`,
      );
    }
  }
  return undefined;
}

function explain(file: string, error: Error): HistoryFileError {
  if (error instanceof DeterminismViolationError) {
    return new HistoryFileError(
      file,
      'nondeterminism',
      `replay is not deterministic: the workflow code no longer makes the commands this run recorded. ` +
        `Put the change behind patched() (CONTRIBUTING.md). ${error.message}`,
      { cause: error },
    );
  }
  return new HistoryFileError(file, 'replay-failed', `replay failed: ${error.message}`, { cause: error });
}
