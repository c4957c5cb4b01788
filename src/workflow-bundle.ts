/**
 * The interpreter's workflow code, bundled (webpack, through the Temporal SDK) as workers run it: with
 * Flowstate's workflow interceptors, plus any given (replay adds its task-order check, tracing its
 * own). One place for the worker, the test kit, replay and the events rebuilt from history.
 *
 * A worker does not bundle at start: `npm run build` writes `dist/workflow-bundle.js` with a manifest
 * of its inputs (`dist/workflow-bundle.json`, see `bundle-manifest.ts`), and `workflowBundleFor`
 * hands that to the worker while its inputs are unchanged. In a clone whose sources changed since
 * (a developer running under tsx), the bundle is stale: it is rebuilt once into a cache folder
 * (`FLOWSTATE_BUNDLE_CACHE`, default `<tmpdir>/flowstate-workflow-bundles/<project>`), with a log line
 * saying why, and reused while the sources stay as they are. An installed package (no `src/`) runs
 * the bundle it ships.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import {
  bundleStaleness,
  contentHash,
  currentInputs,
  inputsOf,
  manifestOf,
  NO_PREBUILT_BUNDLE,
  type BundleManifest,
} from './bundle-manifest';
import { logger } from './logging';
import { FLOWSTATE_WORKFLOW_INTERCEPTORS } from './observability';

/** Path of the workflow code the worker bundles. */
export const WORKFLOWS_PATH = require.resolve('./workflows');

/** The project (or installed package) root: the nearest folder up with Flowstate's package.json. */
export const PROJECT_ROOT = projectRoot(__dirname);

/** The bundle `npm run build` writes (its manifest beside it, `.json`). */
export const PREBUILT_BUNDLE = path.join(PROJECT_ROOT, 'dist', 'workflow-bundle.js');

const WORKER_SDK = require.resolve('@temporalio/worker');
/** Modules the workflow context loads once, at worker start, shared by every run (`preloadModules`). */
const PRELOAD_MODULES = ['@temporalio/workflow'];
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

/** Options of a bundle: the workflow code, and interceptor modules besides Flowstate's. */
export interface BundleOptions {
  workflowsPath?: string;
  interceptorModules?: string[];
}

/** Bundle the workflow code (default: the interpreter) with Flowstate's interceptors and `interceptorModules`. */
export async function bundleInterpreter(options: BundleOptions = {}): Promise<{ code: string }> {
  const { code } = await bundleWithInputs(options);
  return { code };
}

/** Bundle, and list the files the bundler read (the bundle's inputs). */
async function bundleWithInputs(options: BundleOptions): Promise<{ code: string; files: Set<string> }> {
  const files = new Set<string>();
  const collect = {
    apply(compiler: { hooks: { afterCompile: { tap(n: string, f: (c: any) => void): void } } }) {
      compiler.hooks.afterCompile.tap('flowstate-bundle-inputs', (compilation) => {
        for (const m of compilation.modules) {
          const resource = (m as { resource?: string }).resource?.split('?')[0];
          if (resource) files.add(resource);
        }
      });
    },
  };
  const { code } = await bundleWorkflowCode({
    workflowsPath: options.workflowsPath ?? WORKFLOWS_PATH,
    workflowInterceptorModules: [FLOWSTATE_WORKFLOW_INTERCEPTORS, ...(options.interceptorModules ?? [])],
    // Evaluated once per worker, when its workflow context is created, instead of in every run: the
    // SDK's API module (stateless re-exports; its internals are shared already). Our own modules are
    // not preloaded: module state shared across runs would leak between them.
    preloadModules: PRELOAD_MODULES,
    logger: quiet,
    webpackConfigHook: (config) => ({
      ...config,
      // Line-only source maps: stack traces still name the source line, and the worker parses a third
      // of the mappings (at its first workflow task) and maps each workflow promise's stack faster.
      devtool: 'inline-cheap-module-source-map',
      plugins: [...(config.plugins ?? []), collect as any],
    }),
  });
  return { code, files };
}

/**
 * Bundle the interpreter into `file`, with its manifest beside it (`npm run build` and the cache).
 * `workflowsPath`: other workflow code (a test's build of the interpreter with a change).
 */
export async function writeBundle(
  file: string,
  interceptorModules: string[] = [],
  workflowsPath?: string,
): Promise<BundleManifest> {
  const { code, files } = await bundleWithInputs({
    interceptorModules,
    ...(workflowsPath ? { workflowsPath } : {}),
  });
  // The worker that loads the bundle is an input too: its SDK must be the one that bundled it.
  const inputs = { ...inputsOf(PROJECT_ROOT, files), ...inputsOf(PROJECT_ROOT, [WORKER_SDK]) };
  const manifest = manifestOf(inputs, interceptorModules.map(moduleKey));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Write aside and rename: a worker starting meanwhile reads the old pair or the new one, never half.
  writeAtomically(file, code);
  writeAtomically(manifestPath(file), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/**
 * The workflow bundle a worker runs: the prebuilt one when its inputs are unchanged (or it is an
 * installed package's), else the cached rebuild for the current sources, else a rebuild now (logged
 * with the reason). `interceptorModules`: workflow interceptor modules besides Flowstate's (tracing).
 */
export async function workflowBundleFor(interceptorModules: string[] = []): Promise<{ codePath: string }> {
  const modules = interceptorModules.filter((m) => m !== FLOWSTATE_WORKFLOW_INTERCEPTORS);
  const keys = modules.map(moduleKey);
  const bundle = prebuiltBundle();
  const prebuilt = staleness(bundle, keys);
  if (!prebuilt.stale) return { codePath: bundle };
  const dir = bundleCacheDir();
  const cached = readManifest(path.join(dir, 'latest.json'));
  if (cached && !bundleStaleness(cached, currentInputs(PROJECT_ROOT, cached), keys).stale) {
    const codePath = path.join(dir, `${cached.hash}.js`);
    if (fs.existsSync(codePath)) {
      logger.info({ bundle: codePath }, `workflow bundle: ${bundle} is stale, using ${codePath}`);
      return { codePath };
    }
  }
  const started = Date.now();
  const problem =
    prebuilt.reason === NO_PREBUILT_BUNDLE
      ? `no prebuilt workflow bundle at ${bundle}: building one`
      : `workflow bundle ${bundle} is stale (${prebuilt.reason}): rebuilding it`;
  logger.warn({ bundle, reason: prebuilt.reason }, `${problem} into ${dir} (npm run build updates it)`);
  const tmp = path.join(dir, `building-${process.pid}.js`);
  const manifest = await writeBundle(tmp, modules);
  const codePath = path.join(dir, `${manifest.hash}.js`);
  fs.renameSync(tmp, codePath);
  fs.renameSync(manifestPath(tmp), manifestPath(codePath));
  writeAtomically(path.join(dir, 'latest.json'), JSON.stringify(manifest, null, 2) + '\n');
  pruneCache(dir, codePath);
  logger.info({ bundle: codePath, ms: Date.now() - started }, `workflow bundle rebuilt: ${codePath}`);
  return { codePath };
}

/** The prebuilt bundle a worker looks for: `FLOWSTATE_WORKFLOW_BUNDLE`, or the one `npm run build` wrote. */
export function prebuiltBundle(env: NodeJS.ProcessEnv = process.env): string {
  return env.FLOWSTATE_WORKFLOW_BUNDLE ? path.resolve(env.FLOWSTATE_WORKFLOW_BUNDLE) : PREBUILT_BUNDLE;
}

/** Where stale bundles are rebuilt: `FLOWSTATE_BUNDLE_CACHE`, or a folder per project in the OS temp dir. */
export function bundleCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return (
    env.FLOWSTATE_BUNDLE_CACHE ||
    path.join(os.tmpdir(), 'flowstate-workflow-bundles', contentHash(PROJECT_ROOT).slice(0, 12))
  );
}

/** Whether the bundle at `file` (with its manifest) may run with the interceptor modules `keys`. */
function staleness(file: string, keys: string[]) {
  const manifest = fs.existsSync(file) ? readManifest(manifestPath(file)) : undefined;
  return bundleStaleness(manifest, manifest ? currentInputs(PROJECT_ROOT, manifest) : {}, keys);
}

/** The content hash of the bundle at `codePath`, from the manifest beside it; undefined without one. */
export function bundleHash(codePath: string): string | undefined {
  return readManifest(manifestPath(codePath))?.hash;
}

function readManifest(file: string): BundleManifest | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as BundleManifest;
  } catch {
    return undefined;
  }
}

function manifestPath(bundle: string): string {
  return bundle.replace(/\.js$/, '.json');
}

/** A module as a manifest names it: relative to the project when inside it. */
function moduleKey(m: string): string {
  const rel = path.relative(PROJECT_ROOT, m);
  return rel.startsWith('..') || path.isAbsolute(rel) ? m : rel;
}

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** Remove cached bundles (and manifests) other than `keep` that are over a day old (a worker may still be reading a newer one). */
function pruneCache(dir: string, keep: string): void {
  const dayAgo = Date.now() - 86_400_000;
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    if (file === keep || file === manifestPath(keep) || name === 'latest.json') continue;
    try {
      if (fs.statSync(file).mtimeMs < dayAgo) fs.rmSync(file);
    } catch {
      // another worker pruned it first
    }
  }
}

function projectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'flowstate') return dir;
    } catch {
      // no package.json here
    }
    if (path.dirname(dir) === dir) return path.resolve(from, '..');
  }
}
