import fs from 'node:fs';
import path from 'node:path';

/**
 * Flowstate's package folder: the nearest one above this file with a package.json (the same from
 * src/ and dist/src/; the clone, or the installed package in node_modules).
 */
export function packageRoot(dir = __dirname): string {
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}
