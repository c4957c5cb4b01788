/**
 * The interaction driver: plays a case's scripted interactions against a live run by polling its
 * `state` query. An interaction waits until the task path it names waits for what it does (a gate
 * pending a decision, a signal, an update), then decides, signals or updates. An interaction the run
 * never gets to, before it ends or before the case's deadline, is a failure naming the path. An
 * interaction may also cancel the run, start a peer, or wait for a `when` predicate over the state.
 */
import type { CompiledDefinition } from '../contract/compiled';
import type { FlowstateClient, GateView, RunState } from '../client';
import type { InteractionSpec } from './cases';
import type { Failure } from './expect';
import { project, diffValues, trail } from './expect';
import { isDeepStrictEqual } from 'node:util';
import { evaluate } from '../expressions';
import { pollUntil, PollTimeoutError } from './poll';
import { allTasks, durationFieldsOf } from './time';

export interface DriveOptions {
  client: FlowstateClient;
  workflowId: string;
  definition: CompiledDefinition;
  interactions: InteractionSpec[];
  /** `file:line:col` of an interaction's field. */
  where(index: number, field?: string): string;
  /** Real-time deadline (epoch ms). */
  deadline: number;
  /** Resolves when the run ends (whatever the outcome). */
  ended: Promise<unknown>;
  /** Other runs of the case may signal this one: waiting for a signal is then never "stuck". */
  hasPeers: boolean;
  /** Replace `${run.id}`-style placeholders in payloads. */
  substitute<T>(value: T): T;
  /** Start a peer of the case (an interaction's `start`). */
  startPeer(name: string): Promise<void>;
  pollMs?: number;
}

export interface DriveResult {
  failures: Failure[];
  /** The driver gave up on a run that had not ended (it must be stopped). */
  abandoned: boolean;
  /** Paths seen waiting (gates, signals, updates), for messages. */
  waitedAt: string[];
}

/** A stuck wait must look stuck this long (ms) before the driver gives up early. */
const STUCK_MS = 1_000;

/** Play the interactions in order, each once its path waits (or its `when` holds), until the run ends. */
export async function drive(o: DriveOptions): Promise<DriveResult> {
  let ended = false;
  void o.ended.then(
    () => (ended = true),
    () => (ended = true),
  );
  const waitedAt = new Set<string>();
  const decided = new Map<string, number>();
  const failures: Failure[] = [];
  let stuckSince: number | undefined;
  let next = 0;
  let state: RunState | undefined;
  const done = (abandoned: boolean): DriveResult => ({ failures, abandoned, waitedAt: [...waitedAt] });

  /** One look at the run (again at once after an interaction): the result when the driver is done. */
  const look = async (): Promise<DriveResult | undefined> => {
    for (;;) {
      const endedBefore = ended;
      // Not started yet, or ended between two looks: look again.
      state = await o.client.state(o.workflowId).catch(() => undefined);
      if (state) for (const w of waitingPaths(state)) waitedAt.add(w);

      if (next < o.interactions.length && state) {
        const step = o.interactions[next];
        const found = await match(step, state, decided);
        if (found.kind === 'mismatch') {
          failures.push({
            message: `interaction ${next + 1} (${describe(step)}): ${found.message}`,
            path: step.at,
            where: o.where(next),
          });
          return done(true);
        }
        if (found.kind === 'ready') {
          const failure = await perform(o, step, next, found.gate, decided);
          if (failure) {
            failures.push(failure);
            return done(true);
          }
          next++;
          stuckSince = undefined;
          continue;
        }
      }

      // The run had ended before this look: whatever is left was never reached.
      if (endedBefore) {
        if (next < o.interactions.length) failures.push(await neverReached(o, next, [...waitedAt]));
        return done(false);
      }
      if (next >= o.interactions.length && ended) return done(false);
      // A gate (or a wait with no timeout) that nothing will ever answer: say so now, not at the deadline.
      const stuck = state ? stuckAt(state, o, next) : undefined;
      if (!stuck) stuckSince = undefined;
      else if (Date.now() - (stuckSince ??= Date.now()) >= STUCK_MS) {
        failures.push(stuck);
        return done(true);
      }
      return undefined;
    }
  };

  try {
    return await pollUntil(look, {
      timeoutMs: Math.max(0, o.deadline - Date.now()),
      intervalMs: o.pollMs ?? 100,
      wake: o.ended,
    });
  } catch (e) {
    if (!(e instanceof PollTimeoutError)) throw e;
    const where = state ? describeWaits(state) : 'nothing the kit can see';
    if (next < o.interactions.length) {
      const step = o.interactions[next];
      failures.push({
        message: `interaction ${next + 1} (${describe(step)}) was not reached in time: after the case's timeout the run waits at ${where}`,
        path: step.at,
        where: o.where(next),
      });
    } else {
      failures.push({
        message: `the run did not end within the case's timeout; it waits at ${where}, and no interaction is left for it`,
        ...firstWait(state),
      });
    }
    return done(true);
  }
}

type Match = { kind: 'ready'; gate?: GateView } | { kind: 'wait' } | { kind: 'mismatch'; message: string };

async function match(step: InteractionSpec, state: RunState, decided: Map<string, number>): Promise<Match> {
  if (step.when !== undefined) {
    let holds: unknown;
    try {
      holds = await evaluate(step.when, state as unknown as Record<string, unknown>);
    } catch (e) {
      return {
        kind: 'mismatch',
        message: `when \`${step.when}\` cannot be evaluated: ${(e as Error).message}`,
      };
    }
    // A decision still needs its gate pending; anything else goes as soon as `when` holds.
    if (holds !== true) return { kind: 'wait' };
    if (!step.decide) return { kind: 'ready' };
  }
  if (step.decide) {
    const gate = state.pending_gates.find(
      (g) => g.gate === step.at && g.revision > (decided.get(step.at) ?? -1),
    );
    return gate ? { kind: 'ready', gate } : { kind: 'wait' };
  }
  const waits = state.waiting.filter((w) => w.task === step.at);
  if (step.cancel || step.start) {
    return waits.length > 0 || state.pending_gates.some((g) => g.gate === step.at)
      ? { kind: 'ready' }
      : { kind: 'wait' };
  }
  if (step.signal) {
    const w = waits.find((x): x is { task: string; signal: string } => 'signal' in x);
    if (!w) return { kind: 'wait' };
    return w.signal === step.signal
      ? { kind: 'ready' }
      : { kind: 'mismatch', message: `'${step.at}' waits for signal '${w.signal}', not '${step.signal}'` };
  }
  const w = waits.find((x): x is { task: string; update: string; views: string[] } => 'update' in x);
  if (!w) return { kind: 'wait' };
  return w.update === step.update
    ? { kind: 'ready' }
    : { kind: 'mismatch', message: `'${step.at}' waits for update '${w.update}', not '${step.update}'` };
}

async function perform(
  o: DriveOptions,
  step: InteractionSpec,
  i: number,
  gate: GateView | undefined,
  decided: Map<string, number>,
): Promise<Failure | undefined> {
  const label = `interaction ${i + 1} (${describe(step)})`;
  const fail = (message: string, extra: Partial<Failure> = {}): Failure => ({
    message: `${label}: ${message}`,
    path: step.at,
    where: o.where(i),
    ...extra,
  });
  let reply: unknown;
  try {
    if (step.decide) {
      const by = step.by ?? gate?.acceptors[0] ?? 'flowstate-test';
      await o.client.decide(o.workflowId, {
        gate: step.at,
        decision: step.decide,
        by,
        ...(step.comment !== undefined ? { comment: step.comment } : {}),
      });
    } else if (step.signal) {
      await o.client.signal(o.workflowId, step.signal, o.substitute(step.payload));
    } else if (step.update) {
      reply = await o.client.update(o.workflowId, step.update, o.substitute(step.payload ?? null));
    } else if (step.cancel) {
      await o.client.cancel(o.workflowId);
    } else if (step.start) {
      await o.startPeer(step.start);
    }
  } catch (e) {
    const reason = refusal(e);
    if (step.refused !== undefined) {
      return reason.includes(step.refused)
        ? undefined
        : fail(`refused, but without '${step.refused}': ${reason}`, { where: o.where(i, 'refused') });
    }
    return fail(`refused: ${reason}`);
  }
  if (step.refused !== undefined)
    return fail(`expected a refusal holding '${step.refused}', but it was accepted`, {
      where: o.where(i, 'refused'),
    });
  if (gate) decided.set(step.at, gate.revision);
  if (step.reply !== undefined) {
    const expected = o.substitute(step.reply);
    const projected = project(reply, expected);
    if (
      !isDeepStrictEqual(
        JSON.parse(JSON.stringify(projected ?? null)),
        JSON.parse(JSON.stringify(expected ?? null)),
      )
    ) {
      return fail("the update's reply does not include the expected reply", {
        diff: diffValues(expected, projected),
        where: o.where(i, 'reply'),
      });
    }
  }
  return undefined;
}

async function neverReached(o: DriveOptions, i: number, waitedAt: string[]): Promise<Failure> {
  const step = o.interactions[i];
  let how = 'ended';
  let ran = '';
  try {
    const state = await o.client.state(o.workflowId);
    how =
      state.status === 'failed'
        ? 'failed'
        : state.status === 'completed'
          ? 'completed'
          : `ended (${state.status})`;
    ran = `; it ran: ${trail(state.completed)}`;
  } catch {
    // the state of an ended run is best effort
  }
  const what = step.decide
    ? ' for a decision'
    : step.signal
      ? ` for signal '${step.signal}'`
      : step.update
        ? ` for update '${step.update}'`
        : '';
  const before = step.when !== undefined ? `\`${step.when}\` held` : `'${step.at}' waited${what}`;
  const waited = waitedAt.length ? `; it waited at: ${waitedAt.join(', ')}` : '; it never waited for anyone';
  return {
    message: `interaction ${i + 1} (${describe(step)}) was never reached: the run ${how} before ${before}${waited}${ran}`,
    path: step.at,
    where: o.where(i),
  };
}

/** A gate or wait nothing will ever answer: no interaction left for it and no timeout on it. */
function stuckAt(state: RunState, o: DriveOptions, next: number): Failure | undefined {
  if (state.status === 'completed' || state.status === 'failed' || state.paused) return undefined;
  const pendingAt = o.interactions[next]?.at;
  const tasks = allTasks(o.definition);
  const byId = new Map(tasks.map((t) => [t.task.id, t.task]));
  const waits = [...state.pending_gates.map((g) => g.gate), ...state.waiting.map((w) => w.task)];
  if (waits.length === 0 || (pendingAt !== undefined && waits.includes(pendingAt))) return undefined;
  // Something else is still working: it may yet reach the path the next interaction names.
  // (A container is running while the tasks inside it wait: that is not other work.)
  const holds = (p: string) => waits.some((w) => w === p || w.startsWith(`${p}/`) || w.startsWith(`${p}[`));
  if (state.running.some((p) => !holds(p))) return undefined;
  for (const g of state.pending_gates) {
    const task = byId.get(g.task);
    if (!task || task.acceptance?.timeoutMs !== undefined) return undefined;
  }
  for (const w of state.waiting) {
    if ('signal' in w && o.hasPeers) return undefined;
    const task = byId.get(lastId(w.task));
    if (!task || durationFieldsOf(task).length > 0) return undefined;
  }
  const first = waits[0];
  const then =
    pendingAt !== undefined
      ? `; interaction ${next + 1} (${describe(o.interactions[next])}) waits for '${pendingAt}', which the run cannot reach until then`
      : ', and the case has no interaction left for it';
  return {
    message: `the run waits at ${describeWaits(state)} with no timeout${then}`,
    path: first,
    ...(pendingAt !== undefined ? { where: o.where(next) } : {}),
  };
}

function lastId(path: string): string {
  return (path.split('/').pop() ?? path).replace(/\[[^\]]*\]/g, '');
}

function waitingPaths(state: RunState): string[] {
  return [
    ...state.pending_gates.map((g) => `${g.gate} (gate)`),
    ...state.waiting.map((w) => `${w.task} (${'signal' in w ? `signal ${w.signal}` : `update ${w.update}`})`),
  ];
}

function describeWaits(state: RunState): string {
  const parts = [
    ...state.pending_gates.map((g) => `gate '${g.gate}' (acceptors: ${g.acceptors.join(', ') || 'anyone'})`),
    ...state.waiting.map((w) =>
      'signal' in w ? `'${w.task}' (signal '${w.signal}')` : `'${w.task}' (update '${w.update}')`,
    ),
  ];
  return parts.length ? parts.join(', ') : `nothing (running: ${state.running.join(', ') || 'nothing'})`;
}

function firstWait(state: RunState | undefined): { path?: string } {
  const p = state?.pending_gates[0]?.gate ?? state?.waiting[0]?.task ?? state?.running[0];
  return p ? { path: p } : {};
}

/** `approve at 'draft'`, `signal 'ping' at 'ping'`, `cancel at 'draft'`, `start peer 'ping' at 'ping'`. */
export function describe(step: InteractionSpec): string {
  if (step.decide) return `${step.decide} at '${step.at}'`;
  if (step.signal) return `signal '${step.signal}' at '${step.at}'`;
  if (step.update) return `update '${step.update}' at '${step.at}'`;
  if (step.cancel) return `cancel at '${step.at}'`;
  return `start peer '${step.start}' at '${step.at}'`;
}

function refusal(e: unknown): string {
  const err = e as { cause?: { message?: string }; message?: string };
  return err?.cause?.message ?? err?.message ?? String(e);
}
