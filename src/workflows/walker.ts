/**
 * The walk: run a sequence of tasks in a frame, asking `createTaskState` for each task's directives
 * and performing them (done, fail, children, await_signal, emit), with acceptance gates, `on_error`
 * jumps and cancellation. It knows no task type. Large fan-outs go to batch child workflows
 * (`interpretRuns`) so no single history grows past Temporal's limits.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  ChildWorkflowFailure,
  executeChild,
  getExternalWorkflowHandle,
  isCancellation,
  proxyActivities,
  proxyLocalActivities,
  workflowInfo,
} from '@temporalio/workflow';
import type { CompiledTask } from '../contract/compiled';
import type { AwaitUpdateDirective, ChildResult, ChildRun, ChildrenDirective, Directive, Json, Response, TaskError } from '../contract/directive';
import type { TaskStateActivities } from '../contract/activities';
import type { RunsInput, TaskRunInput } from './api';
import type { RunBook } from './run-book';
import { Frame, sliceScope, snapshotFor, taskPath } from './scope';

const remote = proxyActivities<TaskStateActivities>({ startToCloseTimeout: '5m' }).createTaskState;
const local = proxyLocalActivities<TaskStateActivities>({ startToCloseTimeout: '1m' }).createTaskState;

/** Runs of one children directive above this many go to batch child workflows. */
export const INLINE_RUNS = 200;
/** Runs per batch child workflow. */
export const BATCH_RUNS = 500;

/** A task failed: carried up the walk until an `on_error` handles it or the run fails. */
export class TaskFailed extends Error {
  constructor(readonly error: TaskError) {
    super(`${error.task}: ${error.message}`);
  }
}

export interface Outcome {
  output: Json;
  next?: string;
  meta?: Record<string, Json>;
  skipped?: boolean;
}

/** What every activity call and child workflow of a run shares. */
export interface RunBase {
  definition: { id: string; version: string; hash: string };
  input: Json;
  workflow: Json;
}

export class Walker {
  constructor(
    private readonly base: RunBase,
    private readonly book: RunBook,
    /** True inside `interpretTask`: an `isolate` request is already met. */
    private readonly isolated = false,
  ) {}

  /** Walk a sequence of tasks in a frame; returns the last task's output. */
  async walk(tasks: CompiledTask[], frame: Frame, prefix: string, anonymous = false): Promise<Json> {
    let last: Json = null;
    for (let i = 0; i < tasks.length; ) {
      const task = tasks[i];
      await this.book.mailbox.whileUnpaused();
      const path = taskPath(prefix, task.id, anonymous);
      let outcome: Outcome;
      try {
        outcome = await this.runTask(task, frame, path);
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
  async runTask(task: CompiledTask, frame: Frame, path: string): Promise<Outcome> {
    let taskFrame = frame;
    const events = this.book.events;
    for (let revision = 0; ; revision++) {
      this.book.status.taskStarted(path);
      events.emit('task.started', path, { type: task.type, ...(revision > 0 ? { revision } : {}) });
      let outcome: Outcome;
      try {
        outcome = await this.perform(task, taskFrame, path);
      } catch (e) {
        this.book.status.taskEnded(path);
        if (e instanceof TaskFailed) events.emit('task.failed', path, { type: task.type, error: { ...e.error } });
        throw e;
      }
      this.book.status.taskEnded(path, outcome.output, outcome.meta);
      events.emit(outcome.skipped ? 'task.skipped' : 'task.completed', path, { type: task.type });
      if (!task.acceptance || outcome.next !== undefined) return outcome;
      const decision = await this.book.gates.awaitDecision(path, task.id, outcome.output, task.acceptance, revision);
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
      taskFrame = frame.child({
        revision: { number: revision + 1, comment: decision.comment ?? '', by: decision.decided_by, previous: outcome.output },
      });
    }
  }

  /** Ask `createTaskState` for directives and perform them until the task is done. */
  private async perform(task: CompiledTask, frame: Frame, path: string): Promise<Outcome> {
    const first = await this.createTaskState(task, frame, path);
    if (first.isolate && !this.isolated) return this.runIsolated(task, frame, path, first);
    return this.drive(task, frame, path, first);
  }

  /** The rest of a task in a child workflow of its own (`interpretTask`), which may continue as new. */
  private async runIsolated(task: CompiledTask, frame: Frame, path: string, directive: Directive): Promise<Outcome> {
    const input: TaskRunInput = { base: this.base, task, path, frame: snapshotFor([task], frame), directive };
    try {
      return await executeChild('interpretTask', { args: [input], workflowId: `${workflowInfo().workflowId}/${path}` });
    } catch (e) {
      if (!(e instanceof ChildWorkflowFailure)) throw e;
      const cause = e.cause as (Error & { type?: string; details?: unknown[] }) | undefined;
      const error = cause?.details?.[0] as TaskError | undefined;
      throw new TaskFailed(error ?? { type: cause?.type ?? 'TaskFailed', message: cause?.message ?? e.message, task: path });
    }
  }

  /**
   * Perform directives from `directive` on until the task is done. `checkpoint` runs before each one
   * (in `interpretTask`: continue as new when the history has grown).
   */
  async drive(task: CompiledTask, frame: Frame, path: string, first: Directive, checkpoint?: (next: Directive) => Promise<void>): Promise<Outcome> {
    const call = (response?: Response) => this.createTaskState(task, frame, path, response);
    let directive = first;
    let deadline: number | undefined;
    for (;;) {
      if (checkpoint) await checkpoint(directive);
      this.report(directive, path);
      switch (directive.kind) {
        case 'done': {
          const { output, next, meta, skipped } = directive;
          return { output, ...(next !== undefined ? { next } : {}), ...(meta ? { meta } : {}), ...(skipped ? { skipped } : {}) };
        }
        case 'fail':
          throw new TaskFailed({ ...directive.error, task: path });
        case 'children': {
          const results = await this.runChildren(task, directive, frame, path);
          if (directive.exportOutputs) {
            for (const r of results) if (r.status === 'completed') for (const [id, v] of Object.entries(r.outputs)) frame.outputs.set(id, v);
          }
          directive = await call({ kind: 'children', results, state: directive.state });
          break;
        }
        case 'await_signal': {
          if (directive.timeoutMs !== undefined) deadline ??= Date.now() + directive.timeoutMs;
          const left = deadline === undefined ? undefined : Math.max(0, deadline - Date.now());
          const got = await this.book.mailbox.next(path, directive.signal, left);
          if (!got) {
            if (directive.onTimeout) return { output: null, next: directive.onTimeout };
            throw new TaskFailed({ type: 'WaitTimeout', message: `no matching '${directive.signal}' signal in time`, task: path });
          }
          directive = await call({ kind: 'signal', payload: got.payload, state: directive.state });
          break;
        }
        case 'await_update': {
          const waiting = directive;
          if (waiting.timeoutMs !== undefined) deadline ??= Date.now() + waiting.timeoutMs;
          const left = deadline === undefined ? undefined : Math.max(0, deadline - Date.now());
          const next = await this.book.updates.awaitUpdate(path, waiting, (payload) => this.answerUpdate(call, waiting, payload), left);
          if (!next) {
            if (waiting.onTimeout) return { output: null, next: waiting.onTimeout };
            throw new TaskFailed({ type: 'UpdateTimeout', message: `no '${waiting.update}' update was taken in time`, task: path });
          }
          directive = next;
          break;
        }
        case 'reject':
          // Only an answer to an update may refuse; anywhere else it is the task failing.
          throw new TaskFailed({ type: 'Rejected', message: directive.message, task: path });
        case 'emit':
          await this.emit(directive.signal, path);
          directive = { kind: 'done', output: directive.output };
          break;
      }
    }
  }

  /** Emit what a directive reports: its retries and the orchestrator's own events. */
  private report(directive: Directive, path: string): void {
    if (directive.attempt) this.book.events.emit('task.retried', path, { attempts: directive.attempt });
    for (const e of directive.events ?? []) this.book.events.emit(e.type, path, e.data);
  }

  /** Hand an update's payload to the orchestrator; a `reject` fails the update and changes nothing. */
  private async answerUpdate(call: (r?: Response) => Promise<Directive>, waiting: AwaitUpdateDirective, payload: Json): Promise<Directive> {
    const next = await call({ kind: 'update', name: waiting.update, payload, state: waiting.state });
    if (next.kind === 'reject') {
      throw ApplicationFailure.create({ type: 'UpdateRejected', message: next.message, details: next.details === undefined ? [] : [next.details], nonRetryable: true });
    }
    return next;
  }

  /** Run child sequences inline, or in batch child workflows when there are many. */
  runChildren(task: CompiledTask, d: Pick<ChildrenDirective, 'runs' | 'maxConcurrency' | 'stopOn'>, frame: Frame, path: string): Promise<ChildResult[]> {
    return d.runs.length > INLINE_RUNS ? this.runBatches(task, d, frame, path) : this.runInline(task, d, frame, path);
  }

  /** Run child sequences in this workflow, at most `maxConcurrency` at once. */
  runInline(task: CompiledTask, d: Pick<ChildrenDirective, 'runs' | 'maxConcurrency' | 'stopOn'>, frame: Frame, path: string): Promise<ChildResult[]> {
    return this.runPool(d.runs.length, d.maxConcurrency, d.stopOn, async (i, scope) => {
      const run = d.runs[i];
      this.book.events.emit('child.started', path, { key: run.key });
      const result = await this.runChild(task, run, frame.child(run.vars ?? {}), path + (run.segment ?? ''), scope);
      this.book.events.emit('child.finished', path, { key: run.key, status: result.status });
      return [result];
    }).then((results) => results.map((r, i) => r ?? cancelledRun(d.runs[i].key)));
  }

  /**
   * Run `count` units with at most `limit` at once, each in its own cancellation scope; when a unit's
   * results meet `stopOn`, cancel the others. Units never started are left undefined.
   */
  private async runPool(
    count: number,
    limit: number | undefined,
    stopOn: ChildrenDirective['stopOn'],
    unit: (i: number, scope: CancellationScope) => Promise<ChildResult[]>,
  ): Promise<Array<ChildResult | undefined>> {
    const results: ChildResult[][] = [];
    const scopes: CancellationScope[] = [];
    let next = 0;
    let stopped = false;
    const lane = async () => {
      while (!stopped && next < count) {
        const i = next++;
        scopes[i] = new CancellationScope();
        results[i] = await unit(i, scopes[i]);
        const hit = results[i].some((r) => (stopOn === 'first_failure' ? r.status === 'failed' : stopOn === 'first_success' && r.status === 'completed'));
        if (hit && !stopped) {
          stopped = true;
          scopes.forEach((s) => s.cancel());
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit ?? count, count)) }, lane));
    return Array.from({ length: count }, (_, i) => results[i]).flatMap((r) => r ?? [undefined]);
  }

  /** Many runs: batches of `BATCH_RUNS` in child workflows, `max_workers` split so the total holds. */
  private async runBatches(task: CompiledTask, d: Pick<ChildrenDirective, 'runs' | 'maxConcurrency' | 'stopOn'>, frame: Frame, path: string): Promise<ChildResult[]> {
    const batches: ChildRun[][] = [];
    for (let i = 0; i < d.runs.length; i += BATCH_RUNS) batches.push(d.runs.slice(i, i + BATCH_RUNS));
    const inner = d.maxConcurrency === undefined ? undefined : Math.min(d.maxConcurrency, BATCH_RUNS);
    const lanes = d.maxConcurrency === undefined ? batches.length : Math.max(1, Math.floor(d.maxConcurrency / BATCH_RUNS));
    const snapshot = snapshotFor(task.children, frame);
    const { workflowId } = workflowInfo();
    const results = await this.runPool(batches.length, lanes, d.stopOn, async (b, scope) => {
      const args: RunsInput = { base: this.base, task, runs: batches[b], maxConcurrency: inner, stopOn: d.stopOn, prefix: path, frame: snapshot };
      try {
        return await scope.run(() => executeChild('interpretRuns', { args: [args], workflowId: `${workflowId}/${path}#${b}` }));
      } catch (e) {
        if (isCancellation(e) && !CancellationScope.current().consideredCancelled) return batches[b].map((r) => cancelledRun(r.key));
        if (!(e instanceof ChildWorkflowFailure)) throw e;
        const error = { type: 'BatchFailed', message: (e.cause ?? e).message, task: path };
        return batches[b].map((r) => ({ key: r.key, status: 'failed' as const, outputs: {}, error }));
      }
    });
    return results.map((r, i) => r ?? cancelledRun(d.runs[i].key));
  }

  private async runChild(task: CompiledTask, run: ChildRun, frame: Frame, prefix: string, scope: CancellationScope): Promise<ChildResult> {
    const tasks = run.tasks.map((i) => task.children[i]);
    const outputs = () => Object.fromEntries(frame.outputs);
    try {
      await scope.run(() => this.walk(tasks, frame, prefix, run.anonymous === true && tasks.length === 1));
      return { key: run.key, status: 'completed', outputs: outputs() };
    } catch (e) {
      if (e instanceof TaskFailed) return { key: run.key, status: 'failed', outputs: outputs(), error: e.error };
      if (isCancellation(e) && !CancellationScope.current().consideredCancelled) return { ...cancelledRun(run.key), outputs: outputs() };
      throw e;
    }
  }

  private async emit(signal: { name: string; workflowId?: string; payload: Json }, path: string): Promise<void> {
    const target = signal.workflowId ?? workflowInfo().parent?.workflowId;
    if (!target) {
      throw new TaskFailed({ type: 'NoSignalTarget', message: 'signal.workflow_id is missing and this run has no parent run', task: path });
    }
    try {
      await getExternalWorkflowHandle(target).signal(signal.name, signal.payload);
      this.book.events.emit('signal.sent', path, { name: signal.name, to: target });
    } catch (e) {
      if (isCancellation(e)) throw e;
      throw new TaskFailed({ type: 'SignalFailed', message: `could not signal '${signal.name}' to ${target}: ${(e as Error).message}`, task: path });
    }
  }

  /** The one activity: `createTaskState`, with the task's own retry, timeout and Web UI summary. */
  private async createTaskState(task: CompiledTask, frame: Frame, path: string, response?: Response): Promise<Directive> {
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
      scope: sliceScope(task.reads, frame, this.base),
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
}

function cancelledRun(key: string): ChildResult {
  return { key, status: 'cancelled', outputs: {} };
}

function indexOf(tasks: CompiledTask[], id: string, from: string): number {
  const i = tasks.findIndex((t) => t.id === id);
  if (i < 0) throw new TaskFailed({ type: 'UnknownTask', message: `jump to '${id}', which is not in this sequence`, task: from });
  return i;
}
