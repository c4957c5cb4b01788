/**
 * `npm run record-histories [-- name...] [--out DIR] [--list]`
 *
 * Runs every example in definitions/ and the scenarios that exercise the interpreter's other paths
 * (gates approved, rejected, timed out; signals; pause; cancellation; failures; compensation;
 * parallel cancellation) on a real Temporal dev server of its own (headless, in memory), with a
 * worker serving the example tools, then writes each run's history to test/histories/<name>.json.
 * `npm test` replays them against the current workflow code (test/replay), with no server.
 *
 * Histories are committed and re-recorded only on purpose (CONTRIBUTING.md): a history recorded by
 * new workflow code proves nothing about runs started by the old one. Record from committed code.
 * Each scenario checks its run ended as intended, so a broken run is never written as a history.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { historyToJSON } from '../src/replay/history-json';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { startExampleAgents, type ExampleAgents } from '../examples/agents';
import { exampleTools } from '../examples/tools';
import { createAgentCaller } from '../src/agents';
import { FlowstateClient, type RunState } from '../src/client';
import { loadFile } from '../src/client/definitions';
import type { CompiledDefinition } from '../src/contract/compiled';
import { compileOrThrow } from '../src/dsl/loader';
import { builtinTaskTypes } from '../src/orchestrators/registry';
import { startDevServer } from '../src/server/dev-server';
import { applyTimeControl } from '../src/testkit/time';
import { createWorker } from '../src/worker';
import { Probe } from '../test/harness/probe-tools';
import { exampleNames } from '../src/client/definitions';

const ROOT = path.resolve(__dirname, '..');
const TASK_QUEUE = 'flowstate-record';

interface Ctx {
  flowstate: FlowstateClient;
}

interface Scenario {
  name: string;
  /** What the history proves replay handles; listed in test/histories/README.md. */
  covers: string;
  /**
   * Runs whose histories it writes: a workflow id (written to `<id>.json`), or an id and a file name
   * when the id cannot be one (a batch child workflow's). Default: `[name]`.
   */
  runs?: Array<string | { id: string; file: string }>;
  /** The examples in definitions/ it runs (every example gets at least a plain run: see `withPlainRuns`). */
  examples?: string[];
  record(ctx: Ctx): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Helpers: definitions, runs and the outcome each scenario must reach before it is written.

/** `definitions/<name>.yaml`, with a repository-relative `source` so histories do not name this machine. */
async function example(name: string): Promise<CompiledDefinition> {
  const def = await loadFile(path.join(ROOT, 'definitions', `${name}.yaml`));
  return { ...def, source: `definitions/${name}.yaml` };
}

function sampleInput(name: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'definitions', `${name}.input.json`), 'utf8'));
}

/** A definition written here; its `source` names this script and the scenario. */
function inline(name: string, yaml: string): CompiledDefinition {
  return compileOrThrow(yaml, `scripts/record-histories.ts#${name}`, builtinTaskTypes());
}

async function start(ctx: Ctx, id: string, def: CompiledDefinition, input: unknown = {}): Promise<void> {
  await ctx.flowstate.start(def, input, { workflowId: id });
}

async function completes(ctx: Ctx, id: string, output?: unknown): Promise<void> {
  const result = await ctx.flowstate.result(id);
  if (output !== undefined) assert.deepEqual(result.output, output, `${id}: unexpected output`);
}

async function fails(ctx: Ctx, id: string, type: string): Promise<void> {
  const error = await ctx.flowstate.result(id).then(
    () => assert.fail(`${id}: expected the run to fail with ${type}, but it completed`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof WorkflowFailedError, `${id}: expected a failed run, got ${String(error)}`);
  const cause = error.cause as { type?: string; name?: string } | undefined;
  assert.match(
    cause?.type ?? cause?.name ?? '',
    new RegExp(type),
    `${id}: failed with ${cause?.type ?? cause?.name}, not ${type}`,
  );
}

async function cancelled(ctx: Ctx, id: string): Promise<void> {
  const error = await ctx.flowstate.result(id).then(
    () => assert.fail(`${id}: expected the run to be cancelled, but it completed`),
    (e: unknown) => e,
  );
  assert.ok(
    error instanceof WorkflowFailedError && error.cause instanceof CancelledFailure,
    `${id}: expected a cancelled run, got ${String(error)}`,
  );
}

async function eventually(
  ctx: Ctx,
  id: string,
  ok: (s: RunState) => boolean,
  what: string,
): Promise<RunState> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const state = await ctx.flowstate.state(id);
    if (ok(state)) return state;
    if (Date.now() > deadline)
      throw new Error(`${id}: ${what} not reached in 20 s; state: ${JSON.stringify(state)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const gatePending = (ctx: Ctx, id: string, gate: string, revision = 0) =>
  eventually(
    ctx,
    id,
    (s) => s.pending_gates.some((g) => g.gate === gate && g.revision === revision),
    `gate ${gate} (revision ${revision}) pending`,
  );

const decide = (
  ctx: Ctx,
  id: string,
  gate: string,
  decision: 'approve' | 'reject',
  by: string,
  comment?: string,
) => ctx.flowstate.decide(id, { gate, decision, by, ...(comment ? { comment } : {}) });

/** Run a definition to completion with no people involved. */
const straight =
  (
    name: string,
    def: () => Promise<CompiledDefinition> | CompiledDefinition,
    input: unknown,
    output: unknown,
  ) =>
  async (ctx: Ctx) => {
    await start(ctx, name, await def(), input);
    await completes(ctx, name, output);
  };

// ---------------------------------------------------------------------------------------------
// The scenarios. Keep runs small: the histories are committed.

const STRICT_GATE = `
id: strict-gate
version: 1.0.0
description: A gate whose rejection fails the run (on_reject fail).
tasks:
  - id: doc
    tool: echo
    with: { v: "{{ revision.number }}" }
    acceptance: { acceptors: [editor], on_reject: fail }
`;

const ESCALATE = `
id: escalate
version: 1.0.0
description: Nobody decides the gate in time; the run escalates.
tasks:
  - id: review
    tool: echo
    with: draft
    acceptance: { timeout: 1s, on_timeout: escalate }
  - { id: approved, type: aggregate, outputs: { route: normal }, final: true }
  - { id: escalate, type: aggregate, outputs: { route: escalated, draft: "{{ tasks.review.output }}" } }
`;

const WAIT_TIMEOUT = `
id: wait-timeout
version: 1.0.0
description: No pong arrives within the timeout; the wait jumps to on_timeout.
tasks:
  - { id: reply, type: wait, wait_for: pong, timeout: 1s, on_timeout: gave-up }
  - { id: answered, type: aggregate, outputs: { answered: true }, final: true }
  - { id: gave-up, type: aggregate, outputs: { answered: false } }
`;

const PAUSABLE = `
id: pausable
version: 1.0.0
description: Paused while waiting for a signal; no new task starts until resume.
tasks:
  - { id: hold, type: wait, wait_for: go }
  - { id: after, tool: echo, with: done }
`;

const parallelOf = (strategy: string, branches: string) => `
id: par-${strategy.replace(/_/g, '-')}
version: 1.0.0
tasks:
  - id: fan
    type: parallel
    strategy: ${strategy}
    tasks:
${branches}
`;

const BATCHED = `
id: collection-batched
version: 1.0.0
description: More items than run inline (200), so they run in a batch child workflow (interpretRuns).
tasks:
  - id: each
    type: collection
    items: input.items
    task: { id: double, type: aggregate, outputs: { n: "{{ item * 2 }}" } }
  - id: total
    type: aggregate
    outputs: { count: "{{ $count(tasks.each.output) }}", sum: "{{ $sum(tasks.each.output.n) }}" }
`;

const TASK_TIMEOUT = `
id: slow-call
version: 1.0.0
description: A tool call that outlives its task timeout.
tasks:
  - { id: call, tool: sleep, with: { label: t, ms: 10000 }, timeout: 1s, retry: { max_attempts: 1 } }
`;

const scenarios: Scenario[] = [
  {
    name: 'hello',
    examples: ['hello'],
    covers: 'basic tools (`echo`, `word-count`) and an aggregate (local activity)',
    record: straight('hello', () => example('hello'), sampleInput('hello'), {
      greeting: 'Hello, Ada!',
      words: 2,
    }),
  },
  {
    name: 'parallel-analysis',
    examples: ['parallel-analysis'],
    covers: 'parallel `wait_all` with `max_workers`, the definition-level `output` task',
    record: async (ctx) => {
      await start(
        ctx,
        'parallel-analysis',
        await example('parallel-analysis'),
        sampleInput('parallel-analysis'),
      );
      const { output } = await ctx.flowstate.result('parallel-analysis');
      assert.equal((output as { repo: string }).repo, 'acme/payments');
    },
  },
  {
    name: 'support-router-inline-route',
    examples: ['support-router'],
    covers: 'router: an inline route runs as the next task, then the flow goes on; `final`',
    record: straight(
      'support-router-inline-route',
      () => example('support-router'),
      sampleInput('support-router'),
      {
        reply: 'Thanks, routed as bug',
      },
    ),
  },
  {
    name: 'support-router-jump',
    examples: ['support-router'],
    covers: 'router: a route naming a task id jumps to it',
    record: straight(
      'support-router-jump',
      () => example('support-router'),
      { text: 'How do I log in?' },
      { reply: 'See the FAQ for: How do I log in?' },
    ),
  },
  {
    name: 'per-item-pipeline',
    examples: ['per-item-pipeline'],
    covers: 'collection with `filter`, a `tasks` body whose siblings share a pass scope, batches of two',
    record: straight(
      'per-item-pipeline',
      () => example('per-item-pipeline'),
      sampleInput('per-item-pipeline'),
      { docs: 2, words: 10 },
    ),
  },
  {
    name: 'release-checklist',
    examples: ['release-checklist'],
    covers: 'composite: steps in one scope',
    record: straight(
      'release-checklist',
      () => example('release-checklist'),
      sampleInput('release-checklist'),
      {
        tag: { tag: 'v2.1.0' },
        notes: { notes: 'Release notes for v2.1.0' },
        announce: { message: 'Released v2.1.0' },
      },
    ),
  },
  {
    name: 'release-checklist-hotfix',
    examples: ['release-checklist'],
    covers: 'composite with a step skipped by `if` (its output is null)',
    record: straight(
      'release-checklist-hotfix',
      () => example('release-checklist'),
      { version: '2.1.1', hotfix: true },
      {
        tag: { tag: 'v2.1.1' },
        notes: null,
        announce: { message: 'Released v2.1.1' },
      },
    ),
  },
  {
    name: 'retry-until-healthy',
    examples: ['retry-until-healthy'],
    covers: 'loop: passes until `until` holds',
    record: straight(
      'retry-until-healthy',
      () => example('retry-until-healthy'),
      sampleInput('retry-until-healthy'),
      { passes: 3, healthy: true },
    ),
  },
  {
    name: 'retry-until-healthy-exhausted',
    examples: ['retry-until-healthy'],
    covers: 'loop hitting `max_iterations`: the run fails (MaxIterationsExceeded)',
    record: async (ctx) => {
      await start(ctx, 'retry-until-healthy-exhausted', await example('retry-until-healthy'), {
        service: 'db',
        healthy_after: 99,
      });
      await fails(ctx, 'retry-until-healthy-exhausted', 'MaxIterationsExceeded');
    },
  },
  {
    name: 'order-saga-completed',
    examples: ['order-saga'],
    covers: 'saga happy path: `on_error` handlers not taken, `final`',
    record: straight(
      'order-saga-completed',
      () => example('order-saga'),
      { order: 'o-1', items: ['book'], amount: 50, country: 'fr' },
      {
        status: 'completed',
        tracking: 'trk-o-1',
      },
    ),
  },
  {
    name: 'order-saga-compensated',
    examples: ['order-saga'],
    covers:
      'compensation: payment declined (a non-retryable activity failure) → `on_error` releases the stock',
    record: straight('order-saga-compensated', () => example('order-saga'), sampleInput('order-saga'), {
      status: 'compensated',
      failed: 'pay',
      reason: 'PaymentDeclined',
      refunded: null,
      released: 'res-o-1001',
    }),
  },
  {
    name: 'order-saga-shipping-compensated',
    examples: ['order-saga'],
    covers: 'compensation in reverse order: shipping failed → refund, then release',
    record: straight(
      'order-saga-shipping-compensated',
      () => example('order-saga'),
      { order: 'o-2', items: ['lamp'], amount: 80, country: 'nowhere' },
      {
        status: 'compensated',
        failed: 'deliver',
        reason: 'ShippingUnavailable',
        refunded: 'pay-o-2',
        released: 'res-o-2',
      },
    ),
  },
  {
    name: 'handshake',
    examples: ['handshake-ping', 'handshake-pong'],
    runs: ['handshake-pong', 'handshake-ping'],
    covers:
      'signal and wait between two runs: pong ignores a non-matching ping (wait `condition`), answers the matching one',
    record: async (ctx) => {
      await start(ctx, 'handshake-pong', await example('handshake-pong'), sampleInput('handshake-pong'));
      await ctx.flowstate.signal('handshake-pong', 'ping', { token: 'wrong', reply_to: 'nobody' });
      await start(ctx, 'handshake-ping', await example('handshake-ping'), {
        peer: 'handshake-pong',
        token: 't-1',
      });
      await completes(ctx, 'handshake-ping', { answered: true });
      await completes(ctx, 'handshake-pong', { sent: true });
    },
  },
  {
    name: 'document-approval-approved',
    examples: ['document-approval'],
    covers: 'a gate approved at once through the `decide` update',
    record: async (ctx) => {
      const id = 'document-approval-approved';
      await start(ctx, id, await example('document-approval'), sampleInput('document-approval'));
      await gatePending(ctx, id, 'draft');
      await decide(ctx, id, 'draft', 'approve', 'editor', 'good');
      await completes(ctx, id, { published: 'Flowstate in production', revision: 0 });
    },
  },
  {
    name: 'document-approval-rejected-then-approved',
    examples: ['document-approval'],
    covers: 'a gate rejected (revise: the task runs again with the comment), then approved',
    record: async (ctx) => {
      const id = 'document-approval-rejected-then-approved';
      await start(ctx, id, await example('document-approval'), sampleInput('document-approval'));
      await gatePending(ctx, id, 'draft');
      await decide(ctx, id, 'draft', 'reject', 'editor', 'shorter title');
      await gatePending(ctx, id, 'draft', 1);
      await decide(ctx, id, 'draft', 'approve', 'chief');
      await completes(ctx, id, { published: 'Flowstate in production', revision: 1 });
    },
  },
  {
    name: 'document-approval-approve-signal',
    examples: ['document-approval'],
    covers: 'a gate approved through the fire-and-forget `approve` signal, after an invalid one is ignored',
    record: async (ctx) => {
      const id = 'document-approval-approve-signal';
      await start(ctx, id, await example('document-approval'), { title: 'Signals' });
      await gatePending(ctx, id, 'draft');
      await ctx.flowstate.signal(id, 'approve', { gate: 'draft', by: 'mallory' });
      await ctx.flowstate.signal(id, 'approve', { gate: 'draft', by: 'editor', comment: 'fine' });
      await completes(ctx, id, { published: 'Signals', revision: 0 });
    },
  },
  {
    name: 'document-approval-cancelled',
    examples: ['document-approval'],
    covers: 'cancellation: a run waiting at a gate is cancelled by the client',
    record: async (ctx) => {
      const id = 'document-approval-cancelled';
      await start(ctx, id, await example('document-approval'), { title: 'Never published' });
      await gatePending(ctx, id, 'draft');
      await ctx.flowstate.cancel(id);
      await cancelled(ctx, id);
    },
  },
  {
    name: 'discovery-to-architecture',
    examples: ['discovery-to-architecture'],
    covers:
      'gates in sequence and one per collection item, decided in any order, with revisions at both levels',
    record: async (ctx) => {
      const id = 'discovery-to-architecture';
      await start(ctx, id, await example('discovery-to-architecture'), { product: 'Shop', epics: 2 });
      await gatePending(ctx, id, 'discovery');
      await decide(ctx, id, 'discovery', 'reject', 'product-owner', 'add risks');
      await gatePending(ctx, id, 'discovery', 1);
      await decide(ctx, id, 'discovery', 'approve', 'product-owner');
      await gatePending(ctx, id, 'backlog');
      await decide(ctx, id, 'backlog', 'approve', 'product-owner');
      await eventually(ctx, id, (s) => s.pending_gates.length === 2, 'both architecture gates pending');
      await decide(ctx, id, 'architecture[epic-2]', 'approve', 'architect');
      await decide(ctx, id, 'architecture[epic-1]', 'reject', 'architect', 'more detail');
      await gatePending(ctx, id, 'architecture[epic-1]', 1);
      await decide(ctx, id, 'architecture[epic-1]', 'approve', 'architect');
      const { output } = await ctx.flowstate.result(id);
      assert.deepEqual((output as { epics: string[] }).epics, ['epic-1', 'epic-2']);
    },
  },
  {
    name: 'gate-rejected-fails',
    covers: 'a gate rejected with `on_reject: fail`: the run fails (GateRejected)',
    record: async (ctx) => {
      const id = 'gate-rejected-fails';
      await start(ctx, id, inline(id, STRICT_GATE));
      await gatePending(ctx, id, 'doc');
      await decide(ctx, id, 'doc', 'reject', 'editor', 'no');
      await fails(ctx, id, 'GateRejected');
    },
  },
  {
    name: 'gate-timeout-escalates',
    covers: 'a gate timeout (timer fires) jumps to `on_timeout`',
    record: async (ctx) => {
      await start(ctx, 'gate-timeout-escalates', inline('gate-timeout-escalates', ESCALATE));
      await completes(ctx, 'gate-timeout-escalates', { route: 'escalated', draft: 'draft' });
    },
  },
  {
    name: 'wait-timeout',
    covers: 'a wait timeout (timer fires) jumps to `on_timeout`',
    record: async (ctx) => {
      await start(ctx, 'wait-timeout', inline('wait-timeout', WAIT_TIMEOUT));
      await completes(ctx, 'wait-timeout', { answered: false });
    },
  },
  {
    name: 'pause-resume',
    covers: '`pause` and `resume` signals; a `wait_for` signal received while paused',
    record: async (ctx) => {
      const id = 'pause-resume';
      await start(ctx, id, inline(id, PAUSABLE));
      await eventually(ctx, id, (s) => s.waiting.length === 1, 'waiting for go');
      await ctx.flowstate.signal(id, 'pause');
      await ctx.flowstate.signal(id, 'go', {});
      await eventually(
        ctx,
        id,
        (s) => s.completed.includes('hold') && s.status === 'paused',
        'hold done while paused',
      );
      await ctx.flowstate.signal(id, 'resume');
      await completes(ctx, id, 'done');
    },
  },
  {
    name: 'parallel-fail-fast',
    covers:
      'parallel `fail_fast`: the first failure cancels the running sibling (cancellation scope), the run fails',
    record: async (ctx) => {
      const def = inline(
        'parallel-fail-fast',
        parallelOf(
          'fail_fast',
          `      - { id: bad, tool: sleep, with: { label: bad, ms: 200, fail: Broken }, retry: { max_attempts: 1 } }
      - { id: slow, tool: sleep, with: { label: slow, ms: 20000 } }`,
        ),
      );
      await start(ctx, 'parallel-fail-fast', def);
      await fails(ctx, 'parallel-fail-fast', 'Broken');
    },
  },
  {
    name: 'parallel-race',
    covers: 'parallel `race`: the first success wins, the other branch is cancelled',
    record: async (ctx) => {
      const def = inline(
        'parallel-race',
        parallelOf(
          'race',
          `      - { id: slow, tool: sleep, with: { label: slow, ms: 20000, value: slow } }
      - { id: quick, tool: sleep, with: { label: quick, ms: 100, value: quick } }`,
        ),
      );
      await start(ctx, 'parallel-race', def);
      await completes(ctx, 'parallel-race', 'quick');
    },
  },
  {
    name: 'collection-batched',
    runs: ['collection-batched', { id: 'collection-batched/each#0', file: 'collection-batched-batch-0' }],
    covers:
      'a collection of 201 items: more than run inline, so a batch child workflow (`interpretRuns`) runs them',
    record: async (ctx) => {
      const items = Array.from({ length: 201 }, (_, i) => i);
      await start(ctx, 'collection-batched', inline('collection-batched', BATCHED), { items });
      await completes(ctx, 'collection-batched', { count: 201, sum: 40200 });
    },
  },
  {
    name: 'task-timeout',
    covers: 'a task `timeout` (activity schedule-to-close) fails the run',
    record: async (ctx) => {
      await start(ctx, 'task-timeout', inline('task-timeout', TASK_TIMEOUT));
      await fails(ctx, 'task-timeout', 'Timeout');
    },
  },
  {
    name: 'spec-execution',
    examples: ['spec-execution'],
    covers:
      'a spec session (`dynamic`, task type `spec-session`): phases parsed from a tasks.md, `complete-phase` refused for missing gate criteria (`await_update`, `reject`), then each phase completed',
    record: async (ctx) => {
      const id = 'spec-execution';
      await start(ctx, id, await example(id), sampleInput(id));
      type Phase = { id: string; gate: Array<{ n: number }> };
      const current = async (phase: string): Promise<Phase> => {
        await eventually(ctx, id, (s) => s.waiting.some((w) => 'update' in w), 'waiting for complete-phase');
        for (let i = 0; i < 400; i++) {
          const view = (await ctx.flowstate.query(id, 'current-phase')) as Phase;
          if (view.id === phase) return view;
          await new Promise((r) => setTimeout(r, 50));
        }
        throw new Error(`${id}: phase ${phase} never became current`);
      };
      const evidence = (view: Phase) => ({ evidence: { criteria: Object.fromEntries(view.gate.map((c) => [String(c.n), 'met'])) } });
      const first = await current('1');
      await ctx.flowstate.update(id, 'complete-phase', { evidence: { criteria: { 1: 'met' } } }).then(
        () => assert.fail(`${id}: incomplete evidence was taken`),
        () => undefined,
      );
      await ctx.flowstate.update(id, 'complete-phase', evidence(first));
      await ctx.flowstate.update(id, 'complete-phase', evidence(await current('2')));
      await ctx.flowstate.update(id, 'complete-phase', evidence(await current('3')));
      await completes(ctx, id);
    },
  },
  {
    name: 'document-approval-escalation-approved',
    examples: ['document-approval-escalation'],
    covers: 'a gate with a timeout and `on_timeout`, decided in time: the jump is not taken, `final` ends the run',
    record: async (ctx) => {
      const id = 'document-approval-escalation-approved';
      await start(ctx, id, await example('document-approval-escalation'), sampleInput('document-approval-escalation'));
      await gatePending(ctx, id, 'draft');
      await decide(ctx, id, 'draft', 'approve', 'editor');
      await completes(ctx, id, { published: 'Remote work policy', revision: 0, approved_by: 'editor' });
    },
  },
  {
    name: 'document-approval-escalation-escalated',
    examples: ['document-approval-escalation'],
    covers:
      "the editor's gate times out (its 2d set to 1s with the test kit's time control) and jumps to `escalate`, whose gate the chief approves",
    record: async (ctx) => {
      const id = 'document-approval-escalation-escalated';
      const timed = applyTimeControl(await example('document-approval-escalation'), { overrides: { draft: { 'acceptance.timeout': '1s' } } });
      await start(ctx, id, timed.definition, sampleInput('document-approval-escalation'));
      await gatePending(ctx, id, 'escalate');
      await decide(ctx, id, 'escalate', 'approve', 'chief');
      await completes(ctx, id, { published: 'Remote work policy', revision: 0, approved_by: 'chief' });
    },
  },
];

/**
 * Every example in definitions/ is recorded: one that no scenario above runs gets a plain run with its
 * sample input (`<name>.input.json`, or `{}`) that must complete. Give it a scenario of its own when it
 * needs people, signals or a particular input.
 */
function withPlainRuns(list: Scenario[]): Scenario[] {
  const covered = new Set(list.flatMap((s) => s.examples ?? []));
  const plain = exampleNames(path.join(ROOT, 'definitions'))
    .filter((name) => !covered.has(name))
    .map((name): Scenario => ({
      name,
      examples: [name],
      covers: `the example \`${name}\` run with its sample input`,
      record: async (ctx) => {
        const hasInput = fs.existsSync(path.join(ROOT, 'definitions', `${name}.input.json`));
        await start(ctx, name, await example(name), hasInput ? sampleInput(name) : {});
        await completes(ctx, name);
      },
    }));
  return [...list, ...plain];
}

const all = withPlainRuns(scenarios);

// ---------------------------------------------------------------------------------------------

const runsOf = (s: Scenario) =>
  (s.runs ?? [s.name]).map((r) => (typeof r === 'string' ? { id: r, file: r } : r));

function readme(): string {
  const rows = all.map(
    (s) =>
      `| ${runsOf(s)
        .map((r) => `\`${r.file}.json\``)
        .join(', ')} | ${s.covers} |`,
  );
  return `# Recorded histories

Written by \`npm run record-histories\` (scripts/record-histories.ts) and replayed by \`npm test\`
(test/replay) against the current workflow code, with no server. Do not edit them by hand and do not
re-record them to make a failing replay pass: a failing replay means the change would break runs
already in flight. See CONTRIBUTING.md.

| history | what it covers |
| --- | --- |
${rows.join('\n')}
`;
}

function parseArgs(argv: string[]): { names: string[]; out: string; list: boolean } {
  const names: string[] = [];
  let out = path.join(ROOT, 'test/histories');
  let list = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') out = path.resolve(argv[++i] ?? '');
    else if (a === '--list') list = true;
    else if (a.startsWith('-'))
      throw new Error(`unknown option ${a}; usage: record-histories [name...] [--out DIR] [--list]`);
    else names.push(a);
  }
  const known = new Set(all.map((s) => s.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length)
    throw new Error(`unknown scenario ${unknown.join(', ')}; known: ${[...known].join(', ')}`);
  return { names, out, list };
}

async function main(): Promise<void> {
  const { names, out, list } = parseArgs(process.argv.slice(2));
  if (list) {
    for (const s of all) console.log(`${s.name.padEnd(42)} ${s.covers}`);
    return;
  }
  const chosen = names.length ? all.filter((s) => names.includes(s.name)) : all;
  const failed: string[] = [];
  // Expected failures (declined payments, failing branches) would log as warnings: keep the output to the point.
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const started = Date.now();
  const server = await startDevServer({ ui: false });
  console.log(`record-histories: dev server on ${server.address}`);
  let worker: Awaited<ReturnType<typeof createWorker>> | undefined;
  let running: Promise<void> | undefined;
  let agents: ExampleAgents | undefined;
  const connection = await Connection.connect({ address: server.address });
  const native = await NativeConnection.connect({ address: server.address });
  try {
    // The agent examples call the example agents, served on loopback for the recording.
    agents = await startExampleAgents();
    worker = await createWorker({
      connection: native,
      taskQueue: TASK_QUEUE,
      tools: [...exampleTools, ...new Probe().tools()],
      agents: createAgentCaller(agents.registryFile, { onFailover: () => undefined }),
    });
    running = worker.run();
    const flowstate = new FlowstateClient(new Client({ connection }), {
      address: server.address,
      namespace: 'default',
      taskQueue: TASK_QUEUE,
    });
    fs.mkdirSync(out, { recursive: true });
    for (const scenario of chosen) {
      const t = Date.now();
      try {
        await scenario.record({ flowstate });
      } catch (e) {
        // Not written: a history of a run that did not go as intended would be replayed as if it had.
        failed.push(scenario.name);
        console.error(`  ${scenario.name}: NOT RECORDED: ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
      for (const run of runsOf(scenario)) {
        const history = await flowstate.client.workflow.getHandle(run.id).fetchHistory();
        const file = path.join(out, `${run.file}.json`);
        fs.writeFileSync(file, `${historyToJSON(history)}\n`);
        const size = fs.statSync(file).size;
        console.log(
          `  ${run.file}.json: ${history.events?.length} events, ${size} bytes (${Date.now() - t} ms)`,
        );
      }
    }
    fs.writeFileSync(path.join(out, 'README.md'), readme());
  } finally {
    worker?.shutdown();
    await running?.catch(() => undefined);
    await native.close();
    await connection.close();
    await agents?.stop();
    await server.stop();
  }
  const where = path.relative(process.cwd(), out) || '.';
  console.log(
    `record-histories: ${chosen.length - failed.length} of ${chosen.length} scenarios recorded to ${where} in ${Date.now() - started} ms`,
  );
  if (failed.length) throw new Error(`not recorded: ${failed.join(', ')}`);
}

main().catch((e) => {
  console.error(`record-histories: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
