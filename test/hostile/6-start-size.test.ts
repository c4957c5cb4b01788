/**
 * Row 6 of issue 18, client side: a 3 MB input or a 5 MB definition reached the server, which
 * answered only "Failed to start Workflow". The client now refuses the start before it leaves,
 * naming the size, the limit and where the data could go; nothing is started.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PayloadTooLargeError } from '../../src/client';
import { useTestEnv } from '../harness/env';
import { compileYaml } from '../harness/definitions';
import { flowstateCli } from './cli';

const env = useTestEnv();

const hello = compileYaml(
  'id: small\nversion: 1.0.0\ntasks:\n  - { id: say, tool: echo, with: "{{ input }}" }\n',
);

test('a 3 MB input is refused before the start, by the client API and the CLI', async () => {
  const id = `hostile-input-${randomUUID().slice(0, 8)}`;
  const started = Date.now();
  const refused = await env.flowstate
    .start(hello, { blob: 'x'.repeat(3_000_000) }, { workflowId: id })
    .catch((e) => e);
  expect(refused).toBeInstanceOf(PayloadTooLargeError);
  expect((refused as Error).message).toMatch(
    /^the start of a run of small@1\.0\.0 \(its input: 3,000,011 bytes \(3\.0 MB\)\) is 3,\d{3},\d{3} bytes \(3\.\d MB\), over the limit of 2,031,616 bytes \(2\.0 MB\) \(Temporal refuses a payload over 2 MiB\): keep large data elsewhere .* and pass a reference to it .*; not started$/,
  );
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(await env.flowstate.exists(id)).toBe(false);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-input-'));
  const file = path.join(dir, 'small.yaml');
  fs.writeFileSync(
    file,
    'id: small\nversion: 1.0.0\ntasks:\n  - { id: say, tool: echo, with: "{{ input }}" }\n',
  );
  fs.writeFileSync(path.join(dir, 'input.json'), JSON.stringify({ blob: 'x'.repeat(3_000_000) }));
  const cli = await flowstateCli(
    ['run', file, '--input-file', path.join(dir, 'input.json')],
    env.processEnv(),
  );
  expect(cli.code).toBe(1);
  expect(cli.stderr).toContain('its input: 3,000,011 bytes (3.0 MB)');
  expect(cli.stderr).toContain('over the limit of 2,031,616 bytes');
  expect(cli.stderr).not.toContain('Failed to start Workflow');
  fs.rmSync(dir, { recursive: true, force: true });

  expect((await env.run(hello, 'ok')).output).toBe('ok');
});

test('a 5 MB definition is refused before the start, naming its file', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-definition-'));
  const file = path.join(dir, 'huge.yaml');
  fs.writeFileSync(
    file,
    `id: huge\nversion: 1.0.0\ntasks:\n  - { id: say, tool: echo, with: "${'x'.repeat(5_000_000)}" }\n`,
  );
  const cli = await flowstateCli(['run', file], env.processEnv());
  expect(cli.code).toBe(1);
  expect(cli.stderr).toMatch(
    new RegExp(
      `the start of a run of huge@1\\.0\\.0 \\(its compiled definition from ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: 5,\\d{3},\\d{3} bytes \\(5\\.\\d MB\\)\\)`,
    ),
  );
  expect(cli.stderr).toContain('keep large data elsewhere');
  fs.rmSync(dir, { recursive: true, force: true });
  expect((await env.run(hello, 'still serving')).output).toBe('still serving');
});
