#!/usr/bin/env node
// The `flowstate` command, under whatever name it is run by (npm's bin link `flowstate`, npx, a path).
//
// It runs the compiled CLI (dist/, built by `npm run build`, which npm runs as `prepare` on install in
// a clone and before `npm pack`). In a clone where src/ (or examples/tools/) changed after the last
// build, it runs the TypeScript through tsx instead, so a developer never runs stale JavaScript; the
// check is a walk of src/'s mtimes (a few ms) and is skipped in an installed package, which has no src/.
//
// It exits only once stdout and stderr have drained (a pipe takes 64 KiB at a time; what node still
// holds would be lost by an immediate process.exit), so `flowstate schema | jq .` gets the whole output.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const built = path.join(root, 'dist/src/cli/index.js');

/** Newest mtime (ms) of the files and folders under dir; 0 when dir is absent. */
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
    const t = e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs;
    if (t > max) max = t;
  }
  return max;
}

/** The compiled CLI when it exists and is not older than the sources beside it. */
function compiledIsCurrent() {
  let builtAt;
  try {
    builtAt = fs.statSync(built).mtimeMs;
  } catch {
    return false;
  }
  const sources = Math.max(newest(path.join(root, 'src')), newest(path.join(root, 'examples/tools')));
  return sources <= builtAt;
}

// A closed pipe (`flowstate --help | head -1`) ends the command quietly, with status 0.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e && e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}

let entry = built;
if (compiledIsCurrent()) {
  // TypeScript modules the user names (`flowstate worker --tools tools.ts`) still load: tsx's hook is
  // registered on the first `.ts` file required, so commands that need none start without it.
  require.extensions['.ts'] = function loadTs(module, filename) {
    delete require.extensions['.ts'];
    require('tsx/cjs');
    return require.extensions['.ts'](module, filename);
  };
} else {
  require('tsx/cjs');
  entry = path.join(root, 'src/cli/index.ts');
}
const { main } = require(entry);
void main().then(exitWhenDrained);

/** Exit with code once everything written to stdout and stderr has been handed to the OS. */
function exitWhenDrained(code) {
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.writableLength === 0) done();
    else stream.write('', done);
  }
}
