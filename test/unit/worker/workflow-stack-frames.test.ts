/**
 * The workflow threads' stack trace limit (src/workflow-stack-frames.ts): a thread started while
 * `withWorkflowStackFrames` runs keeps the frames asked for, in its own contexts and in the `vm`
 * contexts it makes (where workflow code runs); this thread and threads started after keep theirs.
 */
import { Worker } from 'node:worker_threads';
import {
  DEFAULT_WORKFLOW_STACK_FRAMES,
  withWorkflowStackFrames,
  workflowStackFramesFromEnv,
} from '../../../src/workflow-stack-frames';

/** Error.stackTraceLimit of a new thread and of a vm context made in it. */
function limitsOfNewThread(): Promise<{ thread: number; context: number }> {
  const code = `
    const { parentPort } = require('node:worker_threads');
    const vm = require('node:vm');
    parentPort.postMessage({ thread: Error.stackTraceLimit, context: vm.runInNewContext('Error.stackTraceLimit') });`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true });
    worker.once('message', (m) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

describe('withWorkflowStackFrames', () => {
  it('gives threads started meanwhile the frames asked for, and leaves this thread and later ones alone', async () => {
    const mine = Error.stackTraceLimit;
    const during = await withWorkflowStackFrames(3, () => limitsOfNewThread());
    expect(during).toEqual({ thread: 3, context: 3 });
    expect(Error.stackTraceLimit).toBe(mine);
    expect(await limitsOfNewThread()).toEqual({ thread: mine, context: mine });
  });

  it('puts the limit back when the creation fails', async () => {
    const mine = Error.stackTraceLimit;
    await expect(withWorkflowStackFrames(2, () => Promise.reject(new Error('no server')))).rejects.toThrow(
      'no server',
    );
    expect((await limitsOfNewThread()).thread).toBe(mine);
  });
});

describe('workflowStackFramesFromEnv', () => {
  it('reads FLOWSTATE_WORKFLOW_STACK_FRAMES, else the default', () => {
    expect(workflowStackFramesFromEnv({})).toBe(DEFAULT_WORKFLOW_STACK_FRAMES);
    expect(workflowStackFramesFromEnv({ FLOWSTATE_WORKFLOW_STACK_FRAMES: ' 12 ' })).toBe(12);
  });

  it.each(['0', '101', '2.5', 'all', '-3'])('refuses %s, naming the variable and what it takes', (raw) => {
    expect(() => workflowStackFramesFromEnv({ FLOWSTATE_WORKFLOW_STACK_FRAMES: raw })).toThrow(
      `FLOWSTATE_WORKFLOW_STACK_FRAMES must be a whole number of frames (1-100); got '${raw}'`,
    );
  });
});
