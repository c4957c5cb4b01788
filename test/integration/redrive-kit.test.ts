/**
 * The test kit scripts a redrive: `redrive: true` on a case redrives its run once it failed, with the
 * same stubs (a `sequence` fails first, then succeeds), and the expectations are about the redrive.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CaseResult } from '../../src/testkit';
import { runCasesFile } from '../harness/cases';
import { useTestEnv } from '../harness/env';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-redrive-kit-'));
const env = useTestEnv();

async function run(cases: string): Promise<CaseResult[]> {
  fs.writeFileSync(
    path.join(dir, 'order.yaml'),
    `
id: order-store
version: 1.0.0
tasks:
  - { id: fetch, tool: fetch, with: { order: o-1 } }
  - { id: store, tool: store, with: { order: "{{ tasks.fetch.output.order }}" } }
`,
  );
  const file = path.join(dir, 'order.cases.yaml');
  fs.writeFileSync(file, cases);
  return runCasesFile(file, env.address);
}

test('fail first, then succeed: the redrive reuses fetch and runs store again', async () => {
  const [fixed, completed, wrong] = await run(`
definition: order.yaml
tools:
  fetch: { output: { order: o-1 } }
cases:
  - name: store fails, then the redrive stores
    redrive: true
    tools:
      store:
        sequence:
          - { error: { type: Unavailable, non_retryable: true } }
          - { output: { stored: "{{ input.order }}" } }
    expect:
      status: completed
      output: { stored: o-1 }
      paths: [fetch, store]
      calls: { fetch: 1, store: 2 }
      events:
        - { type: task.reused, path: fetch }
        - { type: task.completed, path: store }
  - name: a run that completed is not redriven
    redrive: true
    tools: { store: { output: { stored: yes } } }
    expect: { status: completed }
  - name: a redrive that calls fetch again is caught
    redrive: true
    tools:
      store:
        sequence: [{ error: { type: Unavailable, non_retryable: true } }, { output: 1 }]
    expect: { calls: { fetch: 2 } }
`);
  expect(fixed.failures).toEqual([]);
  expect(fixed.status).toBe('completed');
  expect(completed.ok).toBe(false);
  expect(completed.failures.map((f) => f.message).join('\n')).toContain(
    'redrive: the run completed, so there is nothing to redrive',
  );
  expect(wrong.ok).toBe(false);
  expect(wrong.failures.map((f) => f.message).join('\n')).toMatch(
    /tool 'fetch' was called 1 time, expected 2/,
  );
});
