/**
 * A run is pinned to the definition it started with: the compiled definition travels in the workflow
 * input, so editing the YAML file while a run waits at a gate changes nothing for that run. Memo and
 * search attributes name the definition, its version and content hash. The worker keeps no run in
 * its cache here, so every step of the run is replayed from history: nothing is re-read from disk.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { useTestEnv } from '../harness/env';
import { loadFile } from '../../src/client/definitions';
import type { InterpretInput } from '../../src/workflows/api';

const env = useTestEnv({ worker: { maxCachedWorkflows: 0 } });

const yaml = (version: string, text: string) => `
id: pinned-doc
version: ${version}
tasks:
  - id: draft
    tool: echo
    with: { text: "${text} draft" }
    acceptance: { acceptors: [editor] }
  - id: publish
    tool: echo
    with: { text: "${text} published", draft: "{{ tasks.draft.output.text }}" }
`;

async function pendingGate(workflowId: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await env.flowstate.state(workflowId)).pending_gates.some((g) => g.gate === 'draft')) {
    if (Date.now() > deadline) throw new Error('gate draft not pending in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('editing the YAML file while a run waits at a gate does not change that run', async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-pinning-')), 'pinned-doc.yaml');
  fs.writeFileSync(file, yaml('1.0.0', 'original'));
  const original = await loadFile(file);
  const { workflowId } = await env.start(original);
  await pendingGate(workflowId);

  // Visibility names exactly what the run is pinned to.
  const described = await env.client.workflow.getHandle(workflowId).describe();
  expect(described.memo).toEqual({
    definition: 'pinned-doc',
    version: '1.0.0',
    hash: original.hash,
    source: file,
  });
  expect(described.searchAttributes.FlowstateDefinition).toEqual(['pinned-doc']);
  expect(described.searchAttributes.FlowstateVersion).toEqual(['1.0.0']);
  expect(described.searchAttributes.FlowstateHash).toEqual([original.hash]);
  expect(described.searchAttributes.FlowstateStatus).toEqual(['waiting_acceptance']);

  // Someone edits the file: new text, new version. A new run takes the edit...
  fs.writeFileSync(file, yaml('1.1.0', 'edited'));
  const edited = await loadFile(file);
  expect(edited.hash).not.toBe(original.hash);
  const second = await env.start(edited);
  await pendingGate(second.workflowId);
  expect((await env.flowstate.state(second.workflowId)).pending_gates[0].output).toEqual({
    text: 'edited draft',
  });

  // ...the first run finishes as the original content said.
  await env.flowstate.decide(workflowId, { gate: 'draft', decision: 'approve', by: 'editor' });
  const result = await env.flowstate.result(workflowId);
  expect(result.output).toEqual({ text: 'original published', draft: 'original draft' });
  const state = await env.flowstate.state(workflowId);
  expect(state).toMatchObject({
    definition: 'pinned-doc',
    version: '1.0.0',
    hash: original.hash,
    status: 'completed',
  });

  // The history carries the compiled definition it ran.
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  const input = defaultPayloadConverter.fromPayload<InterpretInput>(started!);
  expect(input.definition).toEqual(original);

  await env.flowstate.decide(second.workflowId, { gate: 'draft', decision: 'approve', by: 'editor' });
  expect((await env.flowstate.result(second.workflowId)).output).toEqual({
    text: 'edited published',
    draft: 'edited draft',
  });
  const end = await env.client.workflow.getHandle(workflowId).describe();
  expect(end.searchAttributes.FlowstateStatus).toEqual(['completed']);
  expect(end.memo).toEqual(described.memo);
});
