/**
 * Workflow code of "build B" in the rolling-upgrade test (rolling-upgrade.ts): the real interpreter
 * with one change behind `patched()`, as CONTRIBUTING.md asks of an interpreter change. A run started
 * on build B records the patch marker and upserts a memo (one more command); a run started on build
 * A replays here without the marker, takes the old branch and makes the same commands as on A.
 * Bundled with the worker's own bundler (`writeBundle`), never imported by Node.
 */
import { patched, upsertMemo } from '@temporalio/workflow';
import type { InterpretInput, RunResult } from '../../src/workflows/api';
import { interpret as interpreter } from '../../src/workflows/interpret';

import { BUILD_B_MEMO, BUILD_B_PATCH } from './upgrade-patch';

export { interpretRuns, interpretTask } from '../../src/workflows';

/** The interpreter (same workflow type), with build B's change first. */
export async function interpret(input: InterpretInput): Promise<RunResult> {
  if (patched(BUILD_B_PATCH)) upsertMemo(BUILD_B_MEMO);
  return interpreter(input);
}
