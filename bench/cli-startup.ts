/**
 * CLI start-up budgets (issue 15): `flowstate --version` and `flowstate validate <a 20-task file>`
 * timed as processes through the bin, as a user runs them (the compiled JavaScript of dist/; built
 * first when missing or older than src/). Median of 7 runs each (at BENCH_SCALE 1); no server needed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fmt, median, scaled, type Row } from './lib';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin/flowstate.js');
const RUNS = scaled(7, 3);

/** A definition of `n` echo tasks, each reading the one before it. */
export function definitionOf(n: number): string {
  const tasks = Array.from({ length: n }, (_, i) =>
    i === 0
      ? `  - id: t0\n    tool: echo\n    with: { text: "{{ input.name }}" }`
      : `  - id: t${i}\n    tool: echo\n    with: { text: "{{ tasks.t${i - 1}.output.text }}" }`,
  );
  return `id: bench-${n}\nversion: 1.0.0\ninput:\n  type: object\n  properties: { name: { type: string } }\ntasks:\n${tasks.join('\n')}\n`;
}

/** Median wall time in seconds of `node ...args` (each run must exit 0). */
function timeNode(args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const ran = spawnSync(process.execPath, args, {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    if (ran.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${ran.status}: ${ran.stderr}`);
  }
  return median(times);
}

const { compiledIsCurrent } = require('../bin/compiled') as { compiledIsCurrent(): boolean };

/** Build dist/ when it is missing or older than src/: otherwise the bin would time tsx, not the build. */
export function ensureBuilt(): void {
  if (!compiledIsCurrent()) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
}

export async function benchCliStartup(): Promise<Row[]> {
  ensureBuilt();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-bench-cli-'));
  const file = path.join(dir, 'twenty.yaml');
  fs.writeFileSync(file, definitionOf(20));
  const node = timeNode(['-e', '0']);
  const version = timeNode([BIN, '--version']);
  const validate = timeNode([BIN, 'validate', file]);
  fs.rmSync(dir, { recursive: true, force: true });
  return [
    // No budget: how long node itself takes to start on this machine now, to read the rows below by.
    { name: `CLI start-up: node -e 0, for reference (median of ${RUNS})`, value: `${fmt(node)} s` },
    {
      name: `CLI start-up: flowstate --version (median of ${RUNS})`,
      value: `${fmt(version)} s`,
      budget: '≤ 0.15 s',
      ok: version <= 0.15,
    },
    {
      name: `CLI start-up: flowstate validate, 20 tasks (median of ${RUNS})`,
      value: `${fmt(validate)} s`,
      budget: '≤ 0.4 s',
      ok: validate <= 0.4,
    },
  ];
}
