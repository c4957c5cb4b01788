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
    const category = /crash|error|broken|fails?/.test(t) ? 'bug' : /add|support|would like|feature/.test(t) ? 'feature' : 'question';
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
    epics: Array.from({ length: count }, (_, i) => ({ id: `epic-${i + 1}`, title: `${title}: epic ${i + 1}` })),
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
      throw ApplicationFailure.create({ type: 'PaymentDeclined', message: `card declined for ${amount} (limit ${limit})`, nonRetryable: true });
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
    if (country === 'nowhere') throw ApplicationFailure.create({ type: 'ShippingUnavailable', message: `cannot ship to ${country}`, nonRetryable: true });
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
];
