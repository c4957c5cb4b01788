/** Connection settings from the environment, and connecting with one clear line when it fails. */
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { DEFAULT_TASK_QUEUE } from './workflows/api';
import { EnvError, envError, envUrl } from './env';
import { logLevelFromEnv } from './logging';

export interface ConnectionSettings {
  /** `TEMPORAL_ADDRESS`, default `localhost:7233`. */
  address: string;
  /** `TEMPORAL_NAMESPACE`, default `default`. */
  namespace: string;
  /** `FLOWSTATE_TASK_QUEUE`, default `flowstate`. */
  taskQueue: string;
  /** `TEMPORAL_API_KEY` (Temporal Cloud). */
  apiKey?: string;
  /** `TEMPORAL_TLS_CERT` / `TEMPORAL_TLS_KEY`: paths of a client certificate and key (mTLS). */
  tls?: { certPath: string; keyPath: string };
}

/** `host`, `host:port` or `[ipv6]:port`: what the SDK accepts as a server address. */
const ADDRESS = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)(:(\d{1,5}))?$/;

/**
 * Connection settings from the environment. Throws an `EnvError` (one line: the variable, the value,
 * what it takes) for a malformed `TEMPORAL_ADDRESS`, one of `TEMPORAL_TLS_CERT` / `TEMPORAL_TLS_KEY`
 * without the other, or an invalid `FLOWSTATE_LOG_LEVEL` (checked here: every process that connects
 * reads it, and loading the logger must not throw).
 */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): ConnectionSettings {
  logLevelFromEnv(env);
  const address = env.TEMPORAL_ADDRESS?.trim() || 'localhost:7233';
  const port = ADDRESS.exec(address)?.[3];
  if (!ADDRESS.test(address) || (port !== undefined && (Number(port) < 1 || Number(port) > 65_535)))
    throw envError('TEMPORAL_ADDRESS', address, 'host:port of a Temporal server (e.g. localhost:7233)');
  const cert = env.TEMPORAL_TLS_CERT?.trim();
  const key = env.TEMPORAL_TLS_KEY?.trim();
  if (cert && !key)
    throw envError('TEMPORAL_TLS_KEY', '', 'the client key file that goes with TEMPORAL_TLS_CERT');
  if (key && !cert)
    throw envError('TEMPORAL_TLS_CERT', '', 'the client certificate file that goes with TEMPORAL_TLS_KEY');
  return {
    address,
    namespace: env.TEMPORAL_NAMESPACE?.trim() || 'default',
    taskQueue: env.FLOWSTATE_TASK_QUEUE?.trim() || DEFAULT_TASK_QUEUE,
    ...(env.TEMPORAL_API_KEY ? { apiKey: env.TEMPORAL_API_KEY } : {}),
    ...(cert && key ? { tls: { certPath: cert, keyPath: key } } : {}),
  };
}

/** Host and port of a server address (`host:port`, `[ipv6]:port`; no port means 7233). */
export function splitAddress(address: string): { host: string; port: number } {
  const m = ADDRESS.exec(address);
  const host = (m?.[1] ?? address).replace(/^\[|\]$/g, '');
  return { host, port: m?.[3] ? Number(m[3]) : 7233 };
}

/** The gRPC port + 1000: where `temporal server start-dev` (and `flowstate server`) serves the Web UI. */
export const uiPortFor = (grpcPort: number): number => grpcPort + 1000;

/**
 * Base URL of the Web UI of the server at `address`: `FLOWSTATE_UI_URL` when set (a UI elsewhere, e.g.
 * Temporal Cloud), else the dev server's on the same host (gRPC port + 1000: :8233 for :7233).
 */
export function webUiUrl(address: string, env: NodeJS.ProcessEnv = process.env): string {
  const set = envUrl(env, 'FLOWSTATE_UI_URL');
  if (set) return set.replace(/\/+$/, '');
  const { host, port } = splitAddress(address);
  return `http://${host.includes(':') ? `[${host}]` : host}:${uiPortFor(port)}`;
}

/** The server could not be reached; the message is one line saying where and what to do. */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
}

function unreachable(settings: ConnectionSettings, e: unknown): ConnectionError {
  const reason = ((e as Error)?.message ?? String(e)).split('\n')[0];
  return new ConnectionError(
    `cannot reach Temporal at ${settings.address} (${reason}): start a dev server with 'npx flowstate server' (or run 'npm start'), or set TEMPORAL_ADDRESS to a running server`,
  );
}

async function readPem(file: string, name: string): Promise<Buffer> {
  const fs = await import('node:fs/promises');
  try {
    return await fs.readFile(file);
  } catch (e) {
    throw envError(
      name,
      file,
      `a readable PEM file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
}

async function tlsOptions(settings: ConnectionSettings) {
  if (settings.tls) {
    return {
      clientCertPair: {
        crt: await readPem(settings.tls.certPath, 'TEMPORAL_TLS_CERT'),
        key: await readPem(settings.tls.keyPath, 'TEMPORAL_TLS_KEY'),
      },
    };
  }
  return settings.apiKey ? true : undefined;
}

/** A client connection, or a `ConnectionError`. */
export async function connectClient(settings: ConnectionSettings, timeoutMs = 5_000): Promise<Connection> {
  try {
    const tls = await tlsOptions(settings);
    const connection = await Connection.connect({
      address: settings.address,
      connectTimeout: timeoutMs,
      ...(tls ? { tls } : {}),
      ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
    });
    await connection.workflowService.getSystemInfo({});
    return connection;
  } catch (e) {
    if (e instanceof EnvError) throw e;
    throw unreachable(settings, e);
  }
}

/** A worker (native) connection, or a `ConnectionError`. */
export async function connectWorker(settings: ConnectionSettings): Promise<NativeConnection> {
  try {
    const tls = await tlsOptions(settings);
    return await NativeConnection.connect({
      address: settings.address,
      ...(tls ? { tls } : {}),
      ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
    });
  } catch (e) {
    if (e instanceof EnvError) throw e;
    throw unreachable(settings, e);
  }
}
