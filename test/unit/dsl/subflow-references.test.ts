/**
 * A `subflow` names another definition; the DSL resolves it when the parent compiles and pins the
 * child's compiled definition into the parent's, refuses a definition that reaches itself (at the
 * file:line:col of the edge that closes the cycle), and checks a literal `with` against the child's
 * `input` schema.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { graphFile } from '../../../src/dsl/commands';
import { loadDefinition } from '../../../src/dsl/loader';
import { formatDiagnostic } from '../../../src/dsl/diagnostics';
import { FilesystemRegistry } from '../../../src/registry';
import { TYPES } from './helpers';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-subflow-'));
});

const write = (name: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  fs.writeFileSync(path.join(dir, name), text);
  return path.join(dir, name);
};

const child = (version = '1.0.0', text = 'child') => `id: child
version: ${version}
input: { type: object, required: [n], properties: { n: { type: number } } }
tasks:
  - { id: say, tool: echo, with: { text: "${text}", n: "{{ input.n }}" } }
`;

const parent = (ref: string, w = '{ n: "{{ input.n }}" }') => `id: parent
version: 1.0.0
tasks:
  - id: run
    type: subflow
    definition: ${ref}
    with: ${w}
`;

test('a file subflow is compiled and pinned into the parent', async () => {
  write('lib/child.yaml', child());
  const result = await loadDefinition(write('parent.yaml', parent('./lib/child.yaml')), TYPES);
  if (!result.ok) throw new Error(result.errors.map(formatDiagnostic).join('\n'));
  const pinned = result.definition.tasks[0].spec.pinned as { id: string; tasks: { id: string }[] };
  expect(pinned.id).toBe('child');
  expect(pinned.tasks.map((t) => t.id)).toEqual(['say']);
});

test('a registry subflow is pinned to the highest version its range allows', async () => {
  const registry = path.join(dir, 'registry');
  const folder = new FilesystemRegistry(registry);
  for (const [v, text] of [
    ['1.0.0', 'one'],
    ['1.2.0', 'one-two'],
    ['2.0.0', 'two'],
  ]) {
    const loaded = await loadDefinition(write(`c${v}.yaml`, child(v, text)), TYPES);
    if (!loaded.ok) throw new Error('child does not compile');
    await folder.push({
      id: 'child',
      version: v,
      content: child(v, text),
      contentHash: loaded.definition.hash,
    });
  }
  const before = process.env.FLOWSTATE_REGISTRY;
  process.env.FLOWSTATE_REGISTRY = registry;
  try {
    const result = await loadDefinition(write('parent.yaml', parent('child@^1.0.0')), TYPES);
    if (!result.ok) throw new Error(result.errors.map(formatDiagnostic).join('\n'));
    expect(result.definition.tasks[0].spec.pinned).toMatchObject({ id: 'child', version: '1.2.0' });
    const missing = await loadDefinition(write('p2.yaml', parent('child@^3')), TYPES);
    expect(missing.ok ? [] : missing.errors.map((e) => e.message)).toEqual([
      expect.stringContaining("no version of 'child'"),
    ]);
  } finally {
    if (before === undefined) delete process.env.FLOWSTATE_REGISTRY;
    else process.env.FLOWSTATE_REGISTRY = before;
  }
});

test('a definition that reaches itself is refused at the edge that closes the cycle', async () => {
  const a = write(
    'a.yaml',
    'id: a\nversion: 1.0.0\ntasks:\n  - { id: first, tool: echo }\n  - { id: to-b, type: subflow, definition: ./b.yaml }\n',
  );
  const b = write(
    'b.yaml',
    'id: b\nversion: 1.0.0\ntasks:\n  - id: back\n    type: subflow\n    definition: ./a.yaml\n',
  );
  const result = await loadDefinition(a, TYPES);
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.errors.map(formatDiagnostic)).toEqual([
    expect.stringMatching(
      new RegExp(`^${b.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:6:17: .*subflow cycle: a → b → a`),
    ),
  ]);
  const self = write(
    'self.yaml',
    'id: self\nversion: 1.0.0\ntasks:\n  - { id: again, type: subflow, definition: ./self.yaml }\n',
  );
  const refused = await loadDefinition(self, TYPES);
  expect(refused.ok ? [] : refused.errors.map((e) => `${e.line}:${e.col} ${e.message}`)).toEqual([
    expect.stringMatching(/^4:45 subflow cycle: self → self/),
  ]);
});

test("a literal 'with' is checked against the child's input schema; a template waits for the run", async () => {
  write('child.yaml', child());
  const bad = await loadDefinition(write('bad.yaml', parent('./child.yaml', '{ n: "three" }')), TYPES);
  expect(bad.ok ? [] : bad.errors.map((e) => `${e.line}:${e.col} ${e.message}`)).toEqual([
    expect.stringContaining("6:17 'with' does not match the input schema of child@1.0.0: /n must be number"),
  ]);
  expect((await loadDefinition(write('good.yaml', parent('./child.yaml', '{ n: 3 }')), TYPES)).ok).toBe(true);
});

test('a missing child file is an error at the subflow that names it', async () => {
  const result = await loadDefinition(write('parent.yaml', parent('./nope.yaml')), TYPES);
  expect(result.ok ? [] : result.errors.map((e) => `${e.line}:${e.col} ${e.message}`)).toEqual([
    expect.stringMatching(/^6:17 cannot read subflow '\.\/nope\.yaml' .*: no such file$/),
  ]);
});

test('flowstate graph draws a subflow as a subroutine box naming the pinned child', async () => {
  write('child.yaml', child('1.4.0'));
  const file = write('parent.yaml', parent('./child.yaml'));
  const graph = await graphFile(file, TYPES);
  expect(graph).toContain('t1[["<b>run</b><br/>subflow<br/>runs child@1.4.0"]]');
  expect(graph).toContain('start --> t1');
});
