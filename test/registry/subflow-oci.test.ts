/**
 * A `subflow` naming its child by ref, resolved from a real OCI registry (Debian's docker-registry on
 * a free loopback port) when the parent compiles: the child is pinned to the highest version its
 * range allows, and a push of a newer version changes nothing for a parent already compiled.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadDefinition, loadDefinitionText } from '../../src/dsl/loader';
import { formatDiagnostic } from '../../src/dsl/diagnostics';
import { builtinTaskTypes } from '../../src/orchestrators/registry';
import { openRegistry } from '../../src/registry';
import { startRegistryServer, type RegistryServer } from './registry-server';

const TYPES = builtinTaskTypes();
let server: RegistryServer;
let spec: string;
const before = process.env.FLOWSTATE_REGISTRY;

beforeAll(async () => {
  server = await startRegistryServer();
  spec = `oci://${server.host}/flowstate`;
  process.env.FLOWSTATE_REGISTRY = spec;
}, 600_000);

afterAll(async () => {
  if (before === undefined) delete process.env.FLOWSTATE_REGISTRY;
  else process.env.FLOWSTATE_REGISTRY = before;
  await server?.stop();
});

const child = (version: string) =>
  `id: greeter\nversion: ${version}\ninput: { type: object, required: [name] }\ntasks:\n  - { id: hi, tool: echo, with: { text: "v${version} {{ input.name }}" } }\n`;

async function push(version: string): Promise<void> {
  const text = child(version);
  const compiled = loadDefinitionText(text, { file: `greeter-${version}.yaml` }, TYPES);
  if (!compiled.ok) throw new Error(compiled.errors.map(formatDiagnostic).join('\n'));
  await openRegistry(spec, { env: {} }).push({
    id: 'greeter',
    version,
    content: text,
    contentHash: compiled.definition.hash,
  });
}

test('a subflow ref is resolved from the OCI registry and pinned into the parent', async () => {
  await push('1.0.0');
  await push('1.1.0');
  await push('2.0.0');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-subflow-oci-'));
  const file = path.join(dir, 'parent.yaml');
  fs.writeFileSync(
    file,
    'id: greets\nversion: 1.0.0\ntasks:\n  - { id: greet, type: subflow, definition: "greeter@^1.0.0", with: { name: Ada } }\n',
  );
  const loaded = await loadDefinition(file, TYPES);
  if (!loaded.ok) throw new Error(loaded.errors.map(formatDiagnostic).join('\n'));
  const pinned = loaded.definition.tasks[0].spec.pinned as { id: string; version: string; source: string };
  expect(pinned).toMatchObject({ id: 'greeter', version: '1.1.0', source: `${spec}#greeter@1.1.0` });
  // A later 1.x push moves what a new compile takes, not what was compiled.
  await push('1.2.0');
  expect(loaded.definition.tasks[0].spec.pinned).toMatchObject({ version: '1.1.0' });
  const again = await loadDefinition(file, TYPES);
  expect(again.ok && again.definition.tasks[0].spec.pinned).toMatchObject({ version: '1.2.0' });
  // A literal `with` that misses a required input is refused at validate time.
  fs.writeFileSync(
    file,
    'id: greets\nversion: 1.0.0\ntasks:\n  - { id: greet, type: subflow, definition: greeter@1.0.0, with: { nom: Ada } }\n',
  );
  const refused = await loadDefinition(file, TYPES);
  expect(refused.ok ? [] : refused.errors.map(formatDiagnostic)).toEqual([
    expect.stringContaining(
      "'with' does not match the input schema of greeter@1.0.0: (input) must have required property 'name'",
    ),
  ]);
});
