/**
 * The console's HTTP app (hono): the JSON API under /api, server-sent events for a live run, and the
 * built page for every other path. It talks to Temporal only through `FlowstateClient`.
 */
import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { FlowstateClient } from '../../client';
import type { TaskTypeRegistry } from '../../contract/registry';
import { apiErrorOf, ApiError } from './errors';
import {
  decisionOf,
  inboxOf,
  listRuns,
  runGraph,
  runView,
  taskDetails,
  type DecideBody,
  type Viewer,
} from './runs';
import { assetFor } from './assets';
import { definitionGraph, listDefinitions } from './definitions';

/** What the app needs: a client (connected on first use), the task types, the built page's folder. */
export interface ConsoleDeps {
  client: () => Promise<FlowstateClient>;
  address: string;
  types: TaskTypeRegistry;
  assets: string;
  /** How often a live run's state is read (ms); default 400. */
  pollMs?: number;
}

/** The console app: API routes, events, static page. */
export function consoleApp(deps: ConsoleDeps): Hono {
  const app = new Hono();
  const pollMs = deps.pollMs ?? 400;
  app.onError((e, c) => {
    const { status, message } = apiErrorOf(e, deps.address);
    return c.json({ error: message }, status as 400);
  });

  app.get('/api/about', (c) => c.json({ address: deps.address }));
  app.get('/api/runs', async (c) => {
    const q = c.req.query();
    const runs = await listRuns(await deps.client(), {
      ...(q.definition ? { definition: q.definition } : {}),
      ...(q.status ? { status: q.status } : {}),
      ...(q.me || q.groups ? { viewer: viewerOf(q) } : {}),
    });
    return c.json({ runs });
  });
  app.get('/api/runs/:id', async (c) => c.json(await runView(await deps.client(), c.req.param('id'))));
  app.get('/api/runs/:id/graph', async (c) =>
    c.json(await runGraph(await deps.client(), c.req.param('id'), deps.types)),
  );
  app.get('/api/runs/:id/task', async (c) => {
    const path = c.req.query('path');
    if (!path) throw new ApiError(400, 'path: name the task path (?path=analyse/security)');
    return c.json(await taskDetails(await deps.client(), c.req.param('id'), path));
  });
  app.post('/api/runs/:id/decide', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as DecideBody;
    const token = bearer(c);
    const decision = { ...decisionOf(body), ...(token ? { token } : {}) };
    const gate = await (await deps.client()).decide(c.req.param('id'), decision);
    return c.json({ gate });
  });
  app.get('/api/runs/:id/events', async (c) => {
    const id = c.req.param('id');
    const client = await deps.client();
    return streamSSE(c, async (stream) => {
      let last = '';
      while (!stream.aborted && !stream.closed) {
        const { message, closed } = await runView(client, id).then(
          (v) => ({ message: { event: 'run', data: JSON.stringify(v) }, closed: Boolean(v.run.closeTime) }),
          (e: unknown) => ({
            message: {
              event: 'problem',
              data: JSON.stringify({ error: apiErrorOf(e, deps.address).message }),
            },
            closed: false,
          }),
        );
        if (message.data !== last) {
          await stream.writeSSE(message);
          last = message.data;
        }
        // A closed run never changes: stop reading it, and keep the stream open (closing it would
        // make the page's EventSource reconnect and read it again) until the page goes.
        if (closed) {
          if (!stream.aborted) await new Promise<void>((resolve) => stream.onAbort(resolve));
          break;
        }
        await stream.sleep(pollMs);
      }
    });
  });
  app.get('/api/inbox', async (c) => {
    const viewer = viewerOf(c.req.query());
    if (!viewer.me && !viewer.groups?.length)
      throw new ApiError(400, 'me: name whose inbox to show (?me=alice&groups=legal)');
    return c.json({ entries: await inboxOf(await deps.client(), viewer) });
  });
  app.get('/api/definitions', async (c) => c.json({ definitions: await listDefinitions() }));
  app.get('/api/definitions/:id/:version/graph', async (c) =>
    c.json(await definitionGraph(c.req.param('id'), c.req.param('version'), deps.types)),
  );
  app.all('/api/*', (c) => c.json({ error: `no API route ${c.req.method} ${c.req.path}` }, 404));

  app.get('*', (c) => {
    const asset = assetFor(deps.assets, c.req.path);
    if (!asset)
      return c.text(
        `The console page is not built in ${deps.assets}: run 'npm run build:console' (npm install runs it).\n`,
        503,
      );
    return c.body(new Uint8Array(asset.body), 200, { 'content-type': asset.type });
  });
  return app;
}

/** The viewer named by the query (`me`, `groups=a,b`). */
function viewerOf(q: Record<string, string>): Viewer {
  return { me: q.me, groups: q.groups ? q.groups.split(',').filter(Boolean) : [] };
}

/** The token of `Authorization: Bearer <token>`, when sent. */
function bearer(c: Context): string | undefined {
  const header = c.req.header('authorization') ?? '';
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  return m?.[1];
}
