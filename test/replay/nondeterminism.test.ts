/**
 * Proof that the net works: builds of the interpreter with a deliberately non-deterministic change
 * fail to replay the recorded corpus with a DeterminismViolationError naming each file, while the
 * same change behind patched() replays every history. The fixtures (test/replay/fixtures) wrap the
 * real interpreter, so what is tested is the real code plus exactly one change.
 */
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import {
  bundleForReplay,
  readHistoryFile,
  replayHistoryFiles,
  type ReplayFileResult,
} from '../../src/replay';
import { corpus, HISTORIES, quietRuntime } from './helpers';

const fixture = (name: string) => path.join(__dirname, 'fixtures', `${name}-workflows.ts`);
const history = (name: string) => path.join(HISTORIES, `${name}.json`);
const failures = (results: ReplayFileResult[]) => results.filter((r) => !r.ok);

beforeAll(() => quietRuntime());

/** The histories of `interpret` runs: the fixtures change `interpret`, not the batch child workflow. */
const interpretRuns = () => corpus().filter((f) => readHistoryFile(f).workflowType === 'interpret');

test('an extra activity call on start: every recorded run fails with DeterminismViolationError naming its file', async () => {
  const files = interpretRuns();
  expect(files.length).toBeGreaterThanOrEqual(15);
  const results = await replayHistoryFiles(files, {
    workflowBundle: await bundleForReplay(fixture('extra-activity')),
  });
  expect(results.filter((r) => r.ok).map((r) => r.file)).toEqual([]);
  for (const r of results) {
    expect(r.error?.problem).toBe('nondeterminism');
    expect(r.error?.cause).toBeInstanceOf(DeterminismViolationError);
    expect(r.error?.message.startsWith(`${r.file}: replay is not deterministic`)).toBe(true);
  }
}, 60_000);

test('the same change behind patched() replays every recorded history', async () => {
  const results = await replayHistoryFiles(corpus(), {
    workflowBundle: await bundleForReplay(fixture('patched-extra-activity')),
  });
  expect(failures(results).map((r) => r.error?.message)).toEqual([]);
}, 60_000);

describe('nested tasks run in another order (a reordered branch)', () => {
  const nested = ['parallel-analysis', 'per-item-pipeline', 'release-checklist'];

  test('fails replay of every history with nested tasks; histories without them still replay', async () => {
    const files = [...nested, 'hello', 'document-approval-approved'].map(history);
    const results = await replayHistoryFiles(files, {
      workflowBundle: await bundleForReplay(fixture('reordered-branches')),
    });
    expect(failures(results).map((r) => path.basename(r.file, '.json'))).toEqual(nested);
    for (const r of failures(results)) {
      expect(r.error?.problem).toBe('nondeterminism');
      expect(r.error?.cause).toBeInstanceOf(DeterminismViolationError);
      expect(r.error?.message).toMatch(/tasks run in another order/);
    }
    const [parallel] = results;
    expect(parallel.error?.message).toMatch(
      /was 'createTaskState' for task 'analyse\/security' in this history, but the workflow code now schedules 'createTaskState' for task 'analyse\/deps' there/,
    );
  }, 60_000);

  test('why the task-order check exists: Temporal alone replays that change without error', async () => {
    // Bundled without bundleForReplay's interceptor: only Temporal's own command check runs, and
    // every task is the same activity type, so the reordered build "replays" the parallel run,
    // handing security's recorded result to deps.
    const { code } = await bundleWorkflowCode({
      workflowsPath: fixture('reordered-branches'),
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
    });
    const results = await replayHistoryFiles([history('parallel-analysis')], { workflowBundle: { code } });
    expect(results).toEqual([expect.objectContaining({ ok: true })]);
  }, 60_000);
});
