/**
 * A `dynamic` definition pushed to the registry runs by reference on the real server with the
 * templates pushed with it (issue 16 item 7: `run spec-execution` used to fail reading
 * `.flowstate/templates/spec-phase.md`). The templates beside the file are changed and then removed
 * after the push: the run renders the pushed ones.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { useTestEnv } from '../harness/env';
import { pollUntil } from '../../src/testkit/poll';

const ROOT = path.resolve(__dirname, '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-registry-dynamic-'));
const registry = path.join(dir, 'registry');

jest.setTimeout(180_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('a pushed dynamic definition', () => {
  const env = useTestEnv();

  function flowstate(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [path.join(ROOT, 'bin/flowstate.js'), ...args],
        // Run from elsewhere: nothing beside the working directory can stand in for the templates.
        { cwd: os.tmpdir(), env: env.processEnv({ FLOWSTATE_REGISTRY: registry }) },
        (error, stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  test('runs by reference with the templates pushed with it', async () => {
    const source = path.join(dir, 'flows');
    fs.cpSync(path.join(ROOT, 'definitions/templates'), path.join(source, 'templates'), { recursive: true });
    fs.copyFileSync(
      path.join(ROOT, 'definitions/spec-execution.yaml'),
      path.join(source, 'spec-execution.yaml'),
    );
    const phaseTemplate = path.join(source, 'templates/spec-phase.md');
    fs.appendFileSync(phaseTemplate, '\nRendered from the pushed template.\n');

    const pushed = await flowstate(['push', path.join(source, 'spec-execution.yaml')]);
    expect(pushed.stderr).toBe('');
    expect(pushed.stdout).toContain('pushed: spec-execution@1.0.0 (sha256:');
    expect(pushed.stdout).toContain('with templates/spec-phase.md, templates/spec-task.md');

    fs.writeFileSync(phaseTemplate, 'changed after the push\n');
    fs.rmSync(path.join(source, 'templates'), { recursive: true });

    const input = path.join(ROOT, 'definitions/spec-execution.input.json');
    const started = await flowstate(['run', 'spec-execution@1.0.0', '--input-file', input]);
    expect(started.stderr).toContain('(spec-execution@1.0.0)');
    expect(started.code).toBe(0);
    const id = started.stdout.trim().split('\n').pop()!.trim();

    const phase = (await pollUntil(() => env.flowstate.query(id, 'current-phase').catch(() => undefined), {
      until: (v) => (v as { id?: string } | undefined)?.id === '1',
      timeoutMs: 60_000,
      what: 'phase 1 current',
    })) as { content: string };
    expect(phase.content).toContain('## Phase 1 of 3: Core Infrastructure');
    expect(phase.content).toContain('Rendered from the pushed template.');
    expect(phase.content).not.toContain('changed after the push');
    await env.client.workflow.getHandle(id).terminate('test done');
  });
});
