/**
 * Output a pipe can trust: what `flowstate` prints into a pipe is all of it (the process waits for
 * stdout to drain before it exits, where a pipe takes 64 KiB at a time), and a pipe closed early
 * (`flowstate --help | head -1`) ends the command quietly with status 0. Run through a real shell.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { useTestEnv } from '../harness/env';
import { exampleTools } from '../../examples/tools';

const ROOT = path.resolve(__dirname, '../..');
const env = useTestEnv({ tools: exampleTools });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-pipes-'));
const FLOWSTATE = `${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(ROOT, 'bin/flowstate.js'))}`;

jest.setTimeout(120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** A bash script with `set -o pipefail`, where `flowstate` is the bin. */
function bash(script: string): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', `set -o pipefail\nflowstate() { ${FLOWSTATE} "$@"; }\n${script}`],
      {
        cwd: ROOT,
        env: env.processEnv(),
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test('flowstate schema | wc -c is the size of flowstate schema > file', async () => {
  const file = path.join(dir, 'schema.json');
  const piped = await bash(`flowstate schema | wc -c; flowstate schema > ${file}`);
  expect(piped.code).toBe(0);
  const size = fs.statSync(file).size;
  expect(size).toBeGreaterThan(64 * 1024);
  expect(Number(piped.stdout.trim())).toBe(size);
  expect(() => JSON.parse(fs.readFileSync(file, 'utf8'))).not.toThrow();
});

test('history and events --json of a run with a large history are whole through a pipe', async () => {
  const input = path.join(dir, 'input.json');
  fs.writeFileSync(input, JSON.stringify({ name: 'Ada '.repeat(40_000) }));
  const id = `pipes-${Date.now()}`;
  const run = await bash(
    `flowstate run definitions/hello.yaml --input-file ${input} --id ${id} --wait > /dev/null && echo ok`,
  );
  expect(run).toMatchObject({ code: 0, stdout: 'ok\n' });
  const history = path.join(dir, 'history.json');
  const events = path.join(dir, 'events.jsonl');
  const piped = await bash(
    `flowstate history ${id} | wc -c; flowstate history ${id} > ${history}; flowstate events ${id} --json | wc -l; flowstate events ${id} --json > ${events}`,
  );
  expect(piped.code).toBe(0);
  const [historyBytes, eventLines] = piped.stdout.trim().split(/\s+/).map(Number);
  expect(fs.statSync(history).size).toBeGreaterThan(200 * 1024);
  expect(historyBytes).toBe(fs.statSync(history).size);
  expect(() => JSON.parse(fs.readFileSync(history, 'utf8'))).not.toThrow();
  expect(eventLines).toBe(fs.readFileSync(events, 'utf8').split('\n').length - 1);
});

test('a pipe closed early ends the command with status 0 and nothing on stderr', async () => {
  const help = await bash('flowstate --help | head -1');
  expect(help).toEqual({ code: 0, stdout: 'Usage: flowstate [options] [command]\n', stderr: '' });
  // The schema is larger than a pipe holds, so the bin does meet the closed pipe (EPIPE).
  const schema = await bash('flowstate schema | head -c 10');
  expect(schema).toEqual({ code: 0, stdout: '{\n  "$sche', stderr: '' });
});
