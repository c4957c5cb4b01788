/**
 * Definitions that name other definitions (a type's `definitionField`, e.g. `subflow`'s
 * `definition`): each is resolved (a file relative to the naming one, or `id[@version or range]` from
 * the registry), compiled, and pinned into the naming task's compiled spec as `pinned`, so a run
 * carries every definition it may start. A definition that reaches itself is refused at the edge
 * that closes the cycle; a literal `with` is checked against the child's `input` schema.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type Ajv from 'ajv';
import type { CompiledDefinition, CompiledTask } from '../contract/compiled';
import type { Json } from '../contract/directive';
import { RegistryError } from '../registry/errors';
import type { Diagnostic } from './diagnostics';
import type { DocPath } from './paths';
import type { TaskNode } from './structure';

/** One task naming another definition, and where it names it. */
export interface Reference {
  /** The naming task's id (unique in its definition). */
  task: string;
  /** What it names: a path relative to its file, or `id[@version or range]`. */
  ref: string;
  /** The task's `with` as written (checked against the child's input schema when it is literal). */
  with?: unknown;
  line: number;
  col: number;
}

/**
 * Loads definition text (the loader's `loadDefinitionText` plus this step), for recursion; a
 * definition whose id is already in `chain` comes back unpinned (the caller reports the cycle).
 */
export type LoadText = (
  text: string,
  file: string,
  chain: string[],
) => Promise<{ ok: true; definition: CompiledDefinition } | { ok: false; errors: Diagnostic[] }>;

/** The references of a task tree, located in the source by `locate`. */
export function collectReferences(
  tree: TaskNode[],
  locate: (path: DocPath) => { line: number; col: number },
): Reference[] {
  const found: Reference[] = [];
  const visit = (node: TaskNode) => {
    const field = node.orchestrator.definitionField;
    const ref = field ? (node.task as Record<string, unknown>)[field] : undefined;
    if (field && typeof ref === 'string') {
      const w = (node.task as Record<string, unknown>).with;
      found.push({
        task: node.id,
        ref,
        ...(w !== undefined ? { with: w } : {}),
        ...locate([...node.path, field]),
      });
    }
    node.groups.forEach((g) => g.tasks.forEach(visit));
  };
  tree.forEach(visit);
  return found;
}

/**
 * Resolve, compile and pin every reference of `definition` (compiled from `file`); `chain` holds the
 * ids of the definitions that led here. Returns the diagnostics (empty when all are pinned).
 */
export async function pinReferences(
  definition: CompiledDefinition,
  references: Reference[],
  file: string,
  chain: string[],
  load: LoadText,
): Promise<Diagnostic[]> {
  const errors: Diagnostic[] = [];
  const ids = [...chain, definition.id];
  for (const r of references) {
    const at = (message: string): Diagnostic => ({
      file,
      line: r.line,
      col: r.col,
      path: '',
      message,
      severity: 'error',
    });
    const text = await readReference(r.ref, file);
    if ('error' in text) {
      errors.push(at(text.error));
      continue;
    }
    const child = await load(text.text, text.source, ids);
    if (!child.ok) {
      // A cycle is reported once, at the edge that closes it (in whichever file that is).
      errors.push(...child.errors);
      if (!child.errors.some((e) => e.message.startsWith(CYCLE)))
        errors.push(at(`subflow '${r.ref}' does not compile (errors above)`));
      continue;
    }
    const target = child.definition;
    if (ids.includes(target.id)) {
      const loop = [...ids.slice(ids.indexOf(target.id)), target.id].join(' → ');
      errors.push(
        at(
          `${CYCLE} ${loop}: '${r.ref}' runs '${target.id}', which is already running this one; a definition may not run itself through subflows (remove this subflow or call a different definition)`,
        ),
      );
      continue;
    }
    if (text.contentHash !== undefined && text.contentHash !== target.hash) {
      errors.push(
        at(`'${r.ref}': content hash ${target.hash} does not match the registry's ${text.contentHash}`),
      );
      continue;
    }
    const problems = literalInputProblems(target, r.with);
    if (problems) {
      errors.push(
        at(
          `'with' does not match the input schema of ${target.id}@${target.version}: ${problems} (fix 'with' or the child's input)`,
        ),
      );
      continue;
    }
    const task = findTask(definition.tasks, r.task);
    if (task) task.spec.pinned = target as unknown as Json;
  }
  return errors;
}

/** Starts every cycle message, so an enclosing definition passes it on instead of wrapping it. */
const CYCLE = 'subflow cycle:';

/** A file path (has a slash or a definition extension) or a registry ref. */
export function isFileReference(ref: string): boolean {
  return /[/\\]/.test(ref) || /\.(ya?ml|json)$/i.test(ref);
}

async function readReference(
  ref: string,
  from: string,
): Promise<{ text: string; source: string; contentHash?: string } | { error: string }> {
  if (isFileReference(ref)) {
    if (from.includes('#')) {
      return {
        error: `'${ref}' is a path, but this definition came from a registry: name the child by id@version`,
      };
    }
    const file = path.join(path.dirname(from), ref);
    try {
      return { text: await readFile(file, 'utf8'), source: file };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return {
        error: `cannot read subflow '${ref}' (${file}): ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
      };
    }
  }
  try {
    // Loaded here, not at the top: `validate` of a definition naming no registry ref needs neither
    // the registry (its OCI client) nor semver (DESIGN.md section 8's start-up budget).
    const { openRegistry } = require('../registry') as typeof import('../registry');
    const semver = require('semver') as typeof import('semver');
    const registry = openRegistry();
    const [id, wanted] = ref.split('@');
    let version: string | undefined = wanted;
    if (wanted !== undefined && !semver.valid(wanted)) {
      if (!semver.validRange(wanted))
        return { error: `'${ref}': '${wanted}' is neither a version nor a range` };
      const versions = await registry.versions(id);
      version = semver.maxSatisfying(versions, wanted) ?? undefined;
      if (!version) {
        return {
          error: `'${ref}': no version of '${id}' in ${registry.location} satisfies '${wanted}' (has: ${versions.join(', ') || 'none'})`,
        };
      }
    }
    const pulled = await registry.pull(id, version);
    return {
      text: pulled.content,
      source: `${registry.location}#${pulled.id}@${pulled.version}`,
      contentHash: pulled.contentHash,
    };
  } catch (e) {
    if (e instanceof RegistryError) return { error: `subflow '${ref}': ${e.message}` };
    throw e;
  }
}

/** Made when a child's input is first checked (loading ajv costs start-up to commands that never do). */
let ajv: Ajv | undefined;

/** Problems of a `with` that holds no template against the child's input schema; undefined if fine. */
function literalInputProblems(child: CompiledDefinition, input: unknown): string | undefined {
  if (child.input === undefined || child.input === null || JSON.stringify(input ?? {}).includes('{{')) {
    return undefined;
  }
  ajv ??= new (require('ajv') as typeof import('ajv')).default({ allErrors: true, strict: false });
  const validate = ajv.compile(child.input as object);
  if (validate(input ?? {})) return undefined;
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(input)'} ${e.message}`).join('; ');
}

/** The first task with `id` in a compiled tree (depth first), if any. */
export function findTask(tasks: CompiledTask[], id: string): CompiledTask | undefined {
  for (const t of tasks) {
    if (t.id === id) return t;
    const inner = findTask(t.children, id);
    if (inner) return inner;
  }
  return undefined;
}
