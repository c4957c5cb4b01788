/**
 * What the kit checks before a case runs: the tools and agents a definition calls, and the mistakes a
 * case makes about its definition (a path it does not have, a stub or a call count for a tool it
 * never calls).
 */
import type { CompiledDefinition } from '../contract/compiled';
import type { ResolvedCase } from './cases';
import type { Failure } from './expect';
import { allTasks, findTask } from './time';

/** Tools and agent skills a definition calls (tasks with a `tool`, `agent` or `http` field). */
export function calledBy(definition: CompiledDefinition): { tools: Set<string>; agents: Set<string> } {
  const tools = new Set<string>();
  const agents = new Set<string>();
  for (const { task } of allTasks(definition)) {
    if (typeof task.spec.tool === 'string') tools.add(task.spec.tool);
    if (typeof task.spec.agent === 'string') agents.add(task.spec.agent);
    if (task.spec.http !== undefined && task.spec.http !== null) tools.add('http');
  }
  return { tools, agents };
}

/** Mistakes a case makes about its definition, found before anything runs. */
export function staticProblems(c: ResolvedCase, definition: CompiledDefinition): Failure[] {
  const failures: Failure[] = [];
  const tasks = allTasks(definition);
  const checkPath = (path: string, where: string, what: string) => {
    for (const segment of path.split('/')) {
      const found = findTask(tasks, segment);
      if (typeof found === 'string') {
        failures.push({ message: `${what} '${path}': ${found}`, path, where });
        return;
      }
    }
  };
  c.interactions.forEach((step, i) =>
    checkPath(step.at, c.where(['interactions', i, 'at']), 'interaction at'),
  );
  (c.expect.not_paths ?? []).forEach((p, i) =>
    checkPath(p, c.where(['expect', 'not_paths', i]), 'not_paths'),
  );
  const called = calledBy(definition);
  const peersCall = Object.keys(c.peers).length > 0;
  for (const [kind, names, stubs] of [
    ['tool', called.tools, c.ownTools],
    ['agent', called.agents, c.ownAgents],
  ] as const) {
    if (peersCall) break; // peers may call what the case's definition does not
    for (const name of stubs) {
      if (names.has(name)) continue;
      failures.push({
        message: `${kind}s.${name}: ${definition.id} calls no ${kind} '${name}' (it calls: ${[...names].join(', ') || 'none'})`,
        where: c.where([kind === 'tool' ? 'tools' : 'agents', name], 'key'),
      });
    }
  }
  if (c.expect.calls) {
    for (const key of Object.keys(c.expect.calls)) {
      const known = key.startsWith('agent:') ? called.agents.has(key.slice(6)) : called.tools.has(key);
      if (!known && !peersCall) {
        failures.push({
          message: `calls.${key}: ${definition.id} never calls ${key.startsWith('agent:') ? `agent skill '${key.slice(6)}'` : `tool '${key}'`} (tools: ${[...called.tools].join(', ') || 'none'}; agents: ${[...called.agents].join(', ') || 'none'})`,
          where: c.where(['expect', 'calls', key], 'key'),
        });
      }
    }
  }
  return failures;
}
