/**
 * The interpreter's workflow code, bundled (webpack, through the Temporal SDK) as workers run it: with
 * Flowstate's workflow interceptors, plus any given (replay adds its task-order check). One place for
 * the worker's tests, the test kit, replay and the events rebuilt from history.
 */
import { bundleWorkflowCode } from '@temporalio/worker';
import { FLOWSTATE_WORKFLOW_INTERCEPTORS } from './observability';

/** Path of the workflow code the worker bundles. */
export const WORKFLOWS_PATH = require.resolve('./workflows');

const noop = () => undefined;
/** The bundler says only what went wrong. */
const quiet = {
  log: noop,
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: (m: string) => console.error(m),
};

/** Bundle the workflow code (default: the interpreter) with Flowstate's interceptors and `interceptorModules`. */
export async function bundleInterpreter(
  options: { workflowsPath?: string; interceptorModules?: string[] } = {},
): Promise<{ code: string }> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: options.workflowsPath ?? WORKFLOWS_PATH,
    workflowInterceptorModules: [FLOWSTATE_WORKFLOW_INTERCEPTORS, ...(options.interceptorModules ?? [])],
    logger: quiet,
  });
  return { code };
}
