/**
 * Where the CLI and `npm start` get a compiled definition: a file (YAML or JSON), or a registry
 * reference `id[@version]` resolved to an exact version before the run starts. Also `push`. Each
 * takes the task types a definition may use; the default is the built-in ones.
 */
import fs from 'node:fs';
import type { CompiledDefinition } from '../contract/compiled';
import type { DefinitionFiles } from '../contract/orchestrator';
import type { TaskTypeRegistry } from '../contract/registry';
import { DefinitionError, formatDiagnostic } from '../dsl/diagnostics';
import { loadDefinition, loadDefinitionText, pinDefinitions } from '../dsl/loader';
import { builtinTaskTypes } from '../orchestrators/registry';
import { openRegistry, parseRef, RegistryError, type PulledDefinition } from '../registry';

/** A definition could not be loaded: the message lists every `file:line:col` problem or the registry's reason. */
export class DefinitionLoadError extends Error {
  override readonly name = 'DefinitionLoadError';
}

/** Compile a definition file, or throw `DefinitionLoadError` listing its errors. */
export async function loadFile(
  file: string,
  types: TaskTypeRegistry = builtinTaskTypes(),
): Promise<CompiledDefinition> {
  if (!fs.existsSync(file)) throw new DefinitionLoadError(`${file}: no such file`);
  const result = await loadDefinition(file, types);
  if (!result.ok) throw new DefinitionLoadError(new DefinitionError(result.errors, result.warnings).message);
  return result.definition;
}

/** A file path, or `id[@version]` from the registry (`FLOWSTATE_REGISTRY`). */
export async function loadForRun(
  ref: string,
  types: TaskTypeRegistry = builtinTaskTypes(),
): Promise<CompiledDefinition> {
  if (fs.existsSync(ref) || /[/\\]|\.(ya?ml|json)$/i.test(ref)) return loadFile(ref, types);
  return loadFromRegistry(ref, types);
}

/** `id[@version]` from the registry (`FLOWSTATE_REGISTRY`), never a file of this disk. */
export async function loadFromRegistry(
  ref: string,
  types: TaskTypeRegistry = builtinTaskTypes(),
): Promise<CompiledDefinition> {
  const registry = openRegistry();
  try {
    const { id, version } = await registry.resolve(ref);
    const pulled = await registry.pull(id, version);
    const source = `${registry.location}#${id}@${version}`;
    // The files it names (templates) are those pushed with it, never the ones on this disk: the
    // content hash, checked below, covers their text.
    const files = pushedFiles(pulled, source);
    const result = await pinDefinitions(
      loadDefinitionText(pulled.content, { file: source, files }, types),
      source,
      types,
    );
    if (!result.ok) throw new DefinitionLoadError(result.errors.map(formatDiagnostic).join('\n'));
    if (result.definition.hash !== pulled.contentHash) {
      throw new DefinitionLoadError(
        `${source}: content hash ${result.definition.hash} does not match the registry's ${pulled.contentHash}`,
      );
    }
    return result.definition;
  } catch (e) {
    if (e instanceof RegistryError) throw new DefinitionLoadError(e.message);
    throw e;
  }
}

/** The files pushed with a definition, read by the names the definition gives them. */
function pushedFiles(pulled: PulledDefinition, source: string): DefinitionFiles {
  return {
    read(relative) {
      const found = pulled.files.find((f) => f.name === relative);
      if (found) return { file: `${source}/${relative}`, text: found.content };
      const stored = pulled.files.map((f) => f.name).join(', ') || 'none';
      return {
        file: `${source}/${relative}`,
        error: `not stored with ${pulled.id}@${pulled.version} (files stored: ${stored}); it was pushed before flowstate push stored the files a definition names: push it again under a new version`,
      };
    },
  };
}

/**
 * Push a definition file to the registry as `id@version`, with the files it names (a `dynamic`
 * definition's templates), so a run by reference uses exactly what was pushed.
 */
export async function pushFile(
  file: string,
  types: TaskTypeRegistry = builtinTaskTypes(),
): Promise<{ ref: string; digest: string; created: boolean; files: string[] }> {
  if (!fs.existsSync(file)) throw new DefinitionLoadError(`${file}: no such file`);
  const result = await loadDefinition(file, types);
  if (!result.ok) throw new DefinitionLoadError(new DefinitionError(result.errors, result.warnings).message);
  const { definition } = result;
  const content = fs.readFileSync(file, 'utf8'); // loadDefinition refused it unless it is UTF-8
  const pushed = await openRegistry().push({
    id: definition.id,
    version: definition.version,
    content,
    contentHash: definition.hash,
    files: result.files.map((f) => ({ name: f.name, content: f.text })),
  });
  return { ...pushed, files: result.files.map((f) => f.name) };
}

/**
 * Names of the definitions in a folder (`definitions/` by default): every `<name>.yaml` except test
 * cases files (`<name>.cases.yaml`).
 */
export function exampleNames(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && !f.endsWith('.cases.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
}

export { parseRef };
