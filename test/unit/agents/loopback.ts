/**
 * Loopback HTTP servers for agent unit tests: each answers with what the test says and records what
 * it received. Real sockets, no mocks.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../../src/server/free-port';
import type { RunInfo } from '../../../src/contract/orchestrator';

export interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: any;
}

export type Handler = (
  req: Received,
) => { status?: number; body?: unknown; raw?: string; delayMs?: number } | undefined;

export interface Loopback {
  url: string;
  port: number;
  received: Received[];
  close(): Promise<void>;
}

const open: Loopback[] = [];

/** A server answering every request with `handler`'s result (default: 200 `{ output: 'ok' }`). */
export async function loopback(handler: Handler = () => ({ body: { output: 'ok' } })): Promise<Loopback> {
  const received: Received[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        /* keep the text */
      }
      const r = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      received.push(r);
      const answer = handler(r) ?? { body: { output: 'ok' } };
      const reply = () => {
        if (res.destroyed) return;
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
        res.end(answer.raw ?? JSON.stringify(answer.body ?? null));
      };
      if (answer.delayMs) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          reply();
        }, answer.delayMs);
        timers.add(timer);
      } else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const lb: Loopback = {
    url: `http://127.0.0.1:${port}/`,
    port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  open.push(lb);
  return lb;
}

/** A loopback URL nothing listens on (connections are refused). */
export async function deadUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}/`;
}

/** Close every server `loopback()` opened (call in afterEach). */
export async function closeAll(): Promise<void> {
  await Promise.all(open.splice(0).map((s) => s.close()));
}

/** Write an agents file in a temp folder; returns its path. */
export function agentsFile(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-agents-test-'));
  const file = path.join(dir, 'agents.yaml');
  fs.writeFileSync(file, text);
  return file;
}

/** The facts an activity hands a caller; `heartbeats` counts calls to `heartbeat`. */
export function runInfo(
  overrides: Partial<RunInfo> = {},
): RunInfo & { heartbeats: unknown[]; abort(): void } {
  const controller = new AbortController();
  const heartbeats: unknown[] = [];
  return {
    workflowId: 'wf-1',
    runId: 'run-1',
    attempt: 1,
    idempotencyKey: 'wf-1/review/1',
    heartbeat: (d?: unknown) => void heartbeats.push(d),
    cancelled: controller.signal,
    heartbeats,
    abort: () => controller.abort(new Error('cancelled by the test')),
    ...overrides,
  };
}
