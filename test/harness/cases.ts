/** Running a cases file with the test kit against the harness's server, as `flowstate test` does. */
import { CaseSession, loadCasesFile, type CaseResult } from '../../src/testkit';

/** Load `file` (throwing its line:col errors) and run every case on the server at `address`. */
export async function runCasesFile(file: string, address: string): Promise<CaseResult[]> {
  const loaded = loadCasesFile(file);
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => `${e.line}:${e.col} ${e.message}`).join('\n'));
  const session = await CaseSession.open(loaded.cases, {
    address,
    workflowBundle: process.env.FLOWSTATE_TEST_BUNDLE!,
  });
  try {
    return await session.runAll();
  } finally {
    await session.close();
  }
}
