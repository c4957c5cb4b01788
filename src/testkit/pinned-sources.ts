/** The `source` of a definition a case runs, and of the subflows pinned into it. */
import path from 'node:path';
import type { CompiledDefinition, CompiledTask } from '../contract/compiled';

/**
 * The definition loaded from `file` with its `source`, and its pinned subflows' (`spec.pinned`, at
 * any depth), relative to `root` when given, so a recorded history names no machine's folders.
 */
export function withSources(
  definition: CompiledDefinition,
  file: string,
  root: string | undefined,
): CompiledDefinition {
  if (root === undefined) return { ...definition, source: file };
  const copy = JSON.parse(JSON.stringify(definition)) as CompiledDefinition;
  copy.source = path.relative(root, file);
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
