#!/usr/bin/env node
// The `flowstate` command, under whatever name it is run by (npm's bin link `flowstate`, npx, a path).
//
// It runs the compiled CLI (dist/, built by `npm run build`, which npm runs as `prepare` on install in
// a clone and before `npm pack`). In a clone where src/ (or examples/tools/) changed after the last
// build, it runs the TypeScript through tsx instead, so a developer never runs stale JavaScript
// (./compiled.js: a walk of src/'s mtimes, a few ms; an installed package has no src/ to walk).
//
// It exits only once stdout and stderr have drained (a pipe takes 64 KiB at a time; what node still
// holds would be lost by an immediate process.exit), so `flowstate schema | jq .` gets the whole output.
'use strict';
// `flowstate --version` (or -V) alone is answered here, before the walk of src/ and commander load:
// it is the start-up budget's floor (DESIGN.md section 8). Same answer as the program's `.version()`.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${require('../package.json').version}\n`);
  return;
}
const path = require('node:path');
const { COMPILED_CLI, compiledIsCurrent } = require('./compiled');

// A closed pipe (`flowstate --help | head -1`) ends the command quietly, with status 0.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e && e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}

let entry = COMPILED_CLI;
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
  entry = path.join(__dirname, '../src/cli/index.ts');
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
