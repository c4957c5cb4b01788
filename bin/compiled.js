'use strict';
// Whether the compiled CLI (dist/, `npm run build`) is current: it exists and nothing under src/ or
// examples/tools/ (the build's inputs) changed after it was built. An installed package has no src/,
// so there the answer is just "dist/ exists". Used by bin/flowstate.js, the bench and the tests.
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
/** The compiled CLI's entry. */
const COMPILED_CLI = path.join(root, 'dist/src/cli/index.js');

/**
 * Newest mtime (ms) of the files and folders under dir, leaving out Markdown (a folder's README is
 * not an input of the build); 0 when dir is absent.
 */
function newest(dir) {
  let max = 0;
  let entries;
  try {
    max = fs.statSync(dir).mtimeMs;
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (!e.isDirectory() && e.name.endsWith('.md')) continue;
    const t = e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs;
    if (t > max) max = t;
  }
  return max;
}

/** True when dist/ holds the CLI and is not older than the sources beside it. */
function compiledIsCurrent() {
  let builtAt;
  try {
    builtAt = fs.statSync(COMPILED_CLI).mtimeMs;
  } catch {
    return false;
  }
  return Math.max(newest(path.join(root, 'src')), newest(path.join(root, 'examples/tools'))) <= builtAt;
}

module.exports = { COMPILED_CLI, compiledIsCurrent };
