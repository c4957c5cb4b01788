/**
 * A pool of evaluator processes. Each evaluation goes to an idle evaluator (a new one is started while
 * fewer than `evaluators` run); one that passes the time limit is killed and replaced, one that dies
 * (out of memory, a V8 fatal error) is replaced, and its caller gets an `ExpressionError` naming the
 * limit. How an evaluator is started is given (`forkEvaluator` in production), so the scheduling is
 * tested without processes.
 */
import { ExpressionError } from '../errors';
import { limitVariable, type BoxLimits } from './limits';

/** A request to an evaluator: evaluate `text` against `scope`. */
export interface BoxRequest {
  id: number;
  text: string;
  scope: Record<string, unknown>;
}

/** An evaluator's answer: the value (plain JSON) or the error it ended with. */
export type BoxReply =
  | { id: number; value: unknown }
  | { id: number; error: { message: string; position?: number; code?: string } };

/** One evaluator, as the pool drives it. */
export interface Evaluator {
  send(request: BoxRequest): void;
  /** Stop it at once (SIGKILL); `onExit` follows. */
  kill(): void;
  /** Whether it keeps the worker's event loop alive (only while it works for a caller). */
  ref(busy: boolean): void;
  onReply(listener: (reply: BoxReply) => void): void;
  /** It has started and takes requests (a process start never counts against the time limit). */
  onReady(listener: () => void): void;
  /** It ended: its exit code or signal, and what it wrote to stderr (the start of it). */
  onExit(listener: (code: number | null, signal: string | null, stderr: string) => void): void;
}

/** Starts an evaluator with the given limits. */
export type StartEvaluator = (limits: BoxLimits) => Evaluator;

/** Time an evaluator gets past the limit to answer with JSONata's own timeout before it is killed. */
export const KILL_GRACE_MS = 250;

interface Job {
  text: string;
  scope: Record<string, unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

interface Slot {
  evaluator: Evaluator;
  job?: Job;
  id: number;
  timer?: NodeJS.Timeout;
}

/** The evaluator processes of one worker and the queue of evaluations waiting for one. */
export class EvaluatorPool {
  private readonly slots = new Set<Slot>();
  private readonly idle: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 0;
  private closed = false;

  constructor(
    readonly limits: BoxLimits,
    private readonly start: StartEvaluator,
  ) {}

  /** Evaluators running now (busy or idle). */
  get size(): number {
    return this.slots.size;
  }

  /** Start one evaluator ahead of need, so the first boxed expression does not wait for it. */
  warm(): void {
    if (!this.closed && this.slots.size === 0) this.spawn();
  }

  /** Evaluate `text` in an evaluator; rejects with `ExpressionError` for a limit or a JSONata error. */
  evaluate(text: string, scope: Record<string, unknown>): Promise<unknown> {
    if (this.closed)
      return Promise.reject(
        new ExpressionError(`expression box is closed: '${text}'`, text, undefined, 'BoxClosed'),
      );
    return new Promise((resolve, reject) => {
      this.queue.push({ text, scope, resolve, reject });
      this.pump();
    });
  }

  /** Kill every evaluator; evaluations waiting or running fail. */
  close(): void {
    this.closed = true;
    for (const job of this.queue.splice(0))
      job.reject(
        new ExpressionError(`expression box closed: '${job.text}'`, job.text, undefined, 'BoxClosed'),
      );
    for (const slot of [...this.slots]) slot.evaluator.kill();
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const slot = this.idle.pop();
      if (!slot) {
        // Start one more when every evaluator is busy (not when one is still starting).
        if (this.slots.size < this.limits.evaluators && this.slots.size === this.busy()) this.spawn();
        return;
      }
      this.dispatch(slot, this.queue.shift()!);
    }
  }

  private spawn(): Slot {
    const slot: Slot = { evaluator: this.start(this.limits), id: -1 };
    this.slots.add(slot);
    // Held while it starts (a caller may be waiting for it), let go once idle.
    slot.evaluator.ref(true);
    slot.evaluator.onReady(() => {
      if (!this.slots.has(slot)) return;
      slot.evaluator.ref(false);
      this.idle.push(slot);
      this.pump();
    });
    slot.evaluator.onReply((reply) => this.replied(slot, reply));
    slot.evaluator.onExit((code, signal, stderr) => this.exited(slot, code, signal, stderr));
    return slot;
  }

  private busy(): number {
    let n = 0;
    for (const slot of this.slots) if (slot.job) n++;
    return n;
  }

  private dispatch(slot: Slot, job: Job): void {
    slot.job = job;
    slot.id = this.nextId++;
    slot.evaluator.ref(true);
    slot.timer = setTimeout(() => {
      this.finish(slot, timeLimitError(job.text, this.limits));
      slot.evaluator.kill();
      this.pump();
    }, this.limits.timeoutMs + KILL_GRACE_MS);
    try {
      slot.evaluator.send({ id: slot.id, text: job.text, scope: job.scope });
    } catch (e) {
      // A scope that cannot be sent (a function in it, say): the evaluator is untouched.
      this.release(slot);
      this.idle.push(slot);
      job.reject(
        new ExpressionError(
          `could not send the scope to the expression box (${(e as Error).message}): '${job.text}'`,
          job.text,
          undefined,
          'BoxSend',
        ),
      );
    }
  }

  private replied(slot: Slot, reply: BoxReply): void {
    if (!slot.job || reply.id !== slot.id) return;
    const job = slot.job;
    this.release(slot);
    this.idle.push(slot);
    if ('error' in reply) {
      const { message, position, code } = reply.error;
      job.reject(new ExpressionError(message, job.text, position, code));
    } else job.resolve(reply.value);
    this.pump();
  }

  private exited(slot: Slot, code: number | null, signal: string | null, stderr: string): void {
    this.slots.delete(slot);
    const at = this.idle.indexOf(slot);
    if (at >= 0) this.idle.splice(at, 1);
    if (slot.job) this.finish(slot, exitError(slot.job.text, code, signal, stderr, this.limits));
    if (!this.closed) this.pump();
  }

  /** Fail the slot's job (the evaluator is being killed or is gone: it is never idle again). */
  private finish(slot: Slot, error: ExpressionError): void {
    const job = slot.job;
    this.release(slot);
    this.slots.delete(slot);
    job?.reject(error);
  }

  private release(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.job = undefined;
    slot.evaluator.ref(false);
  }
}

/** The error for an evaluation that passed the time limit (a regular expression's backtracking included). */
export function timeLimitError(text: string, limits: BoxLimits): ExpressionError {
  const knob = limitVariable('timeoutMs');
  return new ExpressionError(
    `expression ran past the time limit of ${limits.timeoutMs} ms (${knob}; regular expressions ` +
      `included) and was stopped: '${text}'. Simplify it (a regular expression such as (a+)+ takes ` +
      `exponential time on some inputs) or raise ${knob}`,
    text,
    undefined,
    'TimeLimit',
  );
}

/** True when an evaluator's end says it ran out of memory (heap limit, or a V8 fatal size error). */
export function diedOfMemory(signal: string | null, stderr: string): boolean {
  return (
    /heap out of memory|invalid size|invalid array length|allocation failed/i.test(stderr) ||
    signal === 'SIGABRT' ||
    signal === 'SIGTRAP'
  );
}

/** The error for an evaluation whose evaluator died under it. */
export function exitError(
  text: string,
  code: number | null,
  signal: string | null,
  stderr: string,
  limits: BoxLimits,
): ExpressionError {
  if (diedOfMemory(signal, stderr)) {
    const knob = limitVariable('memoryMb');
    return new ExpressionError(
      `expression ran out of memory: it needed more than the memory limit of ${limits.memoryMb} MB ` +
        `(${knob}) and was stopped: '${text}'. Build large data in a tool, not in an expression, or ` +
        `raise ${knob}`,
      text,
      undefined,
      'MemoryLimit',
    );
  }
  const how = signal ? `signal ${signal}` : `exit code ${code}`;
  const said = stderr.trim().split('\n')[0];
  return new ExpressionError(
    `expression evaluator ended (${how}${said ? `: ${said}` : ''}) while evaluating '${text}'`,
    text,
    undefined,
    'EvaluatorExited',
  );
}
