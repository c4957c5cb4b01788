import type { Json } from '../../contract/directive';
import type { Orchestrator } from '../../contract/orchestrator';
import { done, fail } from '../shared';
import { inputProblems } from './input';
import { subflowFields, type SubflowSpec } from './schema';

export { inputProblems } from './input';

/**
 * subflow: runs another definition, pinned when this one compiled, as a child workflow
 * (`<parent id>/<task path>`) with `with` as its input. Output: the child run's output.
 */
export const subflow: Orchestrator<SubflowSpec> = {
  type: 'subflow',
  summary: 'Runs another definition (registry ref or file), pinned at compile, as a child run.',
  fields: subflowFields,
  definitionField: 'definition',
  local: true,
  async start(ctx) {
    const { pinned, definition } = ctx.spec;
    if (!pinned) {
      return fail(
        'SubflowNotResolved',
        `${ctx.task.path}: '${definition}' was not resolved when the definition compiled; load it from its file or the registry (flowstate run/start, loadFile, loadForRun) so its subflows are pinned`,
      );
    }
    const input = ((await ctx.render(ctx.spec.with ?? {})) ?? {}) as Json;
    const problems = inputProblems(pinned.input, pinned.hash, input);
    if (problems !== undefined) {
      return fail(
        'SubflowInputInvalid',
        `${ctx.task.path}: 'with' does not match the input schema of ${pinned.id}@${pinned.version}: ${problems}`,
      );
    }
    return { kind: 'run_definition', definition: pinned as unknown as Json, input };
  },
  async respond(ctx, response) {
    if (response.kind !== 'workflow') return fail('UnexpectedResponse', 'subflow expected its child run');
    return { ...done(response.output), meta: { workflow_id: response.workflowId } } as ReturnType<
      typeof done
    >;
  },
};
