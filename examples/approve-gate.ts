/**
 * Using Flowstate from your own script: start a run of a definition, wait until its gate is pending,
 * approve it, and print the result. Needs a server and a worker (e.g. `npx flowstate server` and
 * `npx flowstate worker` in two terminals):
 *
 *   npx tsx examples/approve-gate.ts [definitions/document-approval.yaml] [title]
 */
import { FlowstateClient } from '../src/client';
import { loadFile } from '../src/client/definitions';

async function main(): Promise<void> {
  const [file = 'definitions/document-approval.yaml', title = 'Flowstate from a script'] =
    process.argv.slice(2);
  const client = await FlowstateClient.connect(); // TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, FLOWSTATE_TASK_QUEUE
  try {
    const definition = await loadFile(file);
    const { workflowId } = await client.start(definition, { title });
    console.log(`started ${workflowId}`);

    // Poll the state query until a gate is pending, then decide it through the validated update.
    let state = await client.state(workflowId);
    while (state.pending_gates.length === 0) {
      if (state.status === 'completed' || state.status === 'failed')
        throw new Error(`the run ended (${state.status}) without a gate`);
      await new Promise((r) => setTimeout(r, 200));
      state = await client.state(workflowId);
    }
    const gate = state.pending_gates[0];
    console.log(`gate ${gate.gate} is pending; output to review: ${JSON.stringify(gate.output)}`);
    const by = gate.acceptors[0] ?? 'script';
    const decided = await client.decide(workflowId, {
      gate: gate.gate,
      decision: 'approve',
      by,
      comment: 'approved by examples/approve-gate.ts',
    });
    console.log(`${decided.gate}: ${decided.status} by ${by}`);

    const result = await client.result(workflowId);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await client.close();
  }
}

main().catch((e) => {
  console.error(`approve-gate: ${e.message}`);
  process.exit(1);
});
