/** A parent's view of its subflow children's gates: listed under the task's path, checked as the child would. */
import { ChildGates } from '../../../src/workflows/child-gates';
import type { GateView } from '../../../src/workflows/api';

const legal: GateView = {
  gate: 'legal',
  task: 'legal',
  status: 'pending',
  output: { ok: true },
  acceptors: ['lawyer'],
  revision: 0,
  max_revisions: 3,
};

describe('ChildGates', () => {
  it("lists a child's pending gates under the subflow task's path, until the child reports none or ends", () => {
    const children = new ChildGates();
    children.report({ path: 'review', workflowId: 'p/review', gates: [legal] });
    expect(children.views()).toEqual([{ ...legal, gate: 'review/legal', task: 'review/legal' }]);
    children.report({ path: 'review', workflowId: 'p/review', gates: [] });
    expect(children.views()).toEqual([]);
    children.report({ path: 'review', workflowId: 'p/review', gates: [legal] });
    children.ended('review');
    expect(children.views()).toEqual([]);
  });

  it("finds a decision's gate by the parent's path and checks its acceptors", () => {
    const children = new ChildGates();
    children.report({ path: 'review', workflowId: 'p/review', gates: [legal] });
    const d = { gate: 'review/legal', decision: 'approve' as const, by: 'lawyer' };
    expect(children.find(d)?.gate.gate).toBe('legal');
    expect(children.find({ ...d, gate: 'legal' })).toBeUndefined();
    expect(children.find({ ...d, gate: 'review/other' })).toBeUndefined();
    expect(() => children.check(d)).not.toThrow();
    expect(() => children.check({ ...d, decision: 'maybe' } as never)).toThrow(
      /^malformed decision: decision: /,
    );
    expect(children.find({ ...d, gate: 7 } as never)).toBeUndefined();
    expect(() => children.check({ ...d, by: 'mallory' })).toThrow(
      "'mallory' may not decide gate 'review/legal': acceptors are lawyer",
    );
  });
});
