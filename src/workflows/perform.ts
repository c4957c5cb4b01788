/**
 * Performing a task's directives: what `createTaskState` answers is done here, and the answer to it
 * handed back, until the task is done. Every directive kind has its case; a kind without one is a
 * compile error. Deterministic code only.
 */
import {
  ApplicationFailure,
  getExternalWorkflowHandle,
  isCancellation,
  workflowInfo,
} from '@temporalio/workflow';
import type { CompiledTask } from '../contract/compiled';
import type {
  AwaitUpdateDirective,
  ChildResult,
  Directive,
  DoneDirective,
  EmitDirective,
  Json,
  Response,
} from '../contract/directive';
import type { Outcome, RunBase } from './child-workflows';
import type { EventStream } from './events';
import { assertNever, TaskFailed } from './failures';
import type { FanOut } from './fan-out';
import type { RunBook } from './run-book';
import { runDefinition } from './run-definition';
import type { Frame } from './scope';
import { createTaskState } from './task-state';

/** Runs before each directive (in `interpretTask`: continue as new when the history has grown). */
export type Checkpoint = (next: Directive) => Promise<void>;

/** Performs a task's directives until the task is done or fails. */
export class Performer {
  constructor(
    private readonly base: RunBase,
    private readonly book: RunBook,
    private readonly fanOut: FanOut,
  ) {}

  /** Perform directives from `first` on until the task is done; returns what it came to. */
  async perform(
    task: CompiledTask,
    frame: Frame,
    path: string,
    first: Directive,
    checkpoint?: Checkpoint,
    /** A wait's deadline, when a continued run resumes the wait. */
    resumedDeadline?: number,
  ): Promise<Outcome> {
    const call = (response?: Response) => createTaskState(task, frame, path, this.base, response);
    let directive = first;
    // A wait's timeout counts from the task's first wait, across the answers to it.
    let deadline: number | undefined = resumedDeadline;
    for (;;) {
      if (checkpoint) await checkpoint(directive);
      report(directive, path, this.book.events);
      switch (directive.kind) {
        case 'done':
          return outcomeOf(directive);
        case 'fail':
          throw new TaskFailed({ ...directive.error, task: path }, directive.next);
        case 'children': {
          const results = await this.fanOut.run(task, directive, frame, path);
          if (directive.exportOutputs) exportOutputs(results, frame);
          directive = await call({ kind: 'children', results, state: directive.state });
          break;
        }
        case 'await_signal': {
          if (directive.timeoutMs !== undefined) deadline ??= Date.now() + directive.timeoutMs;
          const left = deadline === undefined ? undefined : Math.max(0, deadline - Date.now());
          const rotate = this.book.rotation?.at(path, directive, deadline);
          const got = await this.book.mailbox.next(path, directive.signal, left, rotate);
          if (!got) {
            if (directive.onTimeout) return { output: null, next: directive.onTimeout };
            const message = `no matching '${directive.signal}' signal in time`;
            throw new TaskFailed({ type: 'WaitTimeout', message, task: path });
          }
          directive = await call({ kind: 'signal', payload: got.payload, state: directive.state });
          break;
        }
        case 'await_update': {
          const waiting = directive;
          if (waiting.timeoutMs !== undefined) deadline ??= Date.now() + waiting.timeoutMs;
          const left = deadline === undefined ? undefined : Math.max(0, deadline - Date.now());
          const apply = (payload: Json) => answerUpdate(call, waiting, payload);
          const next = await this.book.updates.awaitUpdate(path, waiting, apply, left);
          if (!next) {
            if (waiting.onTimeout) return { output: null, next: waiting.onTimeout };
            const message = `no '${waiting.update}' update was taken in time`;
            throw new TaskFailed({ type: 'UpdateTimeout', message, task: path });
          }
          directive = next;
          break;
        }
        case 'run_definition': {
          const { output, workflowId } = await runDefinition(directive, path).finally(() => {
            if (this.book.children.ended(path)) this.book.status.refresh();
          });
          directive = await call({ kind: 'workflow', output, workflowId, state: directive.state });
          break;
        }
        case 'reject':
          // Only an answer to an update may refuse; anywhere else it is the task failing.
          throw new TaskFailed({ type: 'Rejected', message: directive.message, task: path });
        case 'emit':
          await sendSignal(directive.signal, path, this.book.events);
          directive = { kind: 'done', output: directive.output };
          break;
        default:
          return assertNever(directive, (d) => unknownDirective(d, path));
      }
    }
  }
}

/** What a `done` directive makes of the task. */
export function outcomeOf(directive: DoneDirective): Outcome {
  const { output, next, meta, skipped } = directive;
  return {
    output,
    ...(next !== undefined ? { next } : {}),
    ...(meta ? { meta } : {}),
    ...(skipped ? { skipped } : {}),
  };
}

/** Make the completed runs' task outputs visible to the tasks after the fan-out. */
export function exportOutputs(results: ChildResult[], frame: Frame): void {
  for (const r of results) {
    if (r.status === 'completed') for (const [id, v] of Object.entries(r.outputs)) frame.outputs.set(id, v);
  }
}

/** A directive of a kind this interpreter does not know (from a newer worker, say): the task fails. */
export function unknownDirective(directive: unknown, path: string): TaskFailed {
  const kind = (directive as { kind?: unknown } | null)?.kind;
  const message = `unknown directive kind '${String(kind)}': this interpreter may be older than the worker's orchestrators`;
  return new TaskFailed({ type: 'UnknownDirective', message, task: path });
}

/** Emit what a directive reports: its retries and the orchestrator's own events. */
function report(directive: Directive, path: string, events: EventStream): void {
  if (directive.attempt) events.emit('task.retried', path, { attempts: directive.attempt });
  for (const e of directive.events ?? []) events.emit(e.type, path, e.data);
}

/** Hand an update's payload to the orchestrator; a `reject` fails the update and changes nothing. */
async function answerUpdate(
  call: (r?: Response) => Promise<Directive>,
  waiting: AwaitUpdateDirective,
  payload: Json,
): Promise<Directive> {
  const next = await call({ kind: 'update', name: waiting.update, payload, state: waiting.state });
  if (next.kind === 'reject') {
    throw ApplicationFailure.create({
      type: 'UpdateRejected',
      message: next.message,
      details: next.details === undefined ? [] : [next.details],
      nonRetryable: true,
    });
  }
  return next;
}

/** Send an `emit` directive's signal: to its `workflowId`, or to the parent run. */
async function sendSignal(signal: EmitDirective['signal'], path: string, events: EventStream): Promise<void> {
  const target = signal.workflowId ?? workflowInfo().parent?.workflowId;
  if (!target) {
    const message = 'signal.workflow_id is missing and this run has no parent run';
    throw new TaskFailed({ type: 'NoSignalTarget', message, task: path });
  }
  try {
    await getExternalWorkflowHandle(target).signal(signal.name, signal.payload);
    events.emit('signal.sent', path, { name: signal.name, to: target });
  } catch (e) {
    if (isCancellation(e)) throw e;
    const message = `could not signal '${signal.name}' to ${target}: ${(e as Error).message}`;
    throw new TaskFailed({ type: 'SignalFailed', message, task: path });
  }
}
