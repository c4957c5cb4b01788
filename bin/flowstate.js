#!/usr/bin/env node
// The `flowstate` command: runs the TypeScript CLI through tsx, so no build step is needed.
require('tsx/cjs');
require('../src/client/cli.ts');
