/**
 * People in the loop, on the real dev server through the public client API: the seed scenario
 * (discovery → backlog → architecture per epic, every document gated), revisions, refused
 * decisions that leave the run unchanged, gate timeouts, reject-to-fail, and pause/resume.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { useTestEnv } from '../harness/env';
import { compileYaml, loadExample } from '../harness/definitions';
import { exampleTools } from '../../examples/tools';
import type { FlowstateClient } from '../../src/client';
import { eventually } from '../harness/eventually';

const env = useTestEnv({ tools: exampleTools });

const gatePending = (client: FlowstateClient, id: string, gate: string, revision = 0) =>
  eventually(
    () => client.state(id),
    (s) => s.pending_gates.some((g) => g.gate === gate && g.revision === revision),
  );

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return ((e as Error).cause as Error | undefined)?.message ?? (e as Error).message;
  }
  throw new Error('expected the decision to be refused');
}

test('discovery → backlog → architecture per epic, decided in any order, with revisions', async () => {
  const fs = env.flowstate;
  const def = await loadExample('discovery-to-architecture');
  const { workflowId: id } = await env.start(def, { product: 'Shop', epics: 3 });

  await gatePending(fs, id, 'discovery');
  const described = await env.client.workflow.getHandle(id).describe();
  expect(described.searchAttributes.FlowstateStatus).toEqual(['waiting_acceptance']);
  expect(described.searchAttributes.FlowstatePendingGate).toEqual(['discovery']);

  const rejected = await fs.decide(id, {
    gate: 'discovery',
    decision: 'reject',
    by: 'product-owner',
    comment: 'add risks',
  });
  expect(rejected).toMatchObject({ gate: 'discovery', status: 'rejected', revision: 0 });
  const revised = await gatePending(fs, id, 'discovery', 1);
  expect(revised.pending_gates[0].output).toMatchObject({
    revision: 1,
    body: 'discovery for Shop (revised: add risks)',
  });
  await fs.decide(id, { decision: 'approve', by: 'product-owner' }); // the only pending gate: no --gate needed

  await gatePending(fs, id, 'backlog');
  await fs.decide(id, { gate: 'backlog', decision: 'approve', by: 'product-owner' });

  const all = await eventually(
    () => fs.state(id),
    (s) => s.pending_gates.length === 3,
  );
  expect(all.pending_gates.map((g) => g.gate).sort()).toEqual([
    'architecture[epic-1]',
    'architecture[epic-2]',
    'architecture[epic-3]',
  ]);
  await fs.decide(id, { gate: 'architecture[epic-3]', decision: 'approve', by: 'architect' });
  await fs.decide(id, {
    gate: 'architecture[epic-2]',
    decision: 'reject',
    by: 'architect',
    comment: 'more detail',
  });
  await fs.decide(id, { gate: 'architecture[epic-1]', decision: 'approve', by: 'architect' });
  await gatePending(fs, id, 'architecture[epic-2]', 1);
  await fs.decide(id, { gate: 'architecture[epic-2]', decision: 'approve', by: 'architect' });

  const result = await fs.result(id);
  expect(result.output).toMatchObject({
    discovery: 'discovery for Shop (revised: add risks)',
    epics: ['epic-1', 'epic-2', 'epic-3'],
  });
  const architectures = (result.output as { architectures: string[] }).architectures;
  expect(architectures).toHaveLength(3);
  expect(architectures[1]).toMatch(/epic 2 .*\(revised: more detail\)$/);
  expect(architectures[0]).not.toMatch(/revised: more detail/);
  expect(result.decisions.map((d) => `${d.gate}:${d.decision}:${d.decided_by}:${d.revision}`)).toEqual([
    'discovery:reject:product-owner:0',
    'discovery:approve:product-owner:1',
    'backlog:approve:product-owner:0',
    'architecture[epic-3]:approve:architect:0',
    'architecture[epic-2]:reject:architect:0',
    'architecture[epic-1]:approve:architect:0',
    'architecture[epic-2]:approve:architect:1',
  ]);
  expect(result.decisions[0]).toMatchObject({ comment: 'add risks' });
  expect(Date.parse(result.decisions[0].at)).not.toBeNaN();
  const end = await env.client.workflow.getHandle(id).describe();
  expect(end.searchAttributes.FlowstateStatus).toEqual(['completed']);
});

test('refused decisions: not pending, not an acceptor, malformed; the run is unchanged', async () => {
  const fs = env.flowstate;
  const def = await loadExample('document-approval');
  const { workflowId: id } = await env.start(def, { title: 'T' });
  const before = await gatePending(fs, id, 'draft');

  expect(await refusal(fs.decide(id, { gate: 'publish', decision: 'approve', by: 'editor' }))).toBe(
    "gate 'publish' is not pending; pending gates: draft",
  );
  expect(await refusal(fs.decide(id, { gate: 'draft', decision: 'approve', by: 'mallory' }))).toBe(
    "'mallory' may not decide gate 'draft': acceptors are editor, chief",
  );
  expect(await refusal(fs.decide(id, { gate: 'draft', decision: 'maybe', by: 'editor' } as never))).toMatch(
    /^malformed decision: decision: /,
  );
  expect(await refusal(fs.decide(id, { gate: 'draft', decision: 'approve' } as never))).toMatch(
    /^malformed decision: by: /,
  );
  // A signal with a bad decision is ignored (signals cannot answer), never fatal.
  await fs.signal(id, 'approve', { gate: 'draft', by: 'mallory' });
  const after = await fs.state(id);
  expect({ ...after, signals: before.signals }).toEqual(before);
  expect(after.signals?.received).toBe(1); // counted (Temporal's per-run signal limit), nothing else

  await fs.decide(id, { gate: 'draft', decision: 'approve', by: 'chief' });
  expect((await fs.result(id)).output).toEqual({ published: 'T', revision: 0 });
  // A signal to a finished run is an error from the server.
  await expect(fs.signal(id, 'approve', { gate: 'draft', by: 'chief' })).rejects.toThrow(
    /already completed|not found/i,
  );
});

test('the approve signal is the fire-and-forget form of decide', async () => {
  const def = await loadExample('document-approval');
  const { workflowId: id } = await env.start(def, { title: 'S' });
  await gatePending(env.flowstate, id, 'draft');
  await env.flowstate.signal(id, 'approve', { gate: 'draft', by: 'editor', comment: 'fine' });
  const result = await env.flowstate.result(id);
  expect(result.decisions).toMatchObject([
    { gate: 'draft', decision: 'approve', decided_by: 'editor', comment: 'fine' },
  ]);
});

test('reject with on_reject: fail fails the run; exhausted revisions fail too', async () => {
  const def = compileYaml(`
id: strict-gate
version: 1.0.0
tasks:
  - id: doc
    tool: echo
    with: { v: "{{ revision.number }}" }
    acceptance: { on_reject: fail }
  - id: revisable
    tool: echo
    with: { v: "{{ revision.number }}" }
    acceptance: { max_revisions: 1 }
`);
  const a = await env.start(def);
  await gatePending(env.flowstate, a.workflowId, 'doc');
  await env.flowstate.decide(a.workflowId, { decision: 'reject', by: 'x', comment: 'no' });
  const failure = await env.flowstate.result(a.workflowId).catch((e) => e);
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  expect(failure.cause).toMatchObject({ type: 'GateRejected', message: 'doc: rejected by x: no' });

  const b = await env.start(def);
  await gatePending(env.flowstate, b.workflowId, 'doc');
  await env.flowstate.decide(b.workflowId, { decision: 'approve', by: 'x' });
  await gatePending(env.flowstate, b.workflowId, 'revisable');
  await env.flowstate.decide(b.workflowId, { decision: 'reject', by: 'x' });
  await gatePending(env.flowstate, b.workflowId, 'revisable', 1);
  await env.flowstate.decide(b.workflowId, { decision: 'reject', by: 'x', comment: 'still no' });
  const exhausted = await env.flowstate.result(b.workflowId).catch((e) => e);
  expect(exhausted.cause).toMatchObject({ type: 'RevisionsExhausted' });
});

test('a gate timeout escalates to on_timeout', async () => {
  const def = compileYaml(`
id: escalate
version: 1.0.0
tasks:
  - id: review
    tool: echo
    with: draft
    acceptance: { timeout: 1s, on_timeout: escalate }
  - id: approved
    type: aggregate
    outputs: { route: normal }
    final: true
  - id: escalate
    type: aggregate
    outputs: { route: escalated, draft: "{{ tasks.review.output }}" }
`);
  expect((await env.run(def)).output).toEqual({ route: 'escalated', draft: 'draft' });
});

test('pause stops new tasks from starting until resume', async () => {
  const def = compileYaml(`
id: pausable
version: 1.0.0
tasks:
  - { id: hold, type: wait, wait_for: go }
  - { id: after, tool: echo, with: done }
`);
  const { workflowId: id } = await env.start(def);
  // Pause while `hold` is running (waiting for its signal): it may finish, `after` may not start.
  await eventually(
    () => env.flowstate.state(id),
    (s) => s.waiting.some((w) => w.task === 'hold'),
  );
  await env.flowstate.signal(id, 'pause');
  await env.flowstate.signal(id, 'go', {});
  const paused = await eventually(
    () => env.flowstate.state(id),
    (s) => s.completed.includes('hold'),
  );
  expect(paused.status).toBe('paused');
  await new Promise((r) => setTimeout(r, 1_000));
  expect((await env.flowstate.state(id)).completed).not.toContain('after');
  await env.flowstate.signal(id, 'resume');
  expect((await env.flowstate.result(id)).output).toBe('done');
});

test("the Web UI's current details say what the run waits for and who may decide", async () => {
  const def = await loadExample('document-approval');
  const { workflowId: id } = await env.start(def, { title: 'Details' });
  await gatePending(env.flowstate, id, 'draft');
  const handle = env.client.workflow.getHandle(id);
  const details = await eventually(
    async () =>
      (await handle.query<{ currentDetails: string }>('__temporal_workflow_metadata')).currentDetails,
    (d) => d.includes('gate `draft`'),
  );
  expect(details).toContain('**waiting_acceptance**');
  expect(details).toContain('gate `draft` waits for a decision by editor or chief (revision 0)');
  await env.flowstate.decide(id, { gate: 'draft', decision: 'approve', by: 'editor' });
  await env.flowstate.result(id);
});
