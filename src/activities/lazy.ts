/**
 * The worker's activities as thin functions: `createTaskState` requires its implementation (the task
 * types' orchestrators, the expression language, their schemas) on its first call, not when the
 * worker starts, so a worker polls without having loaded them (DESIGN.md section 8, worker start).
 */
import type { Directive } from '../contract/directive';
import type { ActivityDeps, CreateTaskStateInput } from './create-task-state';

/** The activities a worker registers; `deps` is called once, on the first task. */
export function lazyActivities(deps: () => ActivityDeps) {
  let impl: ((input: CreateTaskStateInput) => Promise<Directive>) | undefined;
  return {
    async createTaskState(input: CreateTaskStateInput): Promise<Directive> {
      impl ??= (require('./create-task-state') as typeof import('./create-task-state')).makeCreateTaskState(
        deps(),
      );
      return impl(input);
    },
  };
}
