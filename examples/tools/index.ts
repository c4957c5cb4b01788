/**
 * Deterministic example tools used by the definitions in `definitions/`: they compute their output
 * from their input only, so examples give the same result on every run (and in replay tests).
 * Real deployments register their own tools with `createWorker({ tools })`.
 */
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { defineTool, type Tool } from '../../src/activities/tools';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** `scan`: findings of one kind for a repository (1 to 3, derived from the inputs). */
export const scan = defineTool({
  name: 'scan',
  input: z.object({ repo: z.string(), kind: z.string() }),
  run: ({ repo, kind }) => {
    const n = (digest(`${repo}/${kind}`)[0] % 3) + 1;
    return { kind, items: Array.from({ length: n }, (_, i) => `${kind}: ${repo} finding ${i + 1}`) };
  },
});

/** `classify`: a category for a text, by keywords. */
export const classify = defineTool({
  name: 'classify',
  input: z.object({ text: z.string() }),
  run: ({ text }) => {
    const t = text.toLowerCase();
    const category = /crash|error|broken|fails?/.test(t)
      ? 'bug'
      : /add|support|would like|feature/.test(t)
        ? 'feature'
        : 'question';
    return { category };
  },
});

/** `write-document`: a document of a kind from its inputs; a revision mentions the comment it answers. */
export const writeDocument = defineTool({
  name: 'write-document',
  input: z.object({
    kind: z.string(),
    title: z.string(),
    inputs: z.unknown().optional(),
    revision: z.object({ number: z.number(), comment: z.string() }).partial().nullish(),
  }),
  run: ({ kind, title, inputs, revision }) => ({
    kind,
    title,
    revision: revision?.number ?? 0,
    body: `${kind} for ${title}${inputs ? ` based on ${JSON.stringify(inputs)}` : ''}${revision?.comment ? ` (revised: ${revision.comment})` : ''}`,
  }),
});

/** `split-epics`: the epics of a discovery document (deterministic from its title). */
export const splitEpics = defineTool({
  name: 'split-epics',
  input: z.object({ title: z.string(), count: z.number().int().min(1).max(20).default(3) }),
  run: ({ title, count }) => ({
    epics: Array.from({ length: count }, (_, i) => ({
      id: `epic-${i + 1}`,
      title: `${title}: epic ${i + 1}`,
    })),
  }),
});

/** Order saga steps. `charge` declines amounts over `limit` with a `PaymentDeclined` error. */
export const reserveStock = defineTool({
  name: 'reserve-stock',
  input: z.object({ order: z.string(), items: z.array(z.string()) }),
  run: ({ order, items }) => ({ reservation: `res-${order}`, items }),
});
export const releaseStock = defineTool({
  name: 'release-stock',
  input: z.object({ reservation: z.string() }),
  run: ({ reservation }) => ({ released: reservation }),
});
export const charge = defineTool({
  name: 'charge',
  input: z.object({ order: z.string(), amount: z.number(), limit: z.number().default(1000) }),
  run: ({ order, amount, limit }) => {
    if (amount > limit) {
      throw ApplicationFailure.create({
        type: 'PaymentDeclined',
        message: `card declined for ${amount} (limit ${limit})`,
        nonRetryable: true,
      });
    }
    return { payment: `pay-${order}`, amount };
  },
});
export const refund = defineTool({
  name: 'refund',
  input: z.object({ payment: z.string().nullable() }),
  run: ({ payment }) => ({ refunded: payment }),
});
export const ship = defineTool({
  name: 'ship',
  input: z.object({ order: z.string(), country: z.string() }),
  run: ({ order, country }) => {
    if (country === 'nowhere')
      throw ApplicationFailure.create({
        type: 'ShippingUnavailable',
        message: `cannot ship to ${country}`,
        nonRetryable: true,
      });
    return { tracking: `trk-${order}` };
  },
});

/** `health-check`: healthy once `attempt` reaches `healthy_after` (deterministic stand-in for a probe). */
export const healthCheck = defineTool({
  name: 'health-check',
  input: z.object({ service: z.string(), attempt: z.number().int(), healthy_after: z.number().int() }),
  run: ({ service, attempt, healthy_after }) => ({ service, attempt, healthy: attempt + 1 >= healthy_after }),
});

/** `word-count`: words in a text. */
export const wordCount = defineTool({
  name: 'word-count',
  input: z.object({ text: z.string() }),
  run: ({ text }) => ({ words: text.split(/\s+/).filter(Boolean).length }),
});

// ---- ETL over a paged source (etl-paged) -----------------------------------------------------------

/** The records every `fetch-page` source serves: seven customers, as untidy as real exports are. */
export const SAMPLE_CUSTOMERS = [
  { id: 'c-1', name: '  Ada   Lovelace ', email: 'ADA@EXAMPLE.COM' },
  { id: 'c-2', name: 'Grace Hopper', email: 'grace@example.com ' },
  { id: 'c-3', name: 'Alan  Turing', email: 'alan.turing(at)example.com' },
  { id: 'c-4', name: 'Edsger Dijkstra ', email: 'EWD@example.com' },
  { id: 'c-5', name: 'Barbara Liskov', email: 'liskov@Example.com' },
  { id: 'c-6', name: ' Donald Knuth', email: 'knuth@example.com' },
  { id: 'c-7', name: 'Margaret Hamilton', email: 'mh@example.com' },
];

/** `fetch-page`: one page of a source, from `cursor` (null: the first page); `next_cursor` is null on the last. */
export const fetchPage = defineTool({
  name: 'fetch-page',
  input: z.object({
    source: z.string(),
    cursor: z.string().nullish(),
    limit: z.number().int().min(1).max(100).default(3),
  }),
  run: ({ source, cursor, limit }) => {
    const from = cursor ? Number(cursor) : 0;
    if (!Number.isInteger(from) || from < 0 || from > SAMPLE_CUSTOMERS.length) {
      throw ApplicationFailure.create({
        type: 'BadCursor',
        message: `cursor '${cursor}' is not a position in ${source}`,
        nonRetryable: true,
      });
    }
    const items = SAMPLE_CUSTOMERS.slice(from, from + limit).map((r) => ({ ...r, source }));
    const next = from + limit < SAMPLE_CUSTOMERS.length ? String(from + limit) : null;
    return { items, next_cursor: next };
  },
});

/** `normalize-record`: names with single spaces, emails trimmed and lower case; `valid` when the email has an @. */
export const normalizeRecord = defineTool({
  name: 'normalize-record',
  input: z.object({
    record: z.object({ id: z.string(), name: z.string(), email: z.string() }).passthrough(),
  }),
  run: ({ record }) => {
    const email = record.email.trim().toLowerCase();
    return {
      id: record.id,
      name: record.name.trim().replace(/\s+/g, ' '),
      email,
      valid: /^[^@\s]+@[^@\s]+$/.test(email),
    };
  },
});

/** `load-records`: stands in for a warehouse load; reports what it loaded. */
export const loadRecords = defineTool({
  name: 'load-records',
  input: z.object({
    table: z.string(),
    records: z.array(z.object({ id: z.string() }).passthrough()).nullish(),
    page: z.number().int().optional(),
  }),
  run: ({ table, records, page }) => ({
    table,
    page: page ?? null,
    loaded: records?.length ?? 0,
    ids: (records ?? []).map((r) => r.id),
  }),
});

// ---- Map-reduce (map-reduce) -------------------------------------------------------------------------

/** `word-frequencies`: how often each word (lower case, letters only) occurs; an empty text is an `EmptyDocument` error. */
export const wordFrequencies = defineTool({
  name: 'word-frequencies',
  input: z.object({ doc: z.string(), text: z.string() }),
  run: ({ doc, text }) => {
    const words = text.toLowerCase().match(/[a-z]+/g) ?? [];
    if (words.length === 0)
      throw ApplicationFailure.create({
        type: 'EmptyDocument',
        message: `${doc} has no words`,
        nonRetryable: true,
      });
    const frequencies: Record<string, number> = {};
    for (const w of words) frequencies[w] = (frequencies[w] ?? 0) + 1;
    return { doc, words: words.length, frequencies };
  },
});

// ---- Scheduled report and escalation (scheduled-report, document-approval-escalation) ----------------

/** `collect-metrics`: one metric of a team for a period (deterministic stand-in for a metrics API). */
export const collectMetrics = defineTool({
  name: 'collect-metrics',
  input: z.object({
    team: z.string(),
    metric: z.enum(['deploys', 'incidents', 'lead_time_hours']),
    period: z.enum(['daily', 'weekly']).default('daily'),
  }),
  run: ({ team, metric, period }) => {
    const d = digest(`${team}/${metric}`)[0];
    const scale = period === 'weekly' ? 5 : 1;
    const value =
      metric === 'deploys' ? (d % 6) * scale : metric === 'incidents' ? (d % 4) * scale : 2 + (d % 20);
    return { team, metric, period, value };
  },
});

/** `send-report`: stands in for mail; the message id is derived from what is sent. */
export const sendReport = defineTool({
  name: 'send-report',
  input: z.object({ to: z.array(z.string()).nullish(), subject: z.string(), body: z.unknown() }),
  run: ({ to, subject, body }) => {
    const recipients = to && to.length > 0 ? to : ['team-lead'];
    return {
      sent: true,
      to: recipients,
      message_id: `msg-${digest(`${subject}${JSON.stringify(body)}`)
        .toString('hex')
        .slice(0, 8)}`,
    };
  },
});

/** `notify`: tells someone something (stands in for chat or mail); returns what was sent. */
export const notify = defineTool({
  name: 'notify',
  input: z.object({ to: z.string(), message: z.string(), document: z.unknown().optional() }),
  run: ({ to, message, document }) => ({
    notified: to,
    message,
    ...(document !== undefined ? { document } : {}),
  }),
});

export const exampleTools: Tool<any, any>[] = [
  scan,
  classify,
  writeDocument,
  splitEpics,
  reserveStock,
  releaseStock,
  charge,
  refund,
  ship,
  healthCheck,
  wordCount,
  fetchPage,
  normalizeRecord,
  loadRecords,
  wordFrequencies,
  collectMetrics,
  sendReport,
  notify,
];
