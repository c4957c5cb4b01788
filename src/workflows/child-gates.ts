/**
 * Gates of subflow child runs, seen and decided through the parent. A child started by a `subflow`
 * task reports its pending gates to the parent (the `flowstate-child-gates` signal) whenever they
 * change; the parent lists them in its `state` under the task's path (`review/legal`) and forwards a
 * decision on one to the child as its `approve`/`reject` signal. Deterministic code only.
 */
import {
  condition,
  defineSignal,
  getExternalWorkflowHandle,
  isCancellation,
  log,
} from '@temporalio/workflow';
import { decisionIssues, type DecisionInput, type GateView } from './api';
import type { Gates } from './gates';
import { viewOf } from './gates';

/** What a child reports: the path of the parent's subflow task and the child's pending gates. */
export interface ChildGatesReport {
  path: string;
  workflowId: string;
  gates: GateView[];
}

/** The signal a subflow child sends its parent when its pending gates change. */
export const childGatesSignal = defineSignal<[ChildGatesReport]>('flowstate-child-gates');

/** The pending gates of this run's subflow children, by the subflow task's path. */
export class ChildGates {
  private readonly byPath = new Map<string, ChildGatesReport>();

  /** Take a child's report (an empty list clears it). */
  report(r: ChildGatesReport): void {
    if (r.gates.length === 0) this.byPath.delete(r.path);
    else this.byPath.set(r.path, r);
  }

  /** The child run under `path` ended: its gates are gone. True when it still had some listed. */
  ended(path: string): boolean {
    return this.byPath.delete(path);
  }

  /** The children's pending gates as the parent's `state` shows them: paths under the task's. */
  views(): GateView[] {
    return [...this.byPath.values()].flatMap((r) =>
      r.gates.map((g) => ({ ...g, gate: `${r.path}/${g.gate}`, task: `${r.path}/${g.task}` })),
    );
  }

  /** The child and its gate a decision names, when it names a child's pending gate. */
  find(d: DecisionInput): { report: ChildGatesReport; gate: GateView } | undefined {
    if (typeof d?.gate !== 'string') return undefined;
    for (const report of this.byPath.values()) {
      if (!d.gate.startsWith(`${report.path}/`)) continue;
      const inner = d.gate.slice(report.path.length + 1);
      const gate = report.gates.find((g) => g.gate === inner);
      if (gate) return { report, gate };
    }
    return undefined;
  }

  /**
   * Check a decision on a child's gate as the child would (its acceptors; with a token, the child
   * checks its verified subject); throws why not.
   */
  check(d: DecisionInput, checkBy = true): void {
    const issues = decisionIssues(d);
    if (issues.length > 0) throw new Error(`malformed decision: ${issues.join('; ')}`);
    const found = this.find(d);
    if (!found) throw new Error(`gate '${d.gate}' is not pending`);
    const { acceptors } = found.gate;
    if (checkBy && acceptors.length > 0 && !acceptors.includes(d.by)) {
      throw new Error(`'${d.by}' may not decide gate '${d.gate}': acceptors are ${acceptors.join(', ')}`);
    }
  }

  /** Forward a checked decision to the child as its `approve`/`reject` signal. */
  async forward(d: DecisionInput): Promise<GateView> {
    const found = this.find(d);
    if (!found) throw new Error(`gate '${d.gate}' is not pending`);
    const { report, gate } = found;
    const payload = {
      gate: gate.gate,
      by: d.by,
      ...(d.comment !== undefined ? { comment: d.comment } : {}),
      ...(d.token !== undefined ? { token: d.token } : {}),
    };
    await getExternalWorkflowHandle(report.workflowId).signal(d.decision, payload);
    return { ...gate, gate: d.gate as string, status: d.decision === 'approve' ? 'approved' : 'rejected' };
  }
}

/**
 * In a subflow child: send the parent this run's pending gates each time they change, for as long as
 * the run lives. Only runs started by a subflow task call it, so no other run's commands change.
 */
export async function reportGates(
  gates: Gates,
  parentId: string,
  path: string,
  workflowId: string,
): Promise<void> {
  let sent = '[]';
  const current = () => JSON.stringify(gates.all().map(viewOf));
  for (;;) {
    try {
      await condition(() => current() !== sent);
      sent = current();
      const report: ChildGatesReport = { path, workflowId, gates: JSON.parse(sent) as GateView[] };
      await getExternalWorkflowHandle(parentId).signal(childGatesSignal, report);
    } catch (e) {
      // Never an unhandled rejection: this runs beside the walk, unawaited.
      if (isCancellation(e)) return;
      log.warn(`could not report gates to the parent run ${parentId}: ${(e as Error).message}`);
    }
  }
}
