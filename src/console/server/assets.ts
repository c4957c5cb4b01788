/**
 * The console page's built files (Vite's output, `npm run build:console`): found next to the package
 * (dist/console), or where `FLOWSTATE_CONSOLE_ASSETS` says; served with their content type, and
 * index.html for every page path (the page routes itself).
 */
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../server/package-root';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

/** The folder of the built page: `FLOWSTATE_CONSOLE_ASSETS`, else `<package>/dist/console`. */
export function assetsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FLOWSTATE_CONSOLE_ASSETS) return path.resolve(env.FLOWSTATE_CONSOLE_ASSETS);
  return path.join(packageRoot(), 'dist', 'console');
}

/** A file to answer with: its bytes and content type. */
export interface Asset {
  body: Buffer;
  type: string;
}

/**
 * The asset for a URL path: the file under `dir` when there is one (never outside it), else
 * index.html (a page path such as `/runs/x`). Undefined when the page was not built.
 */
export function assetFor(dir: string, urlPath: string): Asset | undefined {
  const relative = decodeURIComponent(urlPath).replace(/^\/+/, '');
  const file = path.resolve(dir, relative);
  const inside = file.startsWith(dir + path.sep);
  if (inside && relative.startsWith('assets/') && fs.existsSync(file) && fs.statSync(file).isFile())
    return { body: fs.readFileSync(file), type: TYPES[path.extname(file)] ?? 'application/octet-stream' };
  if (inside && relative.startsWith('assets/')) return undefined;
  const index = path.join(dir, 'index.html');
  if (!fs.existsSync(index)) return undefined;
  return { body: fs.readFileSync(index), type: TYPES['.html'] };
}
