export default async function globalTeardown(): Promise<void> {
  await globalThis.__FLOWSTATE_SERVER__?.stop();
}
