/**
 * Many signals to one run, sent from a Node process of its own: a flood sent from the Jest process
 * that also runs the worker can crash its workflow thread ("async hook stack has become corrupted").
 */
import { execFile } from 'node:child_process';
import path from 'node:path';

/** Send `n` signals `name` (payload `{ i }`) to `workflowId`, `concurrency` at a time; how many the server refused. */
export function floodSignals(
  address: string,
  workflowId: string,
  name: string,
  n: number,
  concurrency = 16,
): Promise<{ refused: number }> {
  const script = `
    const { Client, Connection } = require('@temporalio/client');
    (async () => {
      const connection = await Connection.connect({ address: process.env.FLOOD_ADDRESS });
      const handle = new Client({ connection }).workflow.getHandle(process.env.FLOOD_ID);
      let next = 0;
      let refused = 0;
      await Promise.all(Array.from({ length: ${concurrency} }, async () => {
        while (next < ${n}) {
          const i = next++;
          await handle.signal(${JSON.stringify(name)}, { i }).catch((e) => {
            if (!/limit for signal events/.test(e.cause?.details ?? '')) throw e;
            refused++;
          });
        }
      }));
      console.log(JSON.stringify({ refused }));
      await connection.close();
    })().catch((e) => { console.error(e); process.exit(1); });`;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-e', script],
      {
        cwd: path.resolve(__dirname, '../..'),
        env: { ...process.env, FLOOD_ADDRESS: address, FLOOD_ID: workflowId },
      },
      (error, stdout, stderr) =>
        error
          ? reject(new Error(`flood failed: ${stderr}`))
          : resolve(JSON.parse(stdout) as { refused: number }),
    );
  });
}
