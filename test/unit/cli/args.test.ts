import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runInput } from '../../../src/cli/commands/args';

describe('runInput: --input-file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-args-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads UTF-8 JSON', () => {
    const file = path.join(dir, 'ok.json');
    fs.writeFileSync(file, '{"name":"Zoë"}');
    expect(runInput({ inputFile: file })).toEqual({ name: 'Zoë' });
  });

  it('refuses bytes that are not UTF-8 at file:line:col instead of changing the data', () => {
    const file = path.join(dir, 'latin1.json');
    fs.writeFileSync(
      file,
      Buffer.concat([Buffer.from('{\n  "name": "Zo'), Buffer.from([0xeb]), Buffer.from('"\n}')]),
    );
    expect(() => runInput({ inputFile: file })).toThrow(
      `${file}:2:14: not UTF-8: byte 0xEB does not begin a valid UTF-8 character; save the file as UTF-8`,
    );
  });
});
