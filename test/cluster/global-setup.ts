/**
 * Jest global setup of the `cluster-integration` project: the PostgreSQL-backed Temporal cluster of
 * scripts/cluster instead of the dev server, then the integration harness's own setup (the workflow
 * bundle), which sees FLOWSTATE_TEST_ADDRESS and starts no dev server.
 */
import harnessSetup from '../harness/global-setup';
import { startTestCluster, type TestCluster } from './harness';

declare global {
  var __FLOWSTATE_CLUSTER__: TestCluster | undefined;
}

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const test = await startTestCluster();
  globalThis.__FLOWSTATE_CLUSTER__ = test;
  process.env.FLOWSTATE_TEST_ADDRESS = test.cluster.address;
  await harnessSetup();
  process.stderr.write(
    `flowstate cluster harness: cluster ready in ${Date.now() - started} ms, logs in ${test.cluster.dir}/logs\n`,
  );
}
