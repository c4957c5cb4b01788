/**
 * House rules of src/ (docs/architecture.md): the layering in .dependency-cruiser.cjs holds, no two
 * top-level folders of src/ import each other (directly or round a longer cycle), and files stay small.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '../..');

interface Cruise {
  modules: Array<{ source: string; dependencies: Array<{ resolved: string; coreModule?: boolean }> }>;
  summary: { violations: Array<{ rule: { name: string }; from: string; to: string }> };
}

function cruise(): Cruise {
  const bin = join(root, 'node_modules/.bin/depcruise');
  const out = execFileSync(bin, ['src', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out.toString()) as Cruise;
}

/** `src/dsl/compile.ts` → `dsl`; `src/worker.ts` → `worker.ts`. */
const topOf = (path: string): string | undefined => /^src\/([^/]+)/.exec(path)?.[1];

/** A cycle in a graph of names, as a path that ends where it starts, or undefined. */
export function findCycle(edges: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'open');
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of edges.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('the layering of src/', () => {
  let result: Cruise;
  beforeAll(() => {
    result = cruise();
  }, 120_000);

  it('breaks none of the dependency rules', () => {
    const broken = result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
    expect(broken).toEqual([]);
  });

  it('has no cycle between top-level folders', () => {
    const edges = new Map<string, Set<string>>();
    for (const m of result.modules) {
      const from = topOf(m.source);
      if (!from) continue;
      if (!edges.has(from)) edges.set(from, new Set());
      for (const d of m.dependencies) {
        const to = topOf(d.resolved);
        if (to && to !== from) edges.get(from)!.add(to);
      }
    }
    expect(edges.size).toBeGreaterThan(5);
    expect(findCycle(edges)).toBeUndefined();
  });

  it('finds a cycle when there is one (the checker itself)', () => {
    const edges = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
    ]);
    expect(findCycle(edges)).toEqual(['a', 'b', 'c', 'a']);
    expect(findCycle(new Map([['a', new Set(['b'])]]))).toBeUndefined();
  });
});

/** Exported functions and classes of a file with no TSDoc comment right above (overloads: the first). */
export function undocumented(text: string): string[] {
  const lines = text.split('\n');
  const seen = new Set<string>();
  const missing: string[] = [];
  lines.forEach((line, i) => {
    const m = /^export (?:default )?(?:abstract )?(?:async )?(?:function\*? |class )(\w+)/.exec(line);
    if (!m || seen.has(m[1])) return;
    seen.add(m[1]);
    let j = i - 1;
    while (j >= 0 && /^\s*(@|\/\/)/.test(lines[j])) j--;
    if (!(j >= 0 && /\*\/\s*$/.test(lines[j]))) missing.push(`${i + 1}: ${m[1]}`);
  });
  return missing;
}

describe('TSDoc', () => {
  it('finds an export with no comment, and not one with a comment or a repeated overload', () => {
    const text = '/** Doc. */\nexport function a(): void;\nexport function a() {}\nexport class B {}\n';
    expect(undocumented(text)).toEqual(['4: B']);
  });

  it('documents every exported function and class of src/', () => {
    const missing = filesUnder(join(root, 'src'))
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => undocumented(readFileSync(f, 'utf8')).map((m) => `${relative(root, f)}:${m}`));
    expect(missing).toEqual([]);
  });
});

describe('file sizes', () => {
  const lines = (file: string) => readFileSync(file, 'utf8').split('\n').length;
  const tooLong = (dir: string, max: number) =>
    filesUnder(join(root, dir))
      .filter((f) => /\.tsx?$/.test(f) && lines(f) > max)
      .map((f) => `${relative(root, f)}: ${lines(f)} lines`);

  it('keeps every file of src/ within 400 lines', () => {
    expect(tooLong('src', 400)).toEqual([]);
  });

  it('keeps every file of src/workflows within 250 lines', () => {
    expect(tooLong('src/workflows', 250)).toEqual([]);
  });
});
