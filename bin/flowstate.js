#!/usr/bin/env node
// The `flowstate` command, under whatever name it is run by (npm's bin link `flowstate`, npx, a path):
// runs the CLI and exits with its code. The TypeScript runs through tsx, so no build step is needed.
require('tsx/cjs');
const { main } = require('../src/cli/index.ts');
void main().then((code) => process.exit(code));
