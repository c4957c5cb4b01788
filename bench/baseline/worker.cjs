// The hand-written floor of the worker rows (bench/worker-start.ts): the least a TypeScript Temporal
// worker does, written as a Temporal user would. It connects, loads a workflow bundle built ahead
// (BASELINE_BUNDLE, baseline/workflow.ts), registers the floors' echo activity, and logs the same
// `worker running` line as `flowstate worker` at the same point (after Worker.create, before run()).
// Plain JavaScript, so no loader stands between node and the SDK. SIGTERM drains it (the SDK's default).
'use strict';
const { NativeConnection, Worker } = require('@temporalio/worker');

async function main() {
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    taskQueue: process.env.FLOWSTATE_TASK_QUEUE,
    workflowBundle: { codePath: process.env.BASELINE_BUNDLE },
    activities: { echo: async (input) => input },
  });
  process.stderr.write('{"msg":"worker running"}\n');
  try {
    await worker.run();
  } finally {
    await connection.close();
  }
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
