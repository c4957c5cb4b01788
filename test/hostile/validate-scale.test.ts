/**
 * `flowstate validate` of definitions an attacker (or a generator) makes huge stays fast and bounded:
 * 20,000 tasks each reading the one before, and 58,000 keys in one `with`, as separate processes. The
 * limits here are generous on purpose (a loaded CI machine); the budgets (≤ 3 s and ≤ 500 MB; ≤ 2 s)
 * are measured apart. Before the fix the first died of heap exhaustion after 21 s and the second
 * took 74 s. Bytes that are not UTF-8 are refused at their line and column, never replaced.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-validate-scale-'));
// Generous: a CI machine shared by many jobs. Measured on a 2-core machine at load average 15 (the
// budgets are for a quiet one): 20,000 tasks 11.4 s of CPU, 62 s wall, 491 MB peak RSS.
const LIMIT_MS = 120_000;

jest.setTimeout(400_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** `flowstate validate <file>` in a process whose V8 heap is capped at 500 MB (the memory budget). */
function validate(file: string): { code: number | null; out: string; ms: number } {
  const started = Date.now();
  const ran = spawnSync(process.execPath, [path.join(ROOT, 'bin/flowstate.js'), 'validate', file], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=500`.trim(),
    },
    encoding: 'utf8',
    timeout: 150_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return { code: ran.status, out: `${ran.stdout}${ran.stderr}`, ms: Date.now() - started };
}

function write(name: string, text: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('validate at scale', () => {
  it('validates 20,000 tasks, each reading the output of the one before', () => {
    const tasks = Array.from({ length: 20_000 }, (_, i) => {
      const value = i === 0 ? 'input.x' : `tasks.t${i - 1}.output.value`;
      return `  - id: t${i}\n    tool: echo\n    with: { value: "{{ ${value} }}" }\n`;
    });
    const file = write('big.yaml', `id: big\nversion: 1.0.0\ntasks:\n${tasks.join('')}`);
    const { code, out, ms } = validate(file);
    expect(out).toContain('20000 tasks');
    expect(code).toBe(0);
    expect(ms).toBeLessThan(LIMIT_MS);
  });

  it('validates 58,000 keys in one with, and still finds a repeated key among them', () => {
    const keys = Array.from({ length: 58_000 }, (_, i) => `      key${i}: v${i}\n`);
    const head = 'id: keys\nversion: 1.0.0\ntasks:\n  - id: a\n    tool: echo\n    with:\n';
    const ok = validate(write('keys.yaml', head + keys.join('')));
    expect(ok.out).toContain('ok ');
    expect(ok.code).toBe(0);
    expect(ok.ms).toBeLessThan(LIMIT_MS);

    const repeated = validate(write('keys-dup.yaml', `${head}${keys.join('')}      key7: again\n`));
    expect(repeated.code).not.toBe(0);
    // The repeated key is the line after the 58,000 keys and the 6 lines before them.
    expect(repeated.out).toContain(
      "keys-dup.yaml:58007:7: YAML syntax: Map keys must be unique: 'key7' is already a key of this mapping at line 14",
    );
    expect(repeated.ms).toBeLessThan(LIMIT_MS);
  });

  it('refuses bytes that are not UTF-8 at their line and column', () => {
    const text = Buffer.concat([
      Buffer.from('id: bytes\nversion: 1.0.0\ntasks:\n  - id: a\n    tool: echo\n    with: { v: "caf'),
      Buffer.from([0xe9]), // Latin-1 é: not UTF-8
      Buffer.from('" }\n'),
    ]);
    const { code, out } = validate(write('latin1.yaml', text));
    expect(code).not.toBe(0);
    expect(out).toContain(
      'latin1.yaml:6:20: not UTF-8: byte 0xE9 does not begin a valid UTF-8 character; save the file as UTF-8',
    );
    expect(out).not.toContain('\ufffd');
  });
});
