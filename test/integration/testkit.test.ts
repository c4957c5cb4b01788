/**
 * The test kit tested on the real dev server: cases that are wrong (an output that differs, a tool
 * called more often than expected, a gate never reached, a run that went another way) fail with a
 * message naming the task path; a bad cases file fails with file:line; time_scale makes a 7-day wait
 * take about a second and the report shows it; interactions cancel a run, start a peer, or wait for a
 * predicate over the run's state; `flowstate test` exits 1 on a failure; and `flowstate schedule`
 * creates a Temporal Schedule whose runs are Flowstate runs.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exampleTools } from '../../examples/tools';
import { CaseSession, formatCase, formatFailures, loadCasesFile, type CaseResult } from '../../src/testkit';
import { useTestEnv } from '../harness/env';
import { runCasesFile } from '../harness/cases';
import { eventually } from '../harness/eventually';

const ROOT = path.resolve(__dirname, '../..');
const def = (name: string) => path.join(ROOT, 'definitions', `${name}.yaml`);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-testkit-'));
// The worker of the schedule test (the kit's own sessions run workers of their own).
const env = useTestEnv({ tools: exampleTools });

let written = 0;
function write(yaml: string, name = `kit-${++written}`): string {
  const file = path.join(dir, `${name}.cases.yaml`);
  fs.writeFileSync(file, yaml);
  return file;
}

/** Run a cases file with the kit, as `describeCases` and `flowstate test` do. */
async function run(yaml: string): Promise<CaseResult[]> {
  return runCasesFile(write(yaml), env.address);
}

async function one(yaml: string): Promise<CaseResult> {
  const [result] = await run(yaml);
  return result;
}

describe('a wrong case fails with a message naming the task path', () => {
  test('an output that differs: a diff, and the task whose output it is', async () => {
    const r = await one(`
definition: ${def('hello')}
tool_modules: [examples]
cases:
  - name: wrong output
    input: { name: Ada }
    expect:
      output: { greeting: "Hello, Bob!", words: 2 }
`);
    expect(r.ok).toBe(false);
    expect(r.failures).toHaveLength(1);
    const [f] = r.failures;
    expect(f.path).toBe('report');
    expect(f.message).toBe(
      "the run's output (the output of 'report') differs from expect.output; it ran: greet → count → report",
    );
    expect(f.where).toMatch(/kit-\d+\.cases\.yaml:8:15$/);
    expect(f.diff).toContain('-   "greeting": "Hello, Bob!",');
    expect(f.diff).toContain('+   "greeting": "Hello, Ada!",');
    expect(formatFailures(r.failures)).toMatch(/^1\) at 'report': the run's output/);
  });

  test('a tool called more often than expected: the task path of the call beyond the count', async () => {
    const r = await one(`
definition: ${def('retry-until-healthy')}
cases:
  - name: too many probes
    input: { service: db, healthy_after: 3 }
    tools:
      health-check: { sequence: [{ output: { healthy: false } }, { output: { healthy: false } }, { output: { healthy: true } }] }
    expect:
      calls: { health-check: 2 }
`);
    expect(r.failures).toEqual([
      expect.objectContaining({
        path: 'probe[2]/check',
        message: expect.stringMatching(
          /^tool 'health-check' was called 3 times, expected 2: call 3 came from task 'probe\[2\]\/check' \(attempt 1\)/,
        ),
      }),
    ]);
    expect(r.calls.map((c) => c.path)).toEqual(['probe[0]/check', 'probe[1]/check', 'probe[2]/check']);
  });

  test('a gate never reached: the run ended before the path waited for a decision', async () => {
    const r = await one(`
definition: ${def('order-saga')}
tool_modules: [examples]
cases:
  - name: no gate there
    input: { order: o-1, items: [book], amount: 50, country: fr }
    interactions:
      - { at: deliver, decide: approve, by: ops }
`);
    expect(r.failures).toEqual([
      expect.objectContaining({
        path: 'deliver',
        message:
          "interaction 1 (approve at 'deliver') was never reached: the run completed before 'deliver' waited for a decision; it never waited for anyone; it ran: reserve → pay → deliver → done",
      }),
    ]);
  });

  test('a gate never reached in time: the run waits elsewhere when the case times out', async () => {
    const r = await one(`
definition: ${def('document-approval-escalation')}
tool_modules: [examples]
cases:
  - name: the chief is asked too early
    input: { title: T }
    timeout: 3s
    interactions:
      - { at: escalate, decide: approve, by: chief }
`);
    expect(r.failures).toEqual([
      expect.objectContaining({
        path: 'escalate',
        message:
          "interaction 1 (approve at 'escalate') was not reached in time: after the case's timeout the run waits at gate 'draft' (acceptors: editor)",
      }),
    ]);
  });

  test('a gate nothing will decide fails at once (no timeout on it), naming the gate', async () => {
    const started = Date.now();
    const r = await one(`
definition: ${def('document-approval')}
tool_modules: [examples]
cases:
  - name: nobody decides
    input: { title: T }
`);
    expect(r.failures).toEqual([
      expect.objectContaining({
        path: 'draft',
        message:
          "the run waits at gate 'draft' (acceptors: editor, chief) with no timeout, and the case has no interaction left for it",
      }),
    ]);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  test('a run that went another way: the first path that differs', async () => {
    const r = await one(`
definition: ${def('support-router')}
tool_modules: [examples]
cases:
  - name: expected the bug route
    input: { text: How do I log in? }
    expect:
      paths: [classify, route/file-bug, route, acknowledge]
`);
    expect(r.failures).toEqual([
      expect.objectContaining({
        path: 'route',
        message:
          "paths: the run went another way after 'classify': expected 'route/file-bug', it ran 'route' (it ran: classify → route → faq)",
      }),
    ]);
  });

  test('a case naming a task the definition does not have fails before anything runs, at file:line', async () => {
    const r = await one(`
definition: ${def('document-approval')}
cases:
  - name: a typo
    tools:
      write-documnet: { output: {} }
    interactions:
      - { at: drfat, decide: approve }
`);
    expect(r.workflowId).toBeUndefined();
    expect(r.failures.map((f) => [f.message, f.where?.replace(/^.*\//, '')])).toEqual([
      [
        "interaction at 'drfat': no task 'drfat' in the definition (tasks: draft, publish)",
        expect.stringMatching(/^kit-\d+\.cases\.yaml:8:15$/),
      ],
      [
        "tools.write-documnet: document-approval calls no tool 'write-documnet' (it calls: write-document, echo)",
        expect.stringMatching(/^kit-\d+\.cases\.yaml:6:7$/),
      ],
    ]);
  });
});

describe('interactions that cancel the run, start a peer, or wait for a predicate over the state', () => {
  /** The signals a run received, in order, from its history. */
  const signals = async (workflowId: string) =>
    ((await env.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [])
      .map((e) => e.workflowExecutionSignaledEventAttributes)
      .filter((a) => a)
      .map((a) => [a!.signalName, JSON.parse(Buffer.from(a!.input?.payloads?.[0]?.data ?? '[]').toString())]);

  test('cancel: the run waiting at a gate is cancelled, and expect.status cancelled holds', async () => {
    const r = await one(`
definition: ${def('document-approval')}
tool_modules: [examples]
cases:
  - name: cancelled at the gate
    input: { title: T }
    interactions:
      - { at: draft, cancel: true }
    expect: { status: cancelled, not_paths: [publish] }
`);
    expect(r.failures).toEqual([]);
    expect(r.status).toBe('cancelled');
  });

  test("when: the run's own pause and resume, each sent once the run's state says so", async () => {
    fs.writeFileSync(
      path.join(dir, 'pausable.yaml'),
      'id: pausable\nversion: 1.0.0\ntasks:\n  - { id: hold, type: wait, wait_for: go }\n  - { id: after, tool: echo, with: done }\n',
    );
    const r = await one(`
definition: pausable.yaml
cases:
  - name: paused while waiting
    interactions:
      - { at: hold, signal: pause, when: "'hold' in waiting.task" }
      - { at: hold, signal: go }
      - { at: hold, signal: resume, when: "status = 'paused' and 'hold' in completed" }
    expect: { output: done, paths: [hold, after] }
`);
    expect(r.failures).toEqual([]);
    expect((await signals(r.workflowId!)).map(([name]) => name)).toEqual(['pause', 'go', 'resume']);
  });

  test('start: a peer started by an interaction, after the interaction before it; the result names its id', async () => {
    const r = await one(`
definition: ${def('handshake-pong')}
cases:
  - name: a wrong ping, then the right one from a peer
    input: { token: t-1 }
    peers:
      ping: { definition: ${def('handshake-ping')}, input: { peer: "\${run.id}", token: t-1 }, start: interaction, expect: { output: { answered: true } } }
    interactions:
      - { at: ping, signal: ping, payload: { token: wrong, reply_to: nobody } }
      - { at: ping, start: ping }
    expect: { output: { sent: true } }
`);
    expect(r.failures).toEqual([]);
    expect(r.peers).toEqual({ ping: `${r.workflowId}-ping` });
    expect(await signals(r.workflowId!)).toEqual([
      ['ping', { token: 'wrong', reply_to: 'nobody' }],
      ['ping', { token: 't-1', reply_to: `${r.workflowId}-ping` }],
    ]);
  });

  test('a `when` that never holds: the interaction was never reached, naming the predicate', async () => {
    const r = await one(`
definition: ${def('hello')}
tool_modules: [examples]
cases:
  - name: never paused
    input: { name: Ada }
    interactions:
      - { at: greet, signal: resume, when: "status = 'paused'" }
`);
    expect(r.failures.map((f) => f.message)).toEqual([
      "interaction 1 (signal 'resume' at 'greet') was never reached: the run completed before `status = 'paused'` held; it never waited for anyone; it ran: greet → count → report",
    ]);
  });

  test("run options: the run's and the peers' workflow ids; definitions' source relative to sourceRoot", async () => {
    const loaded = loadCasesFile(
      write(`definition: ${def('handshake-ping')}
cases:
  - name: ping gets its pong
    peers:
      pong: { definition: ${def('handshake-pong')}, input: { token: t-1 } }
    input: { peer: "\${peers.pong.id}", token: t-1 }
    expect: { output: { answered: true } }
`),
    );
    if (!loaded.ok) throw new Error('invalid cases file');
    const session = await CaseSession.open(loaded.cases, {
      address: env.address,
      workflowBundle: process.env.FLOWSTATE_TEST_BUNDLE!,
      sourceRoot: ROOT,
    });
    const id = `chosen-${Date.now()}`;
    try {
      const r = await session.run(loaded.cases.cases[0], {
        workflowId: id,
        peerIds: { pong: `${id}-other` },
      });
      expect(r.failures).toEqual([]);
      expect([r.workflowId, r.peers]).toEqual([id, { pong: `${id}-other` }]);
    } finally {
      await session.close();
    }
    const history = await env.client.workflow.getHandle(id).fetchHistory();
    const started = history.events![0].workflowExecutionStartedEventAttributes!;
    const input = JSON.parse(Buffer.from(started.input!.payloads![0].data!).toString());
    expect(input.definition.source).toBe('definitions/handshake-ping.yaml');
  });
});

test('time_scale: a 7-day wait finishes in about a second, and the report shows the durations it changed', async () => {
  fs.writeFileSync(
    path.join(dir, 'week.yaml'),
    `id: week
version: 1.0.0
tasks:
  - { id: hold, type: wait, wait_for: go, timeout: 7d, on_timeout: late }
  - { id: on-time, type: aggregate, outputs: { late: false }, final: true }
  - { id: late, type: aggregate, outputs: { late: true } }
`,
  );
  const r = await one(`
definition: week.yaml
cases:
  - name: a week without the signal
    time_scale: 7d -> 1s
    expect:
      output: { late: true }
      paths: [hold, late]
`);
  expect(r.failures).toEqual([]);
  expect(r.durationMs).toBeGreaterThanOrEqual(1_000);
  expect(r.durationMs).toBeLessThan(6_000);
  expect(r.time[0]).toBe('hold timeout 7d → 1s (time_scale 7d -> 1s)');
  expect(formatCase(r)).toMatch(
    /^✓ a week without the signal \(\d\.\d s\)\n {4}time: hold timeout 7d → 1s \(time_scale 7d -> 1s\)/,
  );
});

describe('the CLI', () => {
  function flowstate(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [path.join(ROOT, 'bin/flowstate.js'), ...args],
        {
          cwd: ROOT,
          env: env.processEnv({ FLOWSTATE_LOG_LEVEL: 'error' }),
        },
        (error, stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  test('flowstate test: exit 0 when every case passes; exit 1 with the report when one fails or a file is invalid', async () => {
    const server = ['--address', env.address, '--bundle', process.env.FLOWSTATE_TEST_BUNDLE!];
    const good = write(
      `definition: ${def('hello')}\ntool_modules: [examples]\ncases:\n  - { name: greets, input: { name: Ada }, expect: { output_includes: { words: 2 } } }\n`,
      'cli-good',
    );
    const passed = await flowstate(['test', good, ...server]);
    expect(passed.stderr).toBe('');
    expect(passed.stdout).toMatch(/✓ greets \(\d+(?: ms|\.\d s)\)\n1 case: 1 passed, 0 failed\n$/);
    expect(passed.code).toBe(0);

    const bad = write(
      `definition: ${def('hello')}\ntool_modules: [examples]\ncases:\n  - { name: counts wrong, input: { name: Ada }, expect: { calls: { word-count: 2 } } }\n`,
      'cli-bad',
    );
    const invalid = write(`definition: ${def('hello')}\ncases:\n  - name: x\n    inptu: {}\n`, 'cli-invalid');
    const failed = await flowstate(['test', good, bad, invalid, ...server]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('✗ counts wrong');
    expect(failed.stdout).toContain("1) at 'count': tool 'word-count' was called 1 time, expected 2");
    expect(failed.stdout).toContain(
      `${invalid}:4:5: unknown field 'inptu': did you mean 'input'? (at cases[0].inptu)`,
    );
    expect(failed.stdout).toMatch(/2 cases: 1 passed, 1 failed, 1 invalid cases file\n$/);
  }, 120_000);

  test('flowstate schedule: a Temporal Schedule whose runs are runs of the definition; listed, triggered, deleted', async () => {
    const id = `report-${Date.now()}`;
    const created = await flowstate([
      'schedule',
      'definitions/scheduled-report.yaml',
      '--cron',
      '0 8 * * MON-FRI',
      '--id',
      id,
      '--input',
      '{"team":"payments"}',
    ]);
    expect(created.stderr).toContain(`schedule ${id} runs scheduled-report@1.0.0 on cron '0 8 * * MON-FRI'`);
    expect(created.code).toBe(0);
    expect(created.stdout.trim()).toBe(id);

    const described = await env.client.schedule.getHandle(id).describe();
    expect(described.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'interpret',
      taskQueue: env.taskQueue,
    });
    expect(described.info.nextActionTimes.length).toBeGreaterThan(0);
    const listed = await eventually(
      () => flowstate(['schedule', '--list']),
      (r) => r.stdout.includes(id),
      20_000,
    );
    expect(listed.stdout).toMatch(
      new RegExp(`${id}\\tscheduled-report@1\\.0\\.0\\tcron 0 8 \\* \\* MON-FRI\\tnext \\d{4}-`),
    );

    // Run it now: the run is an ordinary Flowstate run of the definition, on the test worker.
    expect((await flowstate(['schedule', '--trigger', id])).stdout).toContain(`triggered schedule ${id}`);
    const action = await eventually(
      () => env.client.schedule.getHandle(id).describe(),
      (d) => d.info.recentActions.length > 0,
      20_000,
    );
    const workflowId = action.info.recentActions[0].action.workflow.workflowId;
    expect(workflowId.startsWith(id)).toBe(true);
    const { output } = await env.flowstate.result(workflowId);
    expect(output).toMatchObject({ team: 'payments', sent_to: ['team-lead'] });

    expect((await flowstate(['schedule', '--delete', id])).stdout).toContain(`deleted schedule ${id}`);
    await expect(env.client.schedule.getHandle(id).describe()).rejects.toThrow();

    const usage = await flowstate([
      'schedule',
      'definitions/scheduled-report.yaml',
      '--cron',
      '0 8 * * *',
      '--every',
      '1h',
    ]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("give exactly one of --cron '<expr>' or --every <duration>");
  }, 120_000);
});
