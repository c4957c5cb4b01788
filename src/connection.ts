/** Connection settings from the environment, and connecting with one clear line when it fails. */
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { DEFAULT_TASK_QUEUE } from './workflows/api';

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

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): ConnectionSettings {
  return {
    address: env.TEMPORAL_ADDRESS || 'localhost:7233',
    namespace: env.TEMPORAL_NAMESPACE || 'default',
    taskQueue: env.FLOWSTATE_TASK_QUEUE || DEFAULT_TASK_QUEUE,
    ...(env.TEMPORAL_API_KEY ? { apiKey: env.TEMPORAL_API_KEY } : {}),
    ...(env.TEMPORAL_TLS_CERT && env.TEMPORAL_TLS_KEY ? { tls: { certPath: env.TEMPORAL_TLS_CERT, keyPath: env.TEMPORAL_TLS_KEY } } : {}),
  };
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

async function tlsOptions(settings: ConnectionSettings) {
  if (settings.tls) {
    const fs = await import('node:fs/promises');
    return { clientCertPair: { crt: await fs.readFile(settings.tls.certPath), key: await fs.readFile(settings.tls.keyPath) } };
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
    throw unreachable(settings, e);
  }
}
