/** The `source` of the subflows pinned into a compiled definition, made relative for recording. */
import path from 'node:path';
import type { CompiledDefinition, CompiledTask } from '../contract/compiled';

/**
 * The definition with its pinned subflows' `source` (`spec.pinned`, at any depth) relative to
 * `root` (unchanged without one), so a recorded history names no machine's folders.
 */
export function pinnedSourcesUnder(
  definition: CompiledDefinition,
  root: string | undefined,
): CompiledDefinition {
  if (root === undefined) return definition;
  const copy = JSON.parse(JSON.stringify(definition)) as CompiledDefinition;
  const tasks = (list: CompiledTask[]): void =>
    list.forEach((t) => {
      const pinned = t.spec.pinned as unknown as CompiledDefinition | undefined;
      if (pinned && Array.isArray(pinned.tasks)) {
        if (pinned.source !== undefined && path.isAbsolute(pinned.source))
          pinned.source = path.relative(root, pinned.source);
        tasks(pinned.tasks);
      }
      tasks(t.children);
    });
  tasks(copy.tasks);
  return copy;
}
