/**
 * `describeCases(file)`: a cases file as a Jest `describe` block, one test per case. The server and
 * the workflow bundle come from the options, else from `FLOWSTATE_TEST_ADDRESS` and
 * `FLOWSTATE_TEST_BUNDLE` (what this repository's integration harness sets), else the kit starts a
 * dev server and bundles the interpreter itself (slower: give them when you have them).
 *
 * It uses the test framework's globals (`describe`, `test`, `beforeAll`, `afterAll`), so it works in
 * Jest and in runners with the same API, without importing either.
 */
import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { formatDiagnostic } from '../dsl/diagnostics';
import { loadCasesFile, type ResolvedCase } from './cases';
import { formatFailures } from './report';
import { TestKit } from './kit';
import { CaseSession, type CaseResult } from './runner';

export interface DescribeCasesOptions {
  /** Temporal server address; default `FLOWSTATE_TEST_ADDRESS`, else a dev server the kit starts. */
  address?: string;
  namespace?: string;
  /** Prebuilt workflow bundle file; default `FLOWSTATE_TEST_BUNDLE`, else bundled here. */
  workflowBundle?: string;
  /** Name of the describe block; default the cases file's path relative to the working directory. */
  name?: string;
  /** Called with each case's result (e.g. to inspect calls). */
  onResult?: (result: CaseResult) => void;
}

interface Globals {
  describe(name: string, fn: () => void): void;
  test: ((name: string, fn: () => Promise<void> | void, timeout?: number) => void) & {
    skip(name: string, fn: () => void): void;
  };
  beforeAll(fn: () => Promise<void> | void, timeout?: number): void;
  afterAll(fn: () => Promise<void> | void, timeout?: number): void;
}

/** A case failed: the message is the kit's report of it (no stack: the report says where). */
export class CaseFailedError extends Error {
  override readonly name = 'CaseFailedError';
  constructor(
    readonly result: CaseResult,
    message: string,
  ) {
    super(message);
    this.stack = `${this.name}: ${message}`;
  }
}

/**
 * Stubbed failures and retries are what cases test: keep the worker's warnings about them out of the
 * test output (a Runtime installed before, by the test file, is left as it is).
 */
function quietRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // already installed or instantiated
  }
}

/** One test per case of `file`, in a `describe` block of its own. */
export function describeCases(file: string, options: DescribeCasesOptions = {}): void {
  const g = globalThis as unknown as Globals;
  const absolute = path.resolve(file);
  const name = options.name ?? path.relative(process.cwd(), absolute);
  const loaded = loadCasesFile(absolute);
  g.describe(name, () => {
    if (!loaded.ok) {
      g.test('the cases file is valid', () => {
        throw new Error(`invalid cases file:\n${loaded.errors.map(formatDiagnostic).join('\n')}`);
      });
      return;
    }
    let kit: TestKit | undefined;
    let session: CaseSession | undefined;
    g.beforeAll(async () => {
      quietRuntime();
      const address = options.address ?? process.env.FLOWSTATE_TEST_ADDRESS;
      const workflowBundle = options.workflowBundle ?? process.env.FLOWSTATE_TEST_BUNDLE;
      const namespace = options.namespace ?? 'default';
      if (!address) kit = await TestKit.start({ namespace, ...(workflowBundle ? { workflowBundle } : {}) });
      session = await CaseSession.open(loaded.cases, {
        address: address ?? kit!.address,
        namespace,
        ...(workflowBundle ? { workflowBundle } : {}),
      });
    }, 120_000);
    g.afterAll(async () => {
      await session?.close();
      await kit?.close();
    }, 60_000);
    for (const c of loaded.cases.cases) {
      if (c.skip !== undefined) {
        g.test.skip(c.name, () => undefined);
        continue;
      }
      g.test(c.name, () => runCase(c), c.timeoutMs + 30_000);
    }
    async function runCase(c: ResolvedCase): Promise<void> {
      if (!session) throw new Error('the test kit did not start (see the beforeAll error)');
      const result = await session.run(c);
      options.onResult?.(result);
      if (!result.ok) {
        const time = result.time.length ? `\ntime: ${result.time.join('\n      ')}` : '';
        throw new CaseFailedError(
          result,
          `case '${c.name}' (${path.relative(process.cwd(), c.file)}:${c.line}) failed:\n${formatFailures(result.failures)}${time}`,
        );
      }
    }
  });
}
