/**
 * What a graph of a definition reads from each task's type: how its nested tasks run (field roles),
 * the jumps left in its spec, and its routes. Shared by the Mermaid graph (graph.ts) and the graph
 * model the console draws (graph-model.ts).
 */
import type { z } from 'zod';
import type { JumpRole, NestedTasksRole } from '../contract/fields';
import type { CompiledTask } from '../contract/compiled';
import type { Validator } from './validate';
import { rolesOf } from './zod-walk';

/** How a task's children run (in sequence, each alone, once per item, pass after pass), read from its type's field roles. */
export function layoutOf(
  task: CompiledTask,
  validator: Validator,
): { runs: 'sequence' | 'each'; repeatUntil: string[]; perItem: boolean } {
  const orchestrator = validator.types.find(task.type);
  if (!orchestrator) return { runs: 'each', repeatUntil: [], perItem: false };
  const roles = Object.values(validator.shapeFor(orchestrator)).flatMap((s) => rolesOf(s as z.ZodType));
  const groups = roles.filter((r): r is NestedTasksRole => r.role === 'tasks');
  const sequence = groups.some((g) => g.runs === 'sequence');
  return {
    runs: sequence ? 'sequence' : 'each',
    repeatUntil: groups.flatMap((g) => [...(g.visibleIn ?? [])]),
    // Tasks whose outputs the container does not export run once per item (a collection's body).
    perItem: groups.length > 0 && groups.every((g) => !g.exported),
  };
}

/** Jump-role fields of the type left in the spec (e.g. a wait's `on_timeout`). */
export function jumpFields(
  task: CompiledTask,
  validator: Validator,
): Array<{ field: string; target: string }> {
  const orchestrator = validator.types.find(task.type);
  if (!orchestrator) return [];
  const shape = validator.shapeFor(orchestrator);
  return Object.entries(task.spec).flatMap(([field, value]) => {
    if (typeof value !== 'string' || !shape[field] || field === 'on_success' || field === 'on_error')
      return [];
    const jump = rolesOf(shape[field] as z.ZodType).find((r): r is JumpRole => r.role === 'jump');
    return jump && !jump.except?.includes(value) ? [{ field, target: value }] : [];
  });
}

export interface RouteTarget {
  key: string;
  goto?: string;
  inline?: number;
  /** An inline route's `on_success.next` / `on_error.next` (tasks of the router's sequence). */
  next?: string;
  onError?: string;
}

const INLINE_KEYS = new Set(['inline', 'next', 'onError']);

/** Route targets in a compiled spec (`{ goto }` / `{ inline }`), directly or in a record of them. */
export function routeTargets(spec: Record<string, unknown>): RouteTarget[] {
  const asTarget = (key: string, v: unknown): RouteTarget | undefined => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && typeof o.goto === 'string') return { key, goto: o.goto };
    if (typeof o.inline === 'number' && keys.every((k) => INLINE_KEYS.has(k))) {
      const jumps = {
        ...(typeof o.next === 'string' ? { next: o.next } : {}),
        ...(typeof o.onError === 'string' ? { onError: o.onError } : {}),
      };
      return { key, inline: o.inline, ...jumps };
    }
    return undefined;
  };
  const out: RouteTarget[] = [];
  for (const [key, value] of Object.entries(spec)) {
    const direct = asTarget(key, value);
    if (direct) out.push(direct);
    else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const inner = Object.entries(value).map(([k, v]) => asTarget(k, v));
      if (inner.length > 0 && inner.every(Boolean)) out.push(...(inner as RouteTarget[]));
    }
  }
  return out;
}
