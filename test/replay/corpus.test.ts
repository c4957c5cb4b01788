/**
 * The replay corpus: every history in test/histories (recorded on a real server by
 * `npm run record-histories`) replays against the current workflow bundle, with no server. The
 * corpus must cover every task type and the paths that matter (gates approved and rejected,
 * timeouts, cancellation, compensation, failures, signals), so that a change to the interpreter that
 * would break runs in flight fails here first. See CONTRIBUTING.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { builtinTaskTypes } from '../../src/orchestrators/registry';
import {
  bundleForReplay,
  readHistoryFile,
  replayHistoryFiles,
  HistoryFileError,
  type HistoryFile,
} from '../../src/replay';
import { corpus, decode, definitionOf, EventType, HISTORIES, quietRuntime, taskTypesOf } from './helpers';
import { exampleNames } from '../../src/client/definitions';

let workflowBundle: { code: string };
const histories = new Map<string, HistoryFile>();

beforeAll(async () => {
  quietRuntime();
  workflowBundle = await bundleForReplay();
  for (const file of corpus()) histories.set(path.basename(file, '.json'), readHistoryFile(file));
}, 60_000);

const events = (name: string) => histories.get(name)?.history.events ?? [];
/** Histories of `interpret` runs (a batch child workflow's input is not a definition). */
const runs = () =>
  [...histories.values()].filter((h) => h.workflowType === 'interpret').map((h) => h.history);

test('every recorded history replays against the current workflow code', async () => {
  const files = corpus();
  expect(files.length).toBeGreaterThanOrEqual(15);
  const results = await replayHistoryFiles(files, { workflowBundle });
  expect(results.filter((r) => !r.ok).map((r) => r.error?.message)).toEqual([]);
  expect(results).toHaveLength(files.length);
}, 60_000);

describe('the corpus covers what the interpreter does', () => {
  test('every built-in task type', () => {
    const used = new Set(runs().flatMap((h) => [...taskTypesOf(definitionOf(h))]));
    expect(
      builtinTaskTypes()
        .names()
        .filter((t) => !used.has(t)),
    ).toEqual([]);
  });

  test('every example in definitions/', () => {
    const dir = path.resolve(__dirname, '../../definitions');
    const examples = exampleNames(dir);
    const recorded = new Set(runs().map((h) => definitionOf(h).id));
    const missing = examples.filter((e) => !recorded.has(e));
    // A new example needs its history: `npm run record-histories -- <name>` (CONTRIBUTING.md).
    expect(missing.map((e) => `definitions/${e}.yaml has no history in test/histories`)).toEqual([]);
  });

  test('a gate approved and a gate rejected through the decide update, and the approve signal', () => {
    const decisions = (name: string) =>
      events(name)
        .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input)
        .filter((input) => input?.name === 'decide')
        .map((input) => (decode(input?.args) as { decision: string }).decision);
    expect(decisions('document-approval-approved')).toEqual(['approve']);
    expect(decisions('document-approval-rejected-then-approved')).toEqual(['reject', 'approve']);
    expect(decisions('gate-rejected-fails')).toEqual(['reject']);
    const signals = events('document-approval-approve-signal').map(
      (e) => e.workflowExecutionSignaledEventAttributes?.signalName,
    );
    expect(signals.filter((s) => s === 'approve')).toHaveLength(2);
  });

  test('timeouts: gate and wait timers that fire, a task timeout', () => {
    const fired = (name: string) =>
      events(name).some((e) => e.eventType === EventType.EVENT_TYPE_TIMER_FIRED);
    expect(fired('gate-timeout-escalates')).toBe(true);
    expect(fired('wait-timeout')).toBe(true);
    expect(
      events('task-timeout').some((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT),
    ).toBe(true);
  });

  test('how runs end: completed, failed, cancelled', () => {
    const last = (name: string) => events(name).at(-1)?.eventType;
    expect(last('document-approval-cancelled')).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED);
    for (const name of [
      'retry-until-healthy-exhausted',
      'gate-rejected-fails',
      'parallel-fail-fast',
      'task-timeout',
    ]) {
      expect([name, last(name)]).toEqual([name, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED]);
    }
    expect(last('hello')).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
  });

  test('compensation: a failed step handled by on_error, completed steps undone', () => {
    const output = (name: string) => {
      const done = events(name).find(
        (e) => e.workflowExecutionCompletedEventAttributes,
      )?.workflowExecutionCompletedEventAttributes;
      return (decode(done?.result) as { output: unknown }).output;
    };
    expect(output('order-saga-compensated')).toMatchObject({
      status: 'compensated',
      failed: 'pay',
      released: 'res-o-1001',
    });
    expect(output('order-saga-shipping-compensated')).toMatchObject({
      status: 'compensated',
      refunded: 'pay-o-2',
      released: 'res-o-2',
    });
  });

  test('signals between runs, pause and resume, cancelled parallel branches', () => {
    expect(
      events('handshake-ping').some((e) => e.signalExternalWorkflowExecutionInitiatedEventAttributes),
    ).toBe(true);
    expect(
      events('handshake-pong').some((e) => e.signalExternalWorkflowExecutionInitiatedEventAttributes),
    ).toBe(true);
    const signals = events('pause-resume')
      .map((e) => e.workflowExecutionSignaledEventAttributes?.signalName)
      .filter(Boolean);
    expect(signals).toEqual(['pause', 'go', 'resume']);
    for (const name of ['parallel-race', 'parallel-fail-fast']) {
      expect([
        name,
        events(name).some((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED),
      ]).toEqual([name, true]);
    }
  });

  test('a large fan-out in a batch child workflow: both the parent and the child history', () => {
    expect(
      events('collection-batched').some((e) => e.startChildWorkflowExecutionInitiatedEventAttributes),
    ).toBe(true);
    expect(histories.get('collection-batched-batch-0')?.workflowType).toBe('interpretRuns');
  });
});

/**
 * Orchestrators, tools and expressions run in the `createTaskState` activity. Replay never runs an
 * activity: it feeds the workflow the results the history recorded (a replay worker has no
 * activities at all). So changing what an orchestrator does cannot break a run in flight, whose
 * history mixes results of the old and the new orchestrator. Shown two ways.
 */
describe('an orchestrator (activity-side) change does not break replay', () => {
  test('the workflow bundle holds workflow code only: no orchestrator, tool, activity or expression code', () => {
    const modules = [...new Set(workflowBundle.code.match(/\.\/src\/[\w/.-]+\.ts/g) ?? [])];
    expect(modules.length).toBeGreaterThan(0);
    // Besides the interpreter, only workflow interceptors: the replay check's own and Flowstate's
    // gate-wait metrics (which production workers bundle too), with what they import.
    const interceptors = [
      './src/replay/task-check-interceptor.ts',
      './src/observability/workflow-interceptors.ts',
      './src/observability/gate-clock.ts',
      './src/observability/metric-names.ts',
    ];
    expect(modules.filter((m) => !m.startsWith('./src/workflows/') && !interceptors.includes(m))).toEqual([]);
    expect(workflowBundle.code).not.toMatch(/node_modules\/jsonata/);
  });

  test('a run whose later results come from a changed orchestrator still replays', async () => {
    // `word-count` changed after `hello` had run `greet`: it now counts characters. The history
    // holds the new tool's result for `count` and what the aggregate made of it.
    const json = JSON.parse(fs.readFileSync(path.join(HISTORIES, 'hello.json'), 'utf8'));
    const rewrites = rewriteOutputs(json, (output) =>
      output && typeof output === 'object' && 'words' in output
        ? { ...output, words: 11, counted: 'characters' }
        : output,
    );
    expect(rewrites).toBe(3); // count's activity result, the aggregate's marker, the run's result
    const file = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-replay-')),
      'hello-after-word-count-change.json',
    );
    fs.writeFileSync(file, JSON.stringify(json));
    const [result] = await replayHistoryFiles([file], { workflowBundle });
    expect(result).toMatchObject({ ok: true, workflowId: 'hello' });
  }, 30_000);
});

describe('bad history files: a clear error naming the file; the other files still replay', () => {
  let dir: string;
  const hello = () => JSON.parse(fs.readFileSync(path.join(HISTORIES, 'hello.json'), 'utf8'));
  const write = (name: string, content: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
  };
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-bad-histories-'));
  });

  test('corrupt, empty, not a history, truncated, missing, of another workflow type', async () => {
    const other = hello();
    other.events[0].workflowExecutionStartedEventAttributes.workflowType.name = 'orderWorkflow';
    const truncated = hello();
    truncated.events = truncated.events.slice(1);
    const files = {
      corrupt: write(
        'corrupt.json',
        fs.readFileSync(path.join(HISTORIES, 'hello.json'), 'utf8').slice(0, 500),
      ),
      empty: write('empty.json', ''),
      notHistory: write('not-a-history.json', JSON.stringify({ workflowId: 'x' })),
      truncated: write('truncated.json', JSON.stringify(truncated)),
      missing: path.join(dir, 'missing.json'),
      other: write('other-workflow.json', JSON.stringify(other)),
      good: path.join(HISTORIES, 'hello.json'),
    };
    const results = await replayHistoryFiles(Object.values(files), { workflowBundle });
    const byFile = new Map(results.map((r) => [r.file, r]));
    const problem = (file: string) => {
      const r = byFile.get(file)!;
      expect(r.ok).toBe(false);
      expect(r.error).toBeInstanceOf(HistoryFileError);
      expect(r.error!.message.startsWith(`${file}: `)).toBe(true);
      return { problem: r.error!.problem, message: r.error!.message.slice(file.length + 2) };
    };
    expect(problem(files.corrupt)).toMatchObject({
      problem: 'corrupt',
      message: expect.stringMatching(/^not valid JSON \(/),
    });
    expect(problem(files.empty)).toEqual({
      problem: 'corrupt',
      message: 'the file is empty, not a workflow history',
    });
    expect(problem(files.notHistory)).toMatchObject({
      problem: 'corrupt',
      message: expect.stringContaining("non-empty 'events' array"),
    });
    expect(problem(files.truncated)).toMatchObject({
      problem: 'corrupt',
      message: expect.stringMatching(
        /^the first event is EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, not WorkflowExecutionStarted/,
      ),
    });
    expect(problem(files.missing)).toEqual({
      problem: 'unreadable',
      message: 'cannot read the file (ENOENT)',
    });
    expect(problem(files.other)).toMatchObject({
      problem: 'wrong-workflow-type',
      message: expect.stringMatching(
        /^a history of workflow type 'orderWorkflow', not of Flowstate's 'interpret'/,
      ),
    });
    expect(byFile.get(files.good)).toEqual({ file: files.good, workflowId: 'hello', ok: true });
  }, 30_000);
});

/** Apply `change` to the `output` of every done directive and run result in a JSON history; returns how many changed. */
function rewriteOutputs(json: { events: Array<Record<string, any>> }, change: (output: any) => any): number {
  let count = 0;
  const rewrite = (payload: { data: string } | undefined) => {
    if (!payload) return;
    const value = JSON.parse(Buffer.from(payload.data, 'base64').toString('utf8'));
    if (!value || typeof value !== 'object' || !('output' in value)) return;
    const output = change(value.output);
    if (JSON.stringify(output) === JSON.stringify(value.output)) return;
    payload.data = Buffer.from(JSON.stringify({ ...value, output })).toString('base64');
    count++;
  };
  for (const e of json.events) {
    rewrite(e.activityTaskCompletedEventAttributes?.result?.payloads?.[0]);
    rewrite(e.markerRecordedEventAttributes?.details?.result?.payloads?.[0]);
    rewrite(e.workflowExecutionCompletedEventAttributes?.result?.payloads?.[0]);
  }
  return count;
}
