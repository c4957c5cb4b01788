/**
 * What a run knows about itself, assembled: its event stream, gates, signals (with pause), update
 * waits and status, each kept current by the others' changes. `installHandlers` exposes it through
 * the run's signals, updates and queries. Deterministic code only.
 */
import { workflowInfo } from '@temporalio/workflow';
import type { CompiledDefinition } from '../contract/compiled';
import type { RedriveInput } from './api';
import { ChildGates } from './child-gates';
import { Deciders } from './deciders';
import { EventStream } from './events';
import { Gates } from './gates';
import type { WaitDirective } from '../contract/directive';
import { Mailbox, type Rotate } from './mailbox';
import { Reuse } from './reuse';
import { StatusBoard } from './status';
import { Updates } from './updates';

/** What a run knows about itself: events, gates, mailbox, updates, status and reuse, wired to its handlers. */
export class RunBook {
  /** The run's lifecycle events (see `events.ts`). */
  readonly events = new EventStream();
  readonly gates: Gates;
  readonly mailbox: Mailbox;
  readonly updates: Updates;
  readonly status: StatusBoard;
  /** Continue-as-new under the signal limit (the top-level run only; see `rotation.ts`). */
  rotation?: { at(path: string, directive: WaitDirective, deadline?: number): Rotate | undefined };
  /** What the run settled, and (in a redrive) what it reuses. */
  readonly reuse: Reuse;
  /** Pending gates of this run's subflow children (`subflow` tasks), decided through this run. */
  readonly children = new ChildGates();
  /** Who decides (verified through the worker), and who started the run. */
  readonly deciders: Deciders;

  constructor(definition: Pick<CompiledDefinition, 'id' | 'version' | 'hash'>, redrive?: RedriveInput) {
    this.reuse = new Reuse(redrive);
    const refresh = () => this.status.refresh();
    const detailsChanged = () => this.status.detailsChanged();
    this.gates = new Gates(this.events, refresh);
    this.deciders = new Deciders(this.gates, this.events);
    this.mailbox = new Mailbox(this.events, detailsChanged, refresh);
    this.updates = new Updates(detailsChanged);
    const visible = workflowInfo().searchAttributes?.FlowstateDefinition !== undefined;
    this.status = new StatusBoard(definition, visible, this);
  }
}
