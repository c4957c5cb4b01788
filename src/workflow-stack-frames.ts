/**
 * How many stack frames the worker's workflow threads capture. The Temporal SDK takes a stack trace
 * of every promise workflow code creates (for the stack-trace query, `temporal workflow stack`) and
 * maps each frame through the bundle's source map: measured on a parallel of 1,000 branches, that is
 * 65 % of the workflow thread's time at V8's default of 10 frames, and half of it at 4. The
 * interpreter's stack says where the interpreter waits, not where a definition does (`flowstate
 * status` says that), so Flowstate's workflow threads keep fewer frames: FLOWSTATE_WORKFLOW_STACK_FRAMES
 * (default 5), raised to debug the interpreter itself. Activities (the main thread) keep Node's default.
 */
import v8 from 'node:v8';
import { envWholeNumber } from './env';

/** Frames a workflow thread's stack traces keep unless FLOWSTATE_WORKFLOW_STACK_FRAMES says otherwise. */
export const DEFAULT_WORKFLOW_STACK_FRAMES = 5;

/** FLOWSTATE_WORKFLOW_STACK_FRAMES (1-100), else the default; an `EnvError` for a value that cannot work. */
export function workflowStackFramesFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const range = { min: 1, max: 100, takes: 'a whole number of frames (1-100)' };
  return envWholeNumber(env, 'FLOWSTATE_WORKFLOW_STACK_FRAMES', range) ?? DEFAULT_WORKFLOW_STACK_FRAMES;
}

/**
 * Run `create` (which starts the workflow threads: `Worker.create`) with V8's stack trace limit at
 * `frames`, then put it back. V8 reads the limit when a context is made, so the workflow threads and
 * their workflow contexts made meanwhile keep `frames`; the contexts that exist already (this thread's,
 * where activities run) are not touched.
 */
export async function withWorkflowStackFrames<T>(frames: number, create: () => Promise<T>): Promise<T> {
  const limit = Error.stackTraceLimit;
  const before = Number.isInteger(limit) && limit >= 0 ? limit : 10;
  v8.setFlagsFromString(`--stack-trace-limit=${frames}`);
  try {
    return await create();
  } finally {
    v8.setFlagsFromString(`--stack-trace-limit=${before}`);
  }
}
