/**
 * Spec-driven sessions on the real dev server (issue 9): definitions/spec-execution.yaml parses a
 * tasks.md at run start and runs its phases one by one. Each phase is read through the
 * `current-phase` and `task` queries (and the CLI), refused with the missing gate criteria listed
 * when the evidence is incomplete (the run unchanged), and completed with full evidence; a worker
 * killed with SIGKILL mid-session leaves the session where it was, evidence and all.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FlowstateClient } from '../../src/client';
import { useTestEnv } from '../harness/env';
import { loadExample } from '../harness/definitions';
import { spawnWorker } from '../harness/worker-process';

const ROOT = path.resolve(__dirname, '../..');
const INPUT = JSON.parse(
  fs.readFileSync(path.join(ROOT, 'definitions/spec-execution.input.json'), 'utf8'),
) as { tasks_md: string };

async function eventually<T>(
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await read();
      if (ok(v)) return v;
      last = v;
    } catch (e) {
      last = e instanceof Error ? e.message : e;
    }
    if (Date.now() > deadline)
      throw new Error(`${what}: not reached in ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface PhaseView {
  id: string;
  name: string;
  gate: Array<{ n: number; text: string }>;
  tasks: Array<{ n: number; id: string; title: string }>;
  content: string;
}

/** The current phase once the session waits on it. */
const phaseOf = (fs: FlowstateClient, id: string, phase: string) =>
  eventually(
    () => fs.query(id, 'current-phase') as Promise<PhaseView>,
    (v) => v.id === phase,
    `phase ${phase} current`,
  );

/** Evidence for every gate criterion of a phase, by number. */
const fullEvidence = (view: PhaseView, note: string) => ({
  evidence: { criteria: Object.fromEntries(view.gate.map((c) => [String(c.n), `${note}: ${c.text}`])) },
});

describe('a spec session end to end', () => {
  const env = useTestEnv();

  function flowstate(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [path.join(ROOT, 'bin/flowstate.js'), ...args],
        {
          cwd: ROOT,
          env: env.processEnv(),
        },
        (error, stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  test('parse, read phase 1, refused with the missing criteria listed, then every phase to the end (client API and CLI)', async () => {
    const fc = env.flowstate;
    const def = await loadExample('spec-execution');
    const { workflowId: id } = await env.start(def, INPUT);

    // Phase 1, rendered on the worker from the definition's templates.
    const phase1 = await phaseOf(fc, id, '1');
    expect(phase1).toMatchObject({
      name: 'Core Infrastructure',
      position: 1,
      tasks: [
        { n: 1, id: '1.1', title: 'Create data models for dynamic workflows' },
        { n: 2, id: '1.2', title: 'Create SourceParser interface and SpecTasksParser' },
      ],
      gate: [
        { n: 1, text: 'All data models created and tested' },
        { n: 2, text: 'SpecTasksParser parses the example tasks.md' },
        { n: 3, text: 'No linting errors' },
      ],
    });
    expect(phase1.content).toContain('## Phase 1 of 3: Core Infrastructure\nWorking: Ada');
    expect(phase1.content).toContain('- [ ] SpecTasksParser parses the example tasks.md');
    const task = (await fc.query(id, 'task', '1', '2')) as {
      id: string;
      dependencies: string[];
      content: string;
    };
    expect(task).toMatchObject({
      id: '1.2',
      dependencies: ['1.1'],
      criteria: [{ n: 1, text: 'Parser extracts phases, tasks, criteria and gates' }, { n: 2 }],
    });
    expect(task.content).toContain('## Task 1.2: Create SourceParser interface and SpecTasksParser');
    expect(task.content).toContain('- [ ] Error handling for malformed tasks.md');
    expect((await fc.state(id)).waiting).toEqual([
      { task: 'session', update: 'complete-phase', views: ['current-phase', 'task', 'session'] },
    ]);

    // Incomplete evidence: refused, the missing criteria listed by number and text, nothing changed.
    const before = {
      state: await fc.state(id),
      phase: await fc.query(id, 'current-phase'),
      session: await fc.query(id, 'session'),
    };
    const refused = await fc
      .update(id, 'complete-phase', {
        evidence: { criteria: { 1: '18 model tests', 'No linting errors': '' } },
      })
      .then(
        () => undefined,
        (e: { cause?: { message?: string; details?: unknown[] } }) => e.cause,
      );
    expect(refused?.message).toBe(
      [
        "phase 1 'Core Infrastructure' cannot be completed:",
        '  2 of 3 gate criteria not addressed:',
        '    2. SpecTasksParser parses the example tasks.md',
        '    3. No linting errors (empty note)',
        '  address each criterion by number or text with a note: { "criteria": { "2": "how it was met" } }',
      ].join('\n'),
    );
    expect(refused?.details?.[0]).toMatchObject({
      phase: '1',
      missing: [{ n: 2 }, { n: 3, reason: 'empty note' }],
    });
    expect({
      state: await fc.state(id),
      phase: await fc.query(id, 'current-phase'),
      session: await fc.query(id, 'session'),
    }).toEqual(before);

    // Complete evidence: phase 2 becomes current; its dependencies (phase 1's tasks) are complete.
    expect(await fc.update(id, 'complete-phase', { phase: '1', ...fullEvidence(phase1, 'met') })).toEqual({
      completed: { id: '1', name: 'Core Infrastructure' },
      next: { id: '2', name: 'Dynamic Content Registry', position: 2 },
      done: false,
    });
    const phase2 = await phaseOf(fc, id, '2');
    await expect(fc.query(id, 'task', '1', '1')).rejects.toThrow(/task: no '1' here \(known: 2\)/);
    expect(await fc.query(id, 'session')).toMatchObject({
      position: 2,
      phases: [{ status: 'complete' }, { status: 'current' }, { status: 'pending' }],
      evidence: [
        {
          phase: '1',
          criteria: [{ n: 1, note: 'met: All data models created and tested' }, { n: 2 }, { n: 3 }],
        },
      ],
    });
    // A late repeat of phase 1's update cannot complete phase 2.
    await expect(
      fc.update(id, 'complete-phase', { phase: '1', ...fullEvidence(phase1, 'again') }),
    ).rejects.toMatchObject({
      cause: { message: "phase 1 is not the current phase: phase 2 'Dynamic Content Registry' is" },
    });
    await fc.update(id, 'complete-phase', fullEvidence(phase2, 'met'));

    // Phase 3 through the CLI.
    await phaseOf(fc, id, '3');
    const shown = await flowstate(['current-phase', id]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('## Phase 3 of 3: Integration');
    expect(shown.stdout).toContain('- [ ] All integration tests pass\n- [ ] Documentation complete');
    const taskJson = await flowstate(['task', id, '3', '1', '--json']);
    expect(taskJson.code).toBe(0);
    expect(JSON.parse(taskJson.stdout)).toMatchObject({ id: '3.1', dependencies: ['1.1', '1.2', '2.1'] });
    const taskText = await flowstate(['task', id, '3', '1']);
    expect(taskText.stdout).toContain('**Depends on:** 1.1, 1.2, 2.1');
    const missingTask = await flowstate(['task', id, '3', '9']);
    expect(missingTask.code).toBe(1);

    const partial = await flowstate([
      'complete-phase',
      id,
      '--evidence',
      '{"criteria": {"All integration tests pass": "jest: 5 passed"}}',
    ]);
    expect(partial.code).toBe(1);
    expect(partial.stderr).toContain("refused [UpdateRejected]: phase 3 'Integration' cannot be completed:");
    expect(partial.stderr).toContain('2. Documentation complete');
    expect((await fc.query(id, 'current-phase')) as PhaseView).toMatchObject({ id: '3' });

    const file = path.join(fs_tmp(), 'evidence.json');
    fsWrite(file, {
      criteria: [
        { criterion: 1, note: 'jest: 5 passed' },
        { criterion: 'Documentation complete', note: 'docs/spec-sessions.md' },
      ],
      summary: 'all green',
    });
    const completed = await flowstate(['complete-phase', id, '--phase', '3', '--evidence', file]);
    expect(completed.stderr).toBe('');
    expect(completed.code).toBe(0);
    expect(completed.stdout).toContain(`phase 3 'Integration' complete; the session is done`);

    const { output } = await fc.result(id);
    expect(output).toMatchObject({
      title: 'Implementation Tasks',
      phases: [
        { id: '1', status: 'complete' },
        { id: '2', status: 'complete' },
        { id: '3', status: 'complete' },
      ],
      evidence: [
        { phase: '1', criteria: [{ n: 1 }, { n: 2 }, { n: 3 }] },
        { phase: '2', criteria: [{ n: 1 }, { n: 2 }] },
        {
          phase: '3',
          criteria: [
            { n: 1, note: 'jest: 5 passed' },
            { n: 2, note: 'docs/spec-sessions.md' },
          ],
          summary: 'all green',
        },
      ],
    });
    const after = await flowstate(['current-phase', id]);
    expect(after.code).toBe(1);
  }, 120_000);

  test('a document whose phases cannot run in order fails at start, clearly', async () => {
    const def = await loadExample('spec-execution');
    const tasks_md =
      '# Plan\n## Phase 1: A\n**Dependencies**: Phase 2\n- [ ] **Task 1.1**: a\n## Phase 2: B\n- [ ] **Task 2.1**: b\n';
    await expect(env.run(def, { tasks_md })).rejects.toMatchObject({
      cause: {
        type: 'SpecDependencyError',
        message: expect.stringContaining('depends on phase 2, which comes after it'),
      },
    });
  }, 60_000);
});

describe('a worker killed with SIGKILL mid-session', () => {
  const taskQueue = `spec-session-crash-${randomUUID().slice(0, 8)}`;
  let client: FlowstateClient;
  beforeAll(async () => {
    client = await FlowstateClient.connect({
      address: process.env.FLOWSTATE_TEST_ADDRESS!,
      namespace: 'default',
      taskQueue,
    });
  });
  afterAll(() => client.close());

  test('a new worker answers with the same current phase and evidence, and the session goes on to the end', async () => {
    const address = process.env.FLOWSTATE_TEST_ADDRESS!;
    const w1 = await spawnWorker({ address, taskQueue });
    let w2: Awaited<ReturnType<typeof spawnWorker>> | undefined;
    try {
      const { workflowId: id } = await client.start(await loadExample('spec-execution'), INPUT);
      const phase1 = await phaseOf(client, id, '1');
      await client.update(id, 'complete-phase', fullEvidence(phase1, 'before the crash'));
      const phase2 = await phaseOf(client, id, '2');
      const session = await client.query(id, 'session');
      await w1.kill9();

      w2 = await spawnWorker({ address, taskQueue });
      expect(await phaseOf(client, id, '2')).toEqual(phase2);
      expect(await client.query(id, 'session')).toEqual(session);
      await expect(
        client.update(id, 'complete-phase', { evidence: { criteria: { 1: 'only one' } } }),
      ).rejects.toMatchObject({
        cause: { message: expect.stringContaining('2. Rendering performance within target') },
      });
      await client.update(id, 'complete-phase', fullEvidence(phase2, 'after the crash'));
      const phase3 = await phaseOf(client, id, '3');
      await client.update(id, 'complete-phase', fullEvidence(phase3, 'after the crash'));
      const { output } = (await client.result(id)) as unknown as {
        output: { evidence: Array<{ phase: string; criteria: Array<{ note: string }> }> };
      };
      expect(output.evidence.map((e) => [e.phase, e.criteria[0]!.note])).toEqual([
        ['1', 'before the crash: All data models created and tested'],
        ['2', 'after the crash: Templates render every placeholder'],
        ['3', 'after the crash: All integration tests pass'],
      ]);
    } finally {
      await w1.stop();
      await w2?.stop();
    }
  }, 180_000);
});

function fs_tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-spec-'));
}

function fsWrite(file: string, value: unknown): void {
  fs.writeFileSync(file, JSON.stringify(value));
}
