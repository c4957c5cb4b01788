/**
 * Static checks of the Dockerfile and .dockerignore (Docker cannot build here): a Node 20 base,
 * `npm ci`, a non-root user, `flowstate worker` as the default command, a healthcheck, and every
 * COPY source present in the repository and not excluded from the build context.
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

interface Instruction {
  op: string;
  args: string;
}

/** Instructions in order: comments dropped, `\` continuations joined. */
function instructions(text: string): Instruction[] {
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  return lines
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [, op, args] = /^(\w+)\s+(.*)$/.exec(l)!;
      return { op: op.toUpperCase(), args };
    });
}

const all = instructions(read('Dockerfile'));
const stages: Instruction[][] = [];
for (const i of all) {
  if (i.op === 'FROM') stages.push([]);
  stages[stages.length - 1].push(i);
}
const final = stages[stages.length - 1];
const last = (op: string) => [...final].reverse().find((i) => i.op === op);
const exec = (i: Instruction | undefined) => JSON.parse(i!.args) as string[];

test('every stage builds on Node 20 (Debian, for the prebuilt native modules)', () => {
  const bases = all.filter((i) => i.op === 'FROM').map((i) => i.args.split(/\s+/)[0]);
  expect(bases.length).toBeGreaterThan(0);
  for (const base of bases) expect(base).toMatch(/^node:20(-bookworm(-slim)?)?$/);
});

test('dependencies come from the lockfile with npm ci, production only', () => {
  const install = all.find((i) => i.op === 'RUN' && /\bnpm ci\b/.test(i.args));
  expect(install?.args).toMatch(/--omit=dev/);
  const lockCopied = all.findIndex((i) => i.op === 'COPY' && /package-lock\.json/.test(i.args));
  expect(lockCopied).toBeGreaterThanOrEqual(0);
  expect(lockCopied).toBeLessThan(all.indexOf(install!));
});

test('the process runs as a non-root user', () => {
  const user = last('USER');
  expect(user?.args).toBeDefined();
  expect(user!.args).not.toMatch(/^(root|0)(:|$)/);
  expect(final.indexOf(user!)).toBeLessThan(final.indexOf(last('ENTRYPOINT')!));
});

test('the default command is `flowstate worker`', () => {
  const argv = [...exec(last('ENTRYPOINT')), ...exec(last('CMD'))];
  expect(argv).toEqual(['node', 'bin/flowstate.js', 'worker']);
  expect(read('bin/flowstate.js')).toMatch(/src\/cli\/index\.ts/);
  expect(read('src/cli/commands/server.ts')).toMatch(/\.command\('worker'\)/);
  expect(last('WORKDIR')?.args).toBe('/app');
});

test('a healthcheck runs the worker healthcheck script the image contains', () => {
  const health = last('HEALTHCHECK')!;
  expect(health.args).toMatch(/CMD \["node", "deploy\/worker-healthcheck\.js"\]/);
  expect(final.some((i) => i.op === 'COPY' && i.args.includes('deploy/worker-healthcheck.js'))).toBe(true);
});

describe('the build context', () => {
  const patterns = read('.dockerignore')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const glob = (p: string) =>
    new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}(/.*)?$`);
  /** Docker's rule: the last matching pattern wins; `!` re-includes. */
  const ignored = (file: string) =>
    patterns.reduce((out, p) => (glob(p.replace(/^!/, '')).test(file) ? !p.startsWith('!') : out), false);

  test('leaves out node_modules, .git, tests and local state', () => {
    for (const p of ['node_modules', '.git', 'test', '.flowstate', 'dist'])
      expect({ p, ignored: ignored(p) }).toEqual({ p, ignored: true });
  });

  test('holds every file the image copies', () => {
    const sources = all
      .filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    expect(sources).toEqual(
      expect.arrayContaining(['package.json', 'package-lock.json', 'bin', 'src', 'examples']),
    );
    for (const source of sources) {
      expect({ source, exists: fs.existsSync(path.join(ROOT, source)), ignored: ignored(source) }).toEqual({
        source,
        exists: true,
        ignored: false,
      });
    }
  });

  test('the worker runs from what is copied: its modules import nothing from outside', () => {
    // worker-main loads the example tools; the CLI is run by tsx, a production dependency.
    expect(read('src/worker-main.ts')).toMatch(/\.\.\/examples\/tools/);
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies).toHaveProperty('tsx');
  });
});
