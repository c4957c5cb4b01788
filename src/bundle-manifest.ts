/**
 * What a workflow bundle was built from, and whether it still matches: a manifest of its inputs (each
 * project file the bundler read, by content hash; each package, by version) written beside the
 * bundle, and the pure decision whether the bundle is stale. Used by `src/workflow-bundle.ts`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Beside each bundle `<name>.js`: `<name>.json`, what it was built from. */
export interface BundleManifest {
  /** Hash of `format`, `inputs` and `modules`. */
  hash: string;
  /** How the bundler was set up (`BUNDLE_FORMAT`): a bundle of another format is rebuilt. */
  format: string;
  /** Workflow interceptor modules besides Flowstate's own, as given (paths relative to the project). */
  modules: string[];
  /**
   * Every input of the bundle: a project file (path relative to the project root) → its content hash;
   * a package (`pkg:<name>`) → its version, as found from the project root.
   */
  inputs: Record<string, string>;
}

/** The answer of `bundleStaleness`: use the bundle, or rebuild it and say why. */
export type Staleness = { stale: false; shipped: boolean } | { stale: true; reason: string };

const PACKAGE = 'pkg:';

/** The reason `bundleStaleness` gives when there is no bundle (or no manifest beside it). */
export const NO_PREBUILT_BUNDLE = 'there is no prebuilt bundle';

/** The bundler's set-up, as manifests record it: change it when the webpack options change. */
export const BUNDLE_FORMAT = 'flowstate-2 inline-cheap-module-source-map preload:@temporalio/workflow';

/** Short content hash (sha256, 16 hex digits). */
export function contentHash(text: string | Buffer): string {
  return crypto.createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** The manifest of a bundle built from `inputs` with the interceptor `modules`. */
export function manifestOf(
  inputs: Record<string, string>,
  modules: string[],
  format = BUNDLE_FORMAT,
): BundleManifest {
  const sorted = Object.fromEntries(Object.entries(inputs).sort(([a], [b]) => a.localeCompare(b)));
  return { hash: contentHash(JSON.stringify([format, sorted, modules])), format, modules, inputs: sorted };
}

/**
 * Whether a bundle built as `manifest` says (in this bundler's format) may run with the interceptor
 * `modules` on the `current`
 * inputs (the same keys, read again now; `undefined` for a file or package that is gone). A bundle
 * whose project files are all gone is a shipped one (an installed package has `dist/` and no `src/`):
 * it is used as it is. Pure.
 */
export function bundleStaleness(
  manifest: BundleManifest | undefined,
  current: Record<string, string | undefined>,
  modules: string[],
): Staleness {
  if (!manifest) return { stale: true, reason: NO_PREBUILT_BUNDLE };
  if (manifest.format !== BUNDLE_FORMAT) {
    return { stale: true, reason: `it was built as '${manifest.format}', not '${BUNDLE_FORMAT}'` };
  }
  if (JSON.stringify(manifest.modules) !== JSON.stringify(modules)) {
    const what = modules.length ? modules.join(', ') : 'none';
    return { stale: true, reason: `it was built with other workflow interceptor modules (now: ${what})` };
  }
  const files = Object.keys(manifest.inputs).filter((k) => !k.startsWith(PACKAGE));
  if (files.length > 0 && files.every((f) => current[f] === undefined))
    return { stale: false, shipped: true };
  const changed: string[] = [];
  for (const [key, was] of Object.entries(manifest.inputs)) {
    const now = current[key];
    if (now === was) continue;
    if (key.startsWith(PACKAGE)) {
      changed.push(`${key.slice(PACKAGE.length)} ${was} → ${now ?? 'missing'}`);
    } else changed.push(now === undefined ? `${key} is gone` : `${key} changed`);
  }
  if (changed.length === 0) return { stale: false, shipped: false };
  const more = changed.length > 3 ? ` and ${changed.length - 3} more` : '';
  return { stale: true, reason: `${changed.slice(0, 3).join(', ')}${more} since it was built` };
}

/** The version of package `name` that `root` resolves (Node's lookup through `node_modules` upwards). */
export function packageVersion(root: string, name: string): string | undefined {
  for (let dir = root; ; dir = path.dirname(dir)) {
    try {
      const raw = fs.readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8');
      return (JSON.parse(raw) as { version?: string }).version;
    } catch {
      // not here: look in the parent folder
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The name of the package holding `file`, when it lies in a `node_modules` folder. */
export function packageOf(file: string): string | undefined {
  const parts = file.split(path.sep);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0 || at + 1 >= parts.length) return undefined;
  return parts[at + 1].startsWith('@') ? `${parts[at + 1]}/${parts[at + 2]}` : parts[at + 1];
}

/** The inputs of a bundle built from `files` (absolute paths the bundler read), as a manifest keys them. */
export function inputsOf(root: string, files: Iterable<string>): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const file of files) {
    const pkg = packageOf(file);
    if (pkg !== undefined) inputs[PACKAGE + pkg] = packageVersion(root, pkg) ?? 'missing';
    else if (fs.existsSync(file)) inputs[path.relative(root, file)] = contentHash(fs.readFileSync(file));
  }
  return inputs;
}

/** The inputs a manifest names, read again now: `undefined` for what is gone. */
export function currentInputs(root: string, manifest: BundleManifest): Record<string, string | undefined> {
  const now: Record<string, string | undefined> = {};
  for (const key of Object.keys(manifest.inputs)) {
    if (key.startsWith(PACKAGE)) now[key] = packageVersion(root, key.slice(PACKAGE.length)) ?? 'missing';
    else {
      try {
        now[key] = contentHash(fs.readFileSync(path.join(root, key)));
      } catch {
        now[key] = undefined;
      }
    }
  }
  return now;
}
