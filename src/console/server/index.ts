/**
 * `flowstate console`: the console's HTTP server (hono on Node's http) in the CLI process, with a
 * Flowstate client connected on first use (and again after Temporal was unreachable).
 */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { FlowstateClient, type ConnectionSettings } from '../../client';
import type { TaskTypeRegistry } from '../../contract/registry';
import { consoleApp } from './app';
import { assetsDir } from './assets';

/** Where to listen and what to talk to. */
export interface ConsoleOptions {
  port: number;
  host: string;
  settings: ConnectionSettings;
  types: TaskTypeRegistry;
  /** The built page; default `assetsDir()`. */
  assets?: string;
}

/** A running console: its URL, and how to stop it. */
export interface RunningConsole {
  url: string;
  close(): Promise<void>;
}

/** Start the console's server; resolves once it listens. */
export async function startConsole(options: ConsoleOptions): Promise<RunningConsole> {
  let connecting: Promise<FlowstateClient> | undefined;
  const client = () => {
    connecting ??= FlowstateClient.connect(options.settings).catch((e: unknown) => {
      connecting = undefined;
      throw e;
    });
    return connecting;
  };
  const app = consoleApp({
    client,
    address: options.settings.address,
    types: options.types,
    assets: options.assets ?? assetsDir(),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    close: async () => {
      // Open event streams would keep close() waiting.
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (connecting) await (await connecting.catch(() => undefined))?.close();
    },
  };
}
