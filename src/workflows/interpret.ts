/**
 * The one generic workflow. It walks a compiled definition and, for each task, calls the
 * `createTaskState` activity, then performs the directive it gets back: done, fail, children (in
 * sequence or in parallel), wait for a signal, emit a signal. It knows no task type.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  getExternalWorkflowHandle,
  isCancellation,
  proxyActivities,
  proxyLocalActivities,
  workflowInfo,
} from '@temporalio/workflow';
import type { CompiledTask } from '../dsl/compiled';
import type { ChildResult, ChildRun, ChildrenDirective, Directive, Json, Response, TaskError } from '../orchestrators/directive';
import type { createActivities } from '../activities';
import type { InterpretInput, RunResult } from './api';
import { RunBook } from './run-book';
import { Frame, sliceScope, taskPath } from './scope';

type Activities = ReturnType<typeof createActivities>;
const remote = proxyActivities<Activities>({ startToCloseTimeout: '5m' }).createTaskState;
const local = proxyLocalActivities<Activities>({ startToCloseTimeout: '1m' }).createTaskState;

/** A task failed: carried up the walk until an `on_error` handles it or the run fails. */
class TaskFailed extends Error {
  constructor(readonly error: TaskError) {
    super(`${error.task}: ${error.message}`);
  }
}

interface Outcome {
  output: Json;
  next?: string;
  meta?: Record<string, Json>;
}

export async function interpret({ definition, input }: InterpretInput): Promise<RunResult> {
  const book = new RunBook(definition);
  book.install();
  const info = workflowInfo();
  const base = {
    input,
    workflow: { id: info.workflowId, run_id: info.runId, definition: definition.id, version: definition.version },
  };

  /** Walk a sequence of tasks in a frame; returns the last task's output. */
  async function walk(tasks: CompiledTask[], frame: Frame, prefix: string, anonymous = false): Promise<Json> {
    let last: Json = null;
    for (let i = 0; i < tasks.length; ) {
      const task = tasks[i];
      await book.whileUnpaused();
      const path = taskPath(prefix, task.id, anonymous);
      let outcome: Outcome;
      try {
        outcome = await runTask(task, frame, path);
      } catch (e) {
        if (!(e instanceof TaskFailed) || !task.onError) throw e;
        frame.outputs.set(task.id, null);
        frame.vars.error = { ...e.error };
        i = indexOf(tasks, task.onError, path);
        continue;
      }
      frame.outputs.set(task.id, outcome.output);
      last = outcome.output;
      if (task.final) break;
      const next = outcome.next ?? task.next;
      i = next === undefined ? i + 1 : indexOf(tasks, next, path);
    }
    return last;
  }

  /** Run one task to its output: directives, then its acceptance gate (with revisions). */
  async function runTask(task: CompiledTask, frame: Frame, path: string): Promise<Outcome> {
    let taskFrame = frame;
    for (let revision = 0; ; revision++) {
      book.taskStarted(path);
      let outcome: Outcome;
      try {
        outcome = await perform(task, taskFrame, path);
      } catch (e) {
        book.taskEnded(path);
        throw e;
      }
      book.taskEnded(path, outcome.output, outcome.meta);
      if (!task.acceptance || outcome.next !== undefined) return outcome;
      const decision = await book.awaitDecision(path, task.id, outcome.output, task.acceptance, revision);
      if (!decision) {
        if (task.acceptance.onTimeout) return { output: outcome.output, next: task.acceptance.onTimeout };
        throw new TaskFailed({ type: 'GateTimeout', message: 'no decision before the gate timed out', task: path });
      }
      if (decision.decision === 'approve') return outcome;
      const why = decision.comment ? `: ${decision.comment}` : '';
      if (task.acceptance.onReject === 'fail') {
        throw new TaskFailed({ type: 'GateRejected', message: `rejected by ${decision.decided_by}${why}`, task: path });
      }
      if (revision >= task.acceptance.maxRevisions) {
        const message = `rejected by ${decision.decided_by}${why}; no revisions left (max_revisions: ${task.acceptance.maxRevisions})`;
        throw new TaskFailed({ type: 'RevisionsExhausted', message, task: path });
      }
      const number = revision + 1;
      taskFrame = frame.child({
        revision: { number, comment: decision.comment ?? '', by: decision.decided_by, previous: outcome.output },
      });
    }
  }

  /** Ask `createTaskState` for directives and perform them until the task is done. */
  async function perform(task: CompiledTask, frame: Frame, path: string): Promise<Outcome> {
    const call = (response?: Response) => createTaskState(task, frame, path, response);
    let directive = await call();
    let deadline: number | undefined;
    for (;;) {
      switch (directive.kind) {
        case 'done': {
          const { output, next, meta } = directive;
          return { output, ...(next !== undefined ? { next } : {}), ...(meta ? { meta } : {}) };
        }
        case 'fail':
          throw new TaskFailed({ ...directive.error, task: path });
        case 'children': {
          const results = await runChildren(task, directive, frame, path);
          directive = await call({ kind: 'children', results, state: directive.state });
          break;
        }
        case 'await_signal': {
          if (directive.timeoutMs !== undefined) deadline ??= Date.now() + directive.timeoutMs;
          const left = deadline === undefined ? undefined : Math.max(0, deadline - Date.now());
          const got = await book.nextSignal(path, directive.signal, left);
          if (!got) {
            if (directive.onTimeout) return { output: null, next: directive.onTimeout };
            throw new TaskFailed({ type: 'WaitTimeout', message: `no matching '${directive.signal}' signal in time`, task: path });
          }
          directive = await call({ kind: 'signal', payload: got.payload, state: directive.state });
          break;
        }
        case 'emit':
          await emit(directive.signal, path);
          directive = { kind: 'done', output: directive.output };
          break;
      }
    }
  }

  /** Run child sequences, at most `maxConcurrency` at once, cancelling the rest on `stopOn`. */
  async function runChildren(task: CompiledTask, d: ChildrenDirective, frame: Frame, path: string): Promise<ChildResult[]> {
    const results: Array<ChildResult | undefined> = d.runs.map(() => undefined);
    const scopes: CancellationScope[] = [];
    const frames: Frame[] = [];
    let next = 0;
    let stopped = false;
    const lane = async () => {
      while (!stopped && next < d.runs.length) {
        const i = next++;
        const run = d.runs[i];
        frames[i] = frame.child(run.vars ?? {});
        scopes[i] = new CancellationScope();
        const result = (results[i] = await runChild(task, run, frames[i], path + (run.segment ?? ''), scopes[i]));
        const stop = d.stopOn === 'first_failure' ? result.status === 'failed' : d.stopOn === 'first_success' && result.status === 'completed';
        if (stop && !stopped) {
          stopped = true;
          scopes.forEach((s) => s.cancel());
        }
      }
    };
    const lanes = Math.max(1, Math.min(d.maxConcurrency ?? d.runs.length, d.runs.length));
    await Promise.all(Array.from({ length: lanes }, lane));
    if (d.exportOutputs) {
      results.forEach((r, i) => r?.status === 'completed' && frames[i].outputs.forEach((v, id) => frame.outputs.set(id, v)));
    }
    return results.map((r, i) => r ?? { key: d.runs[i].key, status: 'cancelled', outputs: {} });
  }

  async function runChild(task: CompiledTask, run: ChildRun, frame: Frame, prefix: string, scope: CancellationScope): Promise<ChildResult> {
    const tasks = run.tasks.map((i) => task.children[i]);
    try {
      await scope.run(() => walk(tasks, frame, prefix, run.anonymous === true && tasks.length === 1));
      return { key: run.key, status: 'completed', outputs: Object.fromEntries(frame.outputs) };
    } catch (e) {
      if (e instanceof TaskFailed) return { key: run.key, status: 'failed', outputs: Object.fromEntries(frame.outputs), error: e.error };
      if (isCancellation(e) && !CancellationScope.current().consideredCancelled) {
        return { key: run.key, status: 'cancelled', outputs: Object.fromEntries(frame.outputs) };
      }
      throw e;
    }
  }

  async function emit(signal: { name: string; workflowId?: string; payload: Json }, path: string): Promise<void> {
    const target = signal.workflowId ?? workflowInfo().parent?.workflowId;
    if (!target) {
      throw new TaskFailed({ type: 'NoSignalTarget', message: 'signal.workflow_id is missing and this run has no parent run', task: path });
    }
    try {
      await getExternalWorkflowHandle(target).signal(signal.name, signal.payload);
    } catch (e) {
      if (isCancellation(e)) throw e;
      throw new TaskFailed({ type: 'SignalFailed', message: `could not signal '${signal.name}' to ${target}: ${(e as Error).message}`, task: path });
    }
  }

  /** The one activity: `createTaskState`, with the task's own retry, timeout and Web UI summary. */
  async function createTaskState(task: CompiledTask, frame: Frame, path: string, response?: Response): Promise<Directive> {
    const { execution: x } = task;
    const options = {
      startToCloseTimeout: x.startToCloseMs,
      ...(x.scheduleToCloseMs !== undefined ? { scheduleToCloseTimeout: x.scheduleToCloseMs } : {}),
      retry: {
        maximumAttempts: x.retry.maximumAttempts,
        initialInterval: x.retry.initialIntervalMs,
        backoffCoefficient: x.retry.backoffCoefficient,
        ...(x.retry.maximumIntervalMs !== undefined ? { maximumInterval: x.retry.maximumIntervalMs } : {}),
        nonRetryableErrorTypes: x.retry.nonRetryableErrorTypes,
      },
      summary: `${path} (${task.type})`,
    };
    const args = {
      task: { id: task.id, type: task.type, spec: task.spec, children: task.children.map((c) => ({ id: c.id, type: c.type })) },
      path,
      scope: sliceScope(task.reads, frame, base),
      ...(response ? { response } : {}),
    };
    try {
      return x.local
        ? await local.executeWithOptions(options, [args])
        : await remote.executeWithOptions({ ...options, ...(x.heartbeatMs ? { heartbeatTimeout: x.heartbeatMs } : {}) }, [args]);
    } catch (e) {
      if (e instanceof ActivityFailure && !isCancellation(e)) {
        const cause = e.cause as (Error & { type?: string }) | undefined;
        throw new TaskFailed({ type: cause?.type ?? cause?.name ?? 'ActivityFailure', message: cause?.message ?? e.message, task: path });
      }
      throw e;
    }
  }

  const root = new Frame();
  try {
    let output = await walk(definition.tasks, root, '');
    if (definition.outputTask) output = (await runTask(definition.outputTask, root, '$output')).output;
    book.finish('completed');
    return { output, decisions: book.decisions };
  } catch (e) {
    book.finish('failed');
    if (e instanceof TaskFailed) {
      throw ApplicationFailure.create({ type: e.error.type, message: e.message, nonRetryable: true, details: [e.error] });
    }
    throw e;
  }
}

function indexOf(tasks: CompiledTask[], id: string, from: string): number {
  const i = tasks.findIndex((t) => t.id === id);
  if (i < 0) throw new TaskFailed({ type: 'UnknownTask', message: `jump to '${id}', which is not in this sequence`, task: from });
  return i;
}
