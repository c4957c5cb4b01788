/**
 * Tasks waiting for an update (`AwaitUpdateDirective`): each update goes to the one task waiting for
 * its name (or the task its payload names), and while a task waits its directive's views answer
 * queries of the same names. Deterministic code only.
 */
import { ApplicationFailure, condition } from '@temporalio/workflow';
import type { AwaitUpdateDirective, Directive, Json } from '../contract/directive';

/** A task waiting for an update. */
export interface UpdateWaiter {
  task: string;
  directive: AwaitUpdateDirective;
  /** Hands a payload to the orchestrator; resolves to its next directive or throws the refusal. */
  apply: (payload: Json) => Promise<Directive>;
  busy: boolean;
  next?: Directive;
}

/** Tasks waiting for an update: routes each update to its task, and keeps the views queries read. */
export class Updates {
  private readonly waiters = new Map<string, UpdateWaiter>();

  /** `changed` runs when a task starts or stops waiting. */
  constructor(private readonly changed: () => void) {}

  /** The tasks waiting for an update now. */
  all(): UpdateWaiter[] {
    return [...this.waiters.values()];
  }

  /**
   * Wait until an update for `task` is taken (the orchestrator answered something other than
   * `reject`); returns that answer, or undefined on timeout. Meanwhile the directive's views answer
   * queries.
   */
  async awaitUpdate(
    task: string,
    directive: AwaitUpdateDirective,
    apply: UpdateWaiter['apply'],
    timeoutMs?: number,
  ): Promise<Directive | undefined> {
    const waiter: UpdateWaiter = { task, directive, apply, busy: false };
    this.waiters.set(task, waiter);
    this.changed();
    try {
      const taken = () => waiter.next !== undefined;
      const ok = timeoutMs === undefined ? (await condition(taken), true) : await condition(taken, timeoutMs);
      return ok ? waiter.next : undefined;
    } finally {
      this.waiters.delete(task);
      this.changed();
    }
  }

  /** An update by name: for the one task waiting for it (or the task named in the payload's `task`). */
  async receive(name: string, payload: Json): Promise<Json> {
    const waiter = waiterFor(name, payload, this.all());
    if (waiter.busy) {
      throw ApplicationFailure.create({
        type: 'UpdateBusy',
        message: `another '${name}' update for ${waiter.task} is being checked; send it again`,
        nonRetryable: true,
      });
    }
    waiter.busy = true;
    try {
      const next = await waiter.apply(payload);
      waiter.next = next;
      return ('reply' in next && next.reply !== undefined ? next.reply : { accepted: true }) as Json;
    } finally {
      waiter.busy = false;
    }
  }

  /** A query by a view's name; its arguments index into the view. */
  view(name: string, args: unknown[]): Json {
    return readView(name, args, this.all());
  }
}

/**
 * The waiter an update named `name` goes to: the one task waiting for it, or the one its payload's
 * `task` names. Throws a non-retryable `UnknownUpdate` failure naming what the run waits for.
 */
export function waiterFor(name: string, payload: Json, waiters: UpdateWaiter[]): UpdateWaiter {
  const waiting = waiters.filter((w) => w.directive.update === name && w.next === undefined);
  const named =
    payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? payload.task : undefined;
  const waiter =
    typeof named === 'string'
      ? waiting.find((w) => w.task === named)
      : waiting.length === 1
        ? waiting[0]
        : undefined;
  if (waiter) return waiter;
  const open = waiters.map((w) => `'${w.directive.update}' (task ${w.task})`);
  const why =
    waiting.length > 1
      ? `several tasks wait for '${name}' (${waiting.map((w) => w.task).join(', ')}): name one with task`
      : `no task is waiting for update '${name}'`;
  throw ApplicationFailure.create({
    type: 'UnknownUpdate',
    message: `${why}; waiting now: ${open.join(', ') || 'none'}`,
    nonRetryable: true,
  });
}

/** The value a query `name` with `args` reads from the views of the waiting tasks. */
export function readView(name: string, args: unknown[], waiters: UpdateWaiter[]): Json {
  for (const w of waiters) {
    const views = w.directive.views ?? {};
    if (!(name in views)) continue;
    let value: Json = views[name];
    for (const arg of args) {
      const key = String(arg);
      if (value === null || typeof value !== 'object' || !(key in value)) {
        const known = value !== null && typeof value === 'object' ? Object.keys(value).join(', ') : 'none';
        throw new Error(`${name}: no '${key}' here (known: ${known})`);
      }
      value = (value as Record<string, Json>)[key];
    }
    return value;
  }
  const known = waiters.flatMap((w) => Object.keys(w.directive.views ?? {}));
  throw new Error(
    `unknown query '${name}'; this run answers state${known.length ? `, ${known.join(', ')}` : ''}`,
  );
}
