/**
 * `npm run bench`: starts a dev server and workers, measures every budget of DESIGN.md section 8 side
 * by side with its floor (a hand-written Temporal workflow doing the same work on the same server,
 * bench/baseline/) in one run, and prints one table of Flowstate/floor ratios. Numbers, not pass/fail
 * tests: a budget missed is printed OVER (and the exit code is 1), never hidden.
 *
 * `npm run bench -- <group>...` runs some groups (dsl, cli-startup, interpreter, fan-out, gates,
 * events, spec-session, stream, server-pace, http-weight, worker-start). `BENCH_SCALE=0.05` scales
 * every count down for a smoke run.
 */
import { SCALE, benchEnv, type Row } from './lib';
import { benchInterpreter } from './interpreter';
import { benchGates } from './gates';
import { benchEvents } from './events';
import { benchSpecSession } from './spec-session';
import { benchStream } from './stream';
import { benchServerPace } from './server-pace';
import { benchCliStartup } from './cli-startup';
import { benchHttpWeight } from './http-weight';
import { benchFanOut } from './fan-out';
import { benchWorkerStart } from './worker-start';

async function dslRows(): Promise<Row[]> {
  try {
    const { benchDsl } = await import('./dsl');
    return (await benchDsl()).map((r: { name: string; value: number; unit: string; budget?: string }) => ({
      name: r.name,
      value: `${r.value.toFixed(r.value < 1 ? 4 : 2)} ${r.unit}`,
      ...(r.budget ? { budget: r.budget } : {}),
    }));
  } catch (e) {
    return [{ name: 'definition language', value: `not measured: ${(e as Error).message}` }];
  }
}

function print(rows: Row[]): void {
  const w = [
    Math.max(...rows.map((r) => r.name.length)),
    Math.max(...rows.map((r) => r.value.length)),
    Math.max(6, ...rows.map((r) => (r.budget ?? '').length)),
  ];
  const line = (a: string, b: string, c: string, d: string) =>
    `${a.padEnd(w[0])}  ${b.padEnd(w[1])}  ${c.padEnd(w[2])}  ${d}`;
  console.log(line('benchmark', 'measured', 'budget', ''));
  console.log(line('-'.repeat(w[0]), '-'.repeat(w[1]), '-'.repeat(w[2]), '--'));
  for (const r of rows)
    console.log(line(r.name, r.value, r.budget ?? '', r.ok === undefined ? '' : r.ok ? 'ok' : 'OVER'));
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const rows: Row[] = [];
  const started = Date.now();
  if (only.length === 0 || only.includes('dsl')) rows.push(...(await dslRows()));
  if (only.length === 0 || only.includes('cli-startup')) rows.push(...(await benchCliStartup()));
  // The rows above need no server: `npm run bench -- cli-startup` starts none.
  if (only.length === 0 || only.some((m) => m !== 'dsl' && m !== 'cli-startup')) {
    const env = await benchEnv();
    try {
      if (only.length === 0 || only.includes('interpreter')) rows.push(...(await benchInterpreter(env)));
      if (only.length === 0 || only.includes('fan-out')) rows.push(...(await benchFanOut(env)));
      if (only.length === 0 || only.includes('gates')) rows.push(...(await benchGates(env)));
      if (only.length === 0 || only.includes('events')) rows.push(...(await benchEvents(env)));
      if (only.length === 0 || only.includes('spec-session')) rows.push(...(await benchSpecSession(env)));
      if (only.length === 0 || only.includes('stream')) rows.push(...(await benchStream(env)));
      if (only.length === 0 || only.includes('server-pace')) rows.push(...(await benchServerPace(env)));
      if (only.length === 0 || only.includes('http-weight')) rows.push(...(await benchHttpWeight(env)));
      if (only.length === 0 || only.includes('worker-start')) rows.push(...(await benchWorkerStart(env)));
    } finally {
      await env.close();
    }
  }
  console.log(
    `\nFlowstate benchmarks (${new Date().toISOString()}, ${((Date.now() - started) / 1000).toFixed(0)} s, dev server on this machine)\n`,
  );
  if (SCALE !== 1)
    console.log(
      `BENCH_SCALE=${SCALE}: a smoke run; counts are scaled down, so no row is the budget's figure.\n`,
    );
  print(rows);
  if (rows.some((r) => r.ok === false)) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
