/**
 * Benchmarks of the definition language: rendering a template the first time (JSONata compile plus
 * evaluation) and once cached, and loading (parse, validate, check, compile) a generated 500-task
 * definition. Medians over many runs. Run directly: `npx tsx bench/dsl.ts`.
 */
import { performance } from 'node:perf_hooks';
import { render } from '../src/expressions';
import { loadDefinitionText } from '../src/dsl/loader';
import { builtinTaskTypes } from '../src/orchestrators/registry';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  budget?: string;
}

const SCOPE = {
  input: { a: 2, list: [1, 2, 3], name: 'flow' },
  tasks: { prev: { output: { n: 5, items: ['x', 'y'] } } },
};

/** Run the DSL benchmarks. */
export async function benchDsl(): Promise<BenchResult[]> {
  const runs = 2_000;
  const first = await medianOf(runs, (i) => render(`{{ input.a + tasks.prev.output.n * ${i} }}`, SCOPE));
  const cachedText = '{{ input.a + tasks.prev.output.n * 7 }}';
  await render(cachedText, SCOPE);
  const cached = await medianOf(runs, () => render(cachedText, SCOPE));
  const mixedText = {
    title: 'Hello {{ input.name }}',
    count: '{{ $count(input.list) }}',
    items: '{{ tasks.prev.output.items }}',
  };
  await render(mixedText, SCOPE);
  const mixed = await medianOf(runs, () => render(mixedText, SCOPE));

  const text = generatedDefinition(500);
  const check = loadDefinitionText(text, { file: 'generated.yaml' }, builtinTaskTypes());
  if (!check.ok) throw new Error(`the generated definition does not compile: ${check.errors[0].message}`);
  const types = builtinTaskTypes();
  const compile = await medianOf(9, () => loadDefinitionText(text, { file: 'generated.yaml' }, types));

  return [
    {
      name: 'render, first time (compile + evaluate), per expression',
      value: first,
      unit: 'ms',
      budget: '≤ 1 ms',
    },
    { name: 'render, cached expression', value: cached, unit: 'ms', budget: '≤ 0.1 ms' },
    { name: 'render, object with 3 cached templates', value: mixed, unit: 'ms', budget: '≤ 0.2 ms' },
    {
      name: 'load 500-task definition (parse, validate, check, compile)',
      value: compile,
      unit: 'ms',
      budget: '≤ 1000 ms',
    },
  ];
}

/** Median duration (ms) of `runs` sequential calls. */
async function medianOf(runs: number, fn: (i: number) => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn(i);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/**
 * A definition of `count` tasks: basic tasks reading the previous one, and every tenth a parallel
 * task of three branches followed by an aggregate reading them.
 */
export function generatedDefinition(count: number): string {
  const lines = [
    'id: generated',
    'version: 1.0.0',
    'input: { type: object, properties: { n: { type: integer } } }',
    'tasks:',
  ];
  let made = 0;
  let previous = '';
  for (let i = 0; made < count; i++) {
    const from = previous ? `{{ tasks.${previous}.output }}` : '{{ input.n }}';
    if (i % 10 === 9 && count - made >= 5) {
      lines.push(
        `  - id: fan${i}`,
        '    type: parallel',
        '    tasks:',
        ...[0, 1, 2].map(
          (b) => `      - { id: fan${i}b${b}, tool: echo, with: { from: "${from}", branch: ${b} } }`,
        ),
        `  - id: join${i}`,
        '    type: aggregate',
        `    outputs: { all: "{{ [tasks.fan${i}b0.output, tasks.fan${i}b1.output, tasks.fan${i}b2.output] }}" }`,
      );
      made += 5;
      previous = `join${i}`;
    } else {
      lines.push(
        `  - { id: t${i}, tool: echo, with: { value: "${from}", n: ${i} }, retry: { max_attempts: 2 } }`,
      );
      made += 1;
      previous = `t${i}`;
    }
  }
  return `${lines.join('\n')}\n`;
}

if (require.main === module) {
  benchDsl().then(
    (results) => {
      const rows = results.map((r) => [r.name, `${r.value.toFixed(4)} ${r.unit}`, r.budget ?? '']);
      const widths = [0, 1, 2].map((c) =>
        Math.max(...rows.map((row) => row[c].length), ['what', 'median', 'budget'][c].length),
      );
      const line = (row: string[]) => row.map((cell, c) => cell.padEnd(widths[c])).join('  ');
      console.log(line(['what', 'median', 'budget']));
      for (const row of rows) console.log(line(row));
    },
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
