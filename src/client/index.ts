/**
 * The typed client API: start runs of definitions, decide gates, signal, read state and results,
 * cancel, list. The `flowstate` CLI is a thin layer on this; users' scripts use it directly.
 */
import { randomUUID } from 'node:crypto';
import { Client, WorkflowFailedError, WorkflowNotFoundError, type Connection } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { CompiledDefinition } from '../contract/compiled';
import type { Json } from '../contract/directive';
import {
  decideUpdate,
  stateQuery,
  taskOutputQuery,
  WORKFLOW_TYPE,
  type DecisionInput,
  type GateView,
  type InterpretInput,
  type RedriveInput,
  type RunResult,
  type RunState,
} from '../workflows/api';
import { connectClient, settingsFromEnv, type ConnectionSettings } from '../connection';
import { checkInput } from './input';
import { checkMessageSize, checkStartSize } from './payload-size';
import { retryPastSignalLimit } from './signal-limit';
import { dataConverterFromEnv } from '../codec';
import { keys, listRuns, statusClause, summaryOf, withTemporalStatus, type RunSummary } from './runs';
import { redrive, type RedriveOptions, type RedriveRef } from './redrive';
import { pinnedDefinition } from './pinned';
import { inbox, type InboxEntry, type InboxOptions } from './inbox';
import { clientObservabilityFromEnv } from '../observability';

export { ConnectionError, settingsFromEnv, type ConnectionSettings } from '../connection';
export { InputError } from './input';
export { PayloadTooLargeError } from './payload-size';
export type { DecisionInput, GateView, RunResult, RunState } from '../workflows/api';
export type { RunSummary } from './runs';
export { RedriveError, type RedriveOptions, type RedriveRef } from './redrive';
export { NotFlowstateRunError } from './pinned';
export { InboxError, type InboxEntry, type InboxOptions, type InboxWho } from './inbox';

/**
 * What makes a run of `definition` findable: the memo (definition, version, hash, source) and, when
 * the server has them registered, Flowstate's search attributes (Web UI filters, `flowstate list`).
 */
export function runVisibility(definition: CompiledDefinition, searchAttributes = true) {
  return {
    memo: {
      definition: definition.id,
      version: definition.version,
      hash: definition.hash,
      source: definition.source ?? null,
    },
    ...(searchAttributes
      ? {
          typedSearchAttributes: [
            { key: keys.definition, value: definition.id },
            { key: keys.version, value: definition.version },
            { key: keys.hash, value: definition.hash },
            { key: keys.status, value: 'running' },
            { key: keys.gates, value: [] as string[] },
          ],
        }
      : {}),
  };
}

export interface StartOptions {
  /** Default: `<definition id>-<8 hex>`. */
  workflowId?: string;
  taskQueue?: string;
  /** Set Flowstate's search attributes (needs them registered; `flowstate server` does). Default true. */
  searchAttributes?: boolean;
  /** Start a redrive (see `redrive`): the run redriven and the outputs reused. */
  redrive?: RedriveInput;
  /**
   * The starter's token (a JWT): the worker verifies it at start and records its subject as the
   * run's `started_by` (gates with `allow_self_review: false` refuse that person). It is in the run's
   * history with the input: use a short-lived token and the payload codec.
   */
  token?: string;
}

export interface RunRef {
  workflowId: string;
  runId: string;
}

/** A run as `describe` sees it: its summary and the task queue its worker must poll. */
export interface RunDescription extends RunSummary {
  taskQueue: string;
}

/** Why a run failed: the error's type and message, and the path of the task that failed (when a task did). */
export interface RunFailure {
  type?: string;
  message: string;
  task?: string;
}

/** The typed client of Flowstate runs: start, decide, signal, query, wait for results, cancel, list. */
export class FlowstateClient {
  constructor(
    readonly client: Client,
    readonly settings: ConnectionSettings,
    private readonly connection?: Connection,
    private readonly onClose: () => Promise<void> = async () => undefined,
  ) {}

  /**
   * Connect with `TEMPORAL_ADDRESS`/`TEMPORAL_NAMESPACE`/`FLOWSTATE_TASK_QUEUE` (or the given
   * settings), with payload encryption (`FLOWSTATE_ENCRYPTION_KEY`) and tracing (`FLOWSTATE_TRACING`)
   * when configured.
   */
  static async connect(settings: ConnectionSettings = settingsFromEnv()): Promise<FlowstateClient> {
    const dataConverter = dataConverterFromEnv();
    const observability = clientObservabilityFromEnv();
    const connection = await connectClient(settings);
    const client = new Client({
      connection,
      namespace: settings.namespace,
      ...(dataConverter ? { dataConverter } : {}),
      ...(observability.interceptors ? { interceptors: observability.interceptors } : {}),
    });
    return new FlowstateClient(client, settings, connection, () => observability.shutdown());
  }

  /** Start a run; the input is checked against the definition's `input` schema first. */
  async start(
    definition: CompiledDefinition,
    input: unknown = {},
    options: StartOptions = {},
  ): Promise<RunRef> {
    checkInput(definition, input);
    checkStartSize(definition, input);
    const workflowId = options.workflowId ?? `${definition.id}-${randomUUID().slice(0, 8)}`;
    const handle = await this.client.workflow.start(WORKFLOW_TYPE, {
      taskQueue: options.taskQueue ?? this.settings.taskQueue,
      workflowId,
      args: [
        {
          definition,
          input,
          ...(options.redrive ? { redrive: options.redrive } : {}),
          ...(options.token ? { starterToken: options.token } : {}),
        } as InterpretInput,
      ],
      ...withRedrive(runVisibility(definition, options.searchAttributes !== false), options.redrive),
      staticSummary: `${definition.id}@${definition.version}`,
      staticDetails: `Flowstate run of **${definition.id}@${definition.version}** (sha256 ${definition.hash.slice(0, 12)})${
        definition.description ? `\n\n${definition.description}` : ''
      }`,
    });
    return { workflowId, runId: handle.firstExecutionRunId };
  }

  /**
   * Redrive a failed (terminated, timed-out, cancelled) run: a new run of its pinned definition and
   * input that reuses every task output it settled and runs the rest. Rejects with `RedriveError`
   * saying why when the run completed or is still running.
   */
  redrive(workflowId: string, options: RedriveOptions = {}): Promise<RedriveRef> {
    return redrive(this, workflowId, options);
  }

  /**
   * Decide a gate through the validated `decide` update (`{ gate, decision, by, comment, token }`);
   * rejects with the reason when it is refused (the cause's `type`: `Unauthenticated`,
   * `NotAnAcceptor`, `GateNotPending`, `SelfReview`, `MalformedDecision`).
   */
  decide(workflowId: string, decision: DecisionInput): Promise<GateView> {
    return this.client.workflow.getHandle(workflowId).executeUpdate(decideUpdate, { args: [decision] });
  }

  /** Send a signal (a `wait_for` name, `pause`, `resume`, `approve`, `reject`). */
  async signal(workflowId: string, name: string, payload?: unknown): Promise<void> {
    checkMessageSize('signal', name, payload);
    const send = () =>
      this.client.workflow.getHandle(workflowId).signal(name, ...(payload === undefined ? [] : [payload]));
    return retryPastSignalLimit(send, workflowId);
  }

  /**
   * Send a named update a task waits for (e.g. `complete-phase`); resolves to the task's reply, or
   * rejects with the reason it was refused (the run is then unchanged).
   */
  async update(workflowId: string, name: string, payload?: unknown): Promise<unknown> {
    checkMessageSize('update', name, payload);
    return this.client.workflow.getHandle(workflowId).executeUpdate(name, { args: [payload ?? null] });
  }

  /** A named query a waiting task answers (e.g. `current-phase`); arguments index into its view. */
  query(workflowId: string, name: string, ...args: unknown[]): Promise<unknown> {
    return this.client.workflow.getHandle(workflowId).query(name, ...args);
  }

  /** The `state` query. */
  state(workflowId: string): Promise<RunState> {
    return this.client.workflow.getHandle(workflowId).query(stateQuery);
  }

  /**
   * The `state` query with the truth about a run Temporal closed (terminated, timed out, continued
   * as new): its status is then Temporal's, not the `running` the run last said. Pass the run's
   * description when you have it, to save a call.
   */
  async currentState(workflowId: string, run?: RunSummary): Promise<RunState> {
    const [state, described] = await Promise.all([this.state(workflowId), run ?? this.describe(workflowId)]);
    return withTemporalStatus(state, described);
  }

  /** One completed task's output in full (the `task-output` query), by task path. */
  taskOutput(workflowId: string, path: string): Promise<Json> {
    return this.client.workflow.getHandle(workflowId).query(taskOutputQuery, path);
  }

  /** The compiled definition the run is pinned to (from its history's first event). */
  definitionOf(workflowId: string, runId?: string): Promise<CompiledDefinition> {
    return pinnedDefinition(this.client, workflowId, runId);
  }

  /** Wait for the run to end; rejects with the run's failure. */
  result(workflowId: string): Promise<RunResult> {
    return this.client.workflow.getHandle(workflowId).result();
  }

  cancel(workflowId: string): Promise<void> {
    return this.client.workflow
      .getHandle(workflowId)
      .cancel()
      .then(() => undefined);
  }

  /**
   * Runs of the interpreter, newest first (by start time); `status` filters on FlowstateStatus
   * (the open statuses only for runs Temporal still has running) or on Temporal's status
   * (`terminated`, `timed_out`, `continued_as_new`), `definition` on the id. A run whose memo cannot be decoded (encrypted, no key here) is listed
   * with `unreadable` saying why, instead of failing the list.
   */
  async list(filter: { status?: string; definition?: string; limit?: number } = {}): Promise<RunSummary[]> {
    const clauses = [`WorkflowType = '${WORKFLOW_TYPE}'`];
    if (filter.status) clauses.push(statusClause(filter.status));
    if (filter.definition) clauses.push(`FlowstateDefinition = '${quote(filter.definition)}'`);
    const runs = await listRuns(this.client, clauses.join(' AND '), filter.limit ?? 100);
    return filter.status ? runs.filter((r) => r.status === filter.status) : runs;
  }

  /**
   * The inbox: the pending gates a person may decide, oldest first, across running runs. `me` matches
   * an acceptor by name, each of `groups` a `group:<g>` acceptor; a gate without acceptors is anyone's.
   * Found through `FlowstateAcceptors`, detailed by each run's `state` query. Listing only: this
   * trusts the names given; a decision is checked by the worker. Rejects with `InboxError` when
   * neither `me` nor `groups` names anyone. A run whose state cannot be read (no worker) is left
   * out and reported to `options.onUnreadable`.
   */
  inbox(who: { me?: string; groups?: string[] }, options: InboxOptions = {}): Promise<InboxEntry[]> {
    return inbox(this.client, who, options);
  }

  /** The run's summary and task queue; rejects with `WorkflowNotFoundError` when there is none. */
  async describe(workflowId: string): Promise<RunDescription> {
    const d = await this.client.workflow.getHandle(workflowId).describe();
    return { ...summaryOf(d), taskQueue: d.taskQueue };
  }

  /** True when a worker polls `taskQueue` (default: this client's) for workflow tasks. */
  async hasWorker(taskQueue: string = this.settings.taskQueue): Promise<boolean> {
    const { pollers } = await this.client.workflowService.describeTaskQueue({
      namespace: this.client.options.namespace,
      taskQueue: { name: taskQueue },
      taskQueueType: 1 /* TASK_QUEUE_TYPE_WORKFLOW */,
    });
    return (pollers?.length ?? 0) > 0;
  }

  /** Why a finished run failed (undefined when it did not): the error and the failed task's path. */
  async failure(workflowId: string): Promise<RunFailure | undefined> {
    try {
      await this.client.workflow.getHandle(workflowId).result();
      return undefined;
    } catch (e) {
      if (!(e instanceof WorkflowFailedError)) throw e;
      const cause = e.cause ?? e;
      const type = cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
      const detail =
        cause instanceof ApplicationFailure ? (cause.details?.[0] as { task?: unknown }) : undefined;
      const task = typeof detail?.task === 'string' ? detail.task : undefined;
      return { ...(type ? { type } : {}), message: cause.message, ...(task ? { task } : {}) };
    }
  }

  /** True when a run with this id exists. */
  async exists(workflowId: string): Promise<boolean> {
    try {
      await this.client.workflow.getHandle(workflowId).describe();
      return true;
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) return false;
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.connection?.close();
    await this.onClose();
  }
}

/** A redrive's memo also names the run it redrives (`redrives`). */
function withRedrive<T extends { memo: Record<string, unknown> }>(visibility: T, redrive?: RedriveInput): T {
  return redrive ? { ...visibility, memo: { ...visibility.memo, redrives: redrive.from } } : visibility;
}

function quote(value: string): string {
  return value.replace(/'/g, "\\'");
}
