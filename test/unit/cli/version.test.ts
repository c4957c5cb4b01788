/** `flowstate --version` is answered by the bin before the CLI loads: the same version as the program's. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { buildProgram } from '../../../src/cli';

const BIN = path.resolve(__dirname, '../../../bin/flowstate.js');

test.each(['--version', '-V'])(
  'bin %s prints the version the program declares, and package.json holds',
  (flag) => {
    const ran = spawnSync(process.execPath, [BIN, flag], { encoding: 'utf8' });
    expect(ran.status).toBe(0);
    expect(ran.stdout).toBe(`${buildProgram().version()}\n`);
    expect(ran.stdout).toBe(`${require('../../../package.json').version}\n`);
  },
);
