/**
 * The kit around case sessions, as `flowstate test` and the history recorder use it: a dev server when
 * no address is given, one workflow bundle for every cases file, and a session per file.
 */
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { formatDiagnostic } from '../dsl/diagnostics';
import { startDevServer, type DevServer } from '../server/dev-server';
import { bundleInterpreter, workflowBundleFor } from '../workflow-bundle';
import { loadCasesFile, type CasesFile, type ResolvedCase } from './cases';
import { CaseSession, type CaseResult, type SessionOptions } from './runner';

export interface KitOptions {
  /** An existing server; default: start a dev server (headless, in memory) for the kit. */
  address?: string;
  namespace?: string;
  /** A prebuilt workflow bundle file; default: the worker's (`workflowBundleFor`), once for every file. */
  workflowBundle?: string;
  /** Progress lines (server started, bundle built). */
  log?: (line: string) => void;
}

export interface FileResult {
  file: string;
  /** `file:line:col` errors when the cases file is invalid. */
  errors: string[];
  results: CaseResult[];
}

/** A dev server (or a given one), the interpreter bundle and a worker per file: runs cases files. */
export class TestKit {
  private constructor(
    readonly address: string,
    private readonly namespace: string,
    private readonly bundle: string | { code: string },
    private readonly connection: Connection,
    private readonly native: NativeConnection,
    private readonly server?: DevServer,
  ) {}

  static async start(options: KitOptions = {}): Promise<TestKit> {
    const log = options.log ?? (() => undefined);
    const [server, bundle] = await Promise.all([
      options.address ? undefined : startDevServer({ ui: false }),
      // The worker's own bundle: the prebuilt one while the sources match it (no webpack at start).
      options.workflowBundle ?? workflowBundleFor().then((b) => b.codePath),
    ]);
    const address = options.address ?? server!.address;
    if (server) log(`started a Temporal dev server on ${address}`);
    try {
      const connection = await Connection.connect({ address });
      const native = await NativeConnection.connect({ address });
      return new TestKit(address, options.namespace ?? 'default', bundle, connection, native, server);
    } catch (e) {
      await server?.stop();
      throw e;
    }
  }

  /** A session for the cases of one file on the kit's server, with the kit's bundle; close it when done. */
  session(
    cases: CasesFile,
    options: Pick<SessionOptions, 'sourceRoot' | 'taskQueue'> = {},
  ): Promise<CaseSession> {
    return CaseSession.open(cases, {
      ...options,
      address: this.address,
      namespace: this.namespace,
      workflowBundle: this.bundle,
      connection: this.connection,
      nativeConnection: this.native,
    });
  }

  /** Run one cases file; `onResult` sees each case as it finishes. */
  async runFile(
    file: string,
    onResult?: (r: CaseResult) => void,
    filter?: (c: ResolvedCase) => boolean,
  ): Promise<FileResult> {
    const loaded = loadCasesFile(file);
    if (!loaded.ok) return { file, errors: loaded.errors.map(formatDiagnostic), results: [] };
    const session = await this.session(loaded.cases);
    try {
      return { file, errors: [], results: await session.runAll(onResult, filter) };
    } finally {
      await session.close();
    }
  }

  async close(): Promise<void> {
    await this.native.close();
    await this.connection.close();
    await this.server?.stop();
  }
}

export { bundleInterpreter };
