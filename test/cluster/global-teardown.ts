/** Jest global teardown of the `cluster-integration` project: stop the cluster the setup started. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__FLOWSTATE_CLUSTER__?.stop();
}
