/**
 * Nothing evaluates silently to null: `flowstate run` (the CLI in a process of its own, on the real
 * dev server) of a definition whose expression the compiler cannot resolve exits 1 with the
 * file:line:col and the fix, and no run is started.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import { useTestEnv } from '../harness/env';
import { runCli, type Ran } from '../harness/cli';
import { exampleTools } from '../../examples/tools';

const env = useTestEnv({ tools: exampleTools });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-refused-'));

function flowstate(args: string[]): Promise<Ran> {
  return runCli(args, env.processEnv());
}

/** A definition whose second task's `with.value` (line 9, column 20) holds `expression`. */
function definition(name: string, expression: string): string {
  const file = path.join(dir, `${name}.yaml`);
  fs.writeFileSync(
    file,
    [
      `id: ${name}`,
      'version: 1.0.0',
      'tasks:',
      '  - id: first-step',
      '    tool: echo',
      '    with: { value: 1 }',
      '  - id: second',
      '    tool: echo',
      `    with: { value: "{{ ${expression} }}" }`,
      '',
    ].join('\n'),
  );
  return file;
}

test.each([
  [
    'bracket',
    "tasks['first-step'].output.value",
    "tasks['first-step'] is a JSONata filter, not a key lookup: a string there is always true, so it keeps everything; write tasks.`first-step`",
  ],
  ['function', "$uppercasee('x')", 'unknown function $uppercasee(): did you mean $uppercase()?'],
  ['eval', "$eval('$now()')", '$eval() is not allowed: it evaluates text at run time'],
])(
  'run of a definition with a %s mistake exits 1 at file:line:col and starts nothing',
  async (kind, expression, fix) => {
    const file = definition(`refused-${kind}`, expression);
    const id = `refused-${kind}-${Date.now()}`;
    const ran = await flowstate(['run', file, '--input', '{}', '--id', id]);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain(`${file}:9:20: with '${expression}'`);
    expect(ran.stderr).toContain(fix);
    expect(ran.stdout).toBe('');
    await expect(env.client.workflow.getHandle(id).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  },
);
