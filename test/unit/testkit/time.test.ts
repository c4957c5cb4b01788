/**
 * Time control on the compiled definition: time_scale scales the durations a definition states (and
 * only durations: strings elsewhere are left alone), `durations` sets chosen ones per task, floors
 * keep activities schedulable, and every change is listed for the report.
 */
import { compileOrThrow } from '../../../src/dsl/loader';
import { builtinTaskTypes } from '../../../src/orchestrators/registry';
import {
  applyTimeControl,
  describeChange,
  durationFieldsOf,
  formatMs,
  MIN_ACTIVITY_TIMEOUT_MS,
} from '../../../src/testkit/time';
import type { CompiledTask } from '../../../src/contract/compiled';

const def = compileOrThrow(
  `
id: timed
version: 1.0.0
tasks:
  - id: call
    tool: slow
    # strings that look like durations but are not duration fields: never touched
    with: { timeout: 7d, note: "wait 5m" }
    timeout: 1h
    heartbeat: 2m
    retry: { initial_interval: 30s, max_interval: 10m }
  - id: reply
    type: wait
    wait_for: pong
    timeout: 7d
    on_timeout: review
  - id: review
    tool: echo
    acceptance: { acceptors: [editor], timeout: 2d, on_timeout: done }
  - { id: done, type: aggregate, outputs: { ok: true } }
`,
  'timed.yaml',
  builtinTaskTypes(),
);

const task = (d: typeof def, id: string): CompiledTask => {
  const find = (ts: CompiledTask[]): CompiledTask | undefined =>
    ts.map((t) => (t.id === id ? t : find(t.children))).find(Boolean);
  return find(d.tasks)!;
};

test('durationFieldsOf finds the duration fields of a type by its schema, not by the look of a string', () => {
  expect(durationFieldsOf(task(def, 'reply')).map((f) => [f.field, f.value])).toEqual([['timeout', '7d']]);
  expect(durationFieldsOf(task(def, 'call')).map((f) => [f.field, f.value])).toEqual([['heartbeat', '2m']]);
  expect(durationFieldsOf(task(def, 'done'))).toEqual([]);
});

test('time_scale scales every stated duration and leaves other strings alone', () => {
  const { definition, changes, problems } = applyTimeControl(def, {
    scale: { factor: 1 / 604_800, text: '7d -> 1s' },
  });
  expect(problems).toEqual([]);
  const reply = task(definition, 'reply');
  expect(reply.spec.timeout).toBe('1000ms');
  expect(task(definition, 'review').acceptance?.timeoutMs).toBe(Math.round(172_800_000 / 604_800));
  const call = task(definition, 'call');
  expect(call.spec.with).toEqual({ timeout: '7d', note: 'wait 5m' });
  // Activity timeouts never go below the floor: an activity needs time to be scheduled at all.
  expect(call.execution.scheduleToCloseMs).toBe(MIN_ACTIVITY_TIMEOUT_MS);
  expect(call.execution.startToCloseMs).toBe(MIN_ACTIVITY_TIMEOUT_MS);
  expect(call.execution.heartbeatMs).toBe(MIN_ACTIVITY_TIMEOUT_MS);
  expect(call.spec.heartbeat).toBe(`${MIN_ACTIVITY_TIMEOUT_MS}ms`);
  expect(call.execution.retry.initialIntervalMs).toBe(10);
  // The original is untouched.
  expect(task(def, 'reply').spec.timeout).toBe('7d');
  const lines = changes.map((c) => describeChange(c, { text: '7d -> 1s' }));
  expect(lines).toContain('reply timeout 7d → 1s (time_scale 7d -> 1s)');
  expect(lines).toContain('call timeout 1h → 1s (time_scale 7d -> 1s, raised to the floor)');
  expect(lines).toContain('review acceptance.timeout 2d → 286ms (time_scale 7d -> 1s)');
  // Default retry intervals are scaled too, reported once for all the tasks that keep them.
  expect(lines).toContain(
    'retry.initial_interval 1s → 10ms on 3 tasks at the default (time_scale 7d -> 1s, raised to the floor)',
  );
});

test('durations set chosen fields per task (by id or path of ids); time_scale leaves those alone', () => {
  const { definition, changes } = applyTimeControl(def, {
    scale: { factor: 0.5, text: '0.5' },
    overrides: {
      reply: { timeout: '2s' },
      review: { 'acceptance.timeout': '1s' },
      call: { 'retry.initial_interval': '1ms' },
    },
  });
  expect(task(definition, 'reply').spec.timeout).toBe('2000ms');
  expect(task(definition, 'review').acceptance?.timeoutMs).toBe(1_000);
  expect(task(definition, 'call').execution.retry.initialIntervalMs).toBe(1);
  expect(task(definition, 'call').execution.scheduleToCloseMs).toBe(1_800_000);
  expect(changes.filter((c) => c.how === 'override').map((c) => describeChange(c))).toEqual([
    'reply timeout 7d → 2s (durations)',
    'review acceptance.timeout 2d → 1s (durations)',
    'call retry.initial_interval 30s → 1ms (durations)',
  ]);
});

test('durations naming no task, or a field the task does not have, are problems', () => {
  const { problems } = applyTimeControl(def, {
    overrides: { replly: { timeout: '1s' }, done: { timeout: '1s' } },
  });
  expect(problems).toEqual([
    { key: 'replly', message: "no task 'replly' in the definition (tasks: call, reply, review, done)" },
    {
      key: 'done',
      field: 'timeout',
      message:
        "task 'done' has no duration 'timeout' to set (it has: retry.initial_interval, retry.max_interval)",
    },
  ]);
});

test("nested tasks are found by id or path; runs' [keys] are ignored", () => {
  const nested = compileOrThrow(
    `
id: nested
version: 1.0.0
tasks:
  - id: each
    type: collection
    items: input.xs
    task: { id: hold, type: wait, wait_for: go, timeout: 1h }
`,
    'nested.yaml',
    builtinTaskTypes(),
  );
  for (const key of ['hold', 'each/hold', 'each[x]/hold']) {
    const { definition, problems } = applyTimeControl(nested, { overrides: { [key]: { timeout: '1s' } } });
    expect(problems).toEqual([]);
    expect(definition.tasks[0].children[0].spec.timeout).toBe('1000ms');
  }
});

test('formatMs uses the largest exact unit', () => {
  expect([604_800_000, 3_600_000, 90_000, 1_000, 1_500, 7].map(formatMs)).toEqual([
    '7d',
    '1h',
    '90s',
    '1s',
    '1500ms',
    '7ms',
  ]);
});
