/** examples/approve-gate.ts, run as a user would (its own process), against the real dev server. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { useTestEnv } from '../harness/env';
import { exampleTools } from '../../examples/tools';

const ROOT = path.resolve(__dirname, '../..');
const env = useTestEnv({ tools: exampleTools });

test('the example client script starts a run, approves its gate and prints the result', async () => {
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
    (resolve) =>
      execFile(
        path.join(ROOT, 'node_modules/.bin/tsx'),
        ['examples/approve-gate.ts', 'definitions/document-approval.yaml', 'From a script'],
        {
          cwd: ROOT,
          env: env.processEnv(),
        },
        (error, out, err) => resolve({ code: error ? 1 : 0, stdout: out, stderr: err }),
      ),
  );
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(stdout).toMatch(/^started document-approval-[0-9a-f]{8}$/m);
  expect(stdout).toContain('draft: approved by editor');
  const result = JSON.parse(stdout.slice(stdout.indexOf('\n{') + 1));
  expect(result.output).toEqual({ published: 'From a script', revision: 0 });
  expect(result.decisions).toMatchObject([
    {
      gate: 'draft',
      decision: 'approve',
      decided_by: 'editor',
      comment: 'approved by examples/approve-gate.ts',
    },
  ]);
});
