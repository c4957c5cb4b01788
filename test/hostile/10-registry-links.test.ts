/**
 * Row 10 of issue 18, as a user meets it: `flowstate push` and `pull` (processes, through the bin) on
 * a folder registry that holds symbolic links. A linked id folder used to let `push` write outside
 * the registry; a planted `9.9.8.yaml → <host file>` made `pull` print the host file. Both are now
 * refused with `UnsafePath`, naming the link, and nothing is written or read through it.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-links-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** `flowstate <args>` with FLOWSTATE_REGISTRY set to `registry`. */
function flowstate(args: string[], registry: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, 'bin/flowstate.js'), ...args],
      { cwd: ROOT, env: { ...process.env, FLOWSTATE_REGISTRY: registry }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, out: `${stdout}${stderr}` }),
    );
  });
}

test('push through a linked id folder is refused, and nothing lands outside the registry', async () => {
  const registry = path.join(dir, 'registry');
  const outside = path.join(dir, 'outside');
  fs.mkdirSync(registry);
  fs.mkdirSync(outside);
  fs.symlinkSync(outside, path.join(registry, 'hello'));
  const pushed = await flowstate(['push', 'definitions/hello.yaml'], registry);
  expect(pushed.code).toBe(1);
  expect(pushed.out).toMatch(/registry\/hello is a symbolic link \(to .*outside\)/);
  expect(fs.readdirSync(outside)).toEqual([]);
});

test('pull of a planted version that links to a host file is refused without printing the file', async () => {
  const registry = path.join(dir, 'registry');
  const secret = path.join(dir, 'hostname');
  fs.writeFileSync(secret, 'the-host-name\n');
  expect((await flowstate(['push', 'definitions/hello.yaml'], registry)).code).toBe(0);
  const folder = path.join(registry, 'hello');
  const [metaFile] = fs.readdirSync(folder).filter((f) => f.endsWith('.meta.json'));
  const meta = JSON.parse(fs.readFileSync(path.join(folder, metaFile!), 'utf8'));
  const digest = `sha256:${createHash('sha256').update('the-host-name\n').digest('hex')}`;
  fs.writeFileSync(
    path.join(folder, '9.9.8.meta.json'),
    JSON.stringify({ ...meta, version: '9.9.8', digest, size: 14 }),
  );
  fs.symlinkSync(secret, path.join(folder, '9.9.8.yaml'));
  const pulled = await flowstate(['pull', 'hello@9.9.8'], registry);
  expect(pulled.code).not.toBe(0);
  expect(pulled.out).toContain(`${path.join(folder, '9.9.8.yaml')} is a symbolic link (to ${secret})`);
  expect(pulled.out).not.toContain('the-host-name');
});
