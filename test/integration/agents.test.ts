/**
 * The spec's three agent workflows on the real dev server, with the example agents on loopback:
 * outputs, which agent answered each task (`state.meta[path].agent`), fail-over to a second agent
 * when the first is down, a clear error when none is left, and a skill no agent has.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { useTestEnv } from '../harness/env';
import { compileYaml, loadExample } from '../harness/definitions';
import { createAgentCaller, type HttpAgentCaller } from '../../src/agents';
import { startExampleAgents, skills, type ExampleAgents } from '../../examples/agents';

let examples: ExampleAgents;
let caller: HttpAgentCaller;
// The worker starts before the agents do, so it gets a caller that forwards to the real one.
const env = useTestEnv({ agents: { call: (skill, input, call) => caller.call(skill, input, call) } });

beforeAll(async () => {
  examples = await startExampleAgents();
  caller = createAgentCaller(examples.registryFile, { onFailover: () => undefined });
});
afterAll(() => examples?.stop());

async function runExample(name: string, input: unknown) {
  const ref = await env.start(await loadExample(name), input);
  return {
    ...(await env.flowstate.result(ref.workflowId)),
    state: await env.flowstate.state(ref.workflowId),
    workflowId: ref.workflowId,
  };
}

/** Start a run and return how it failed: the cause's type and message, and the run's id. */
async function failedRun(definition: Parameters<typeof env.start>[0], input: unknown) {
  const ref = await env.start(definition, input);
  const error = await env.flowstate.result(ref.workflowId).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowFailedError);
  const cause = (error as WorkflowFailedError).cause as { type?: string; message: string };
  return { type: cause.type, message: cause.message, workflowId: ref.workflowId };
}

/** Attempts of the activities that failed in a run, from its history (attempt number, retryable?). */
async function failedAttempts(workflowId: string) {
  const events = (await env.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const byId = new Map(events.map((e) => [String(e.eventId), e]));
  return events
    .filter((e) => e.activityTaskFailedEventAttributes)
    .map((e) => {
      const a = e.activityTaskFailedEventAttributes!;
      const started = byId.get(String(a.startedEventId))?.activityTaskStartedEventAttributes;
      return {
        attempt: started?.attempt,
        type: a.failure?.applicationFailureInfo?.type,
        nonRetryable: !!a.failure?.applicationFailureInfo?.nonRetryable,
      };
    });
}

describe('code-generation: plan → generate → review, revised until approved', () => {
  test('the sample input needs two revisions (error handling, then tests)', async () => {
    const requirements = 'Parse a CSV file and sum a column, with tests';
    const { output, state } = await runExample('code-generation', { requirements, language: 'typescript' });
    expect(output).toMatchObject({
      function: 'parseCsvFile',
      language: 'typescript',
      revisions: 2,
      review_feedback: ['add error handling', 'add tests', null],
    });
    const code = (output as { code: string }).code;
    expect(code).toContain("if (!input) throw new Error('input is required');");
    expect(code).toContain("test('parseCsvFile'");
    // The loop ran three passes; the reviewer approved the third.
    expect(state.outputs['develop[2]/review']).toEqual({ verdict: 'approved', feedback: null, missing: [] });
    expect(state.outputs['develop[3]/review']).toBeUndefined();
    expect(state.meta['plan']).toEqual({ agent: 'planner' });
    for (const pass of [0, 1, 2]) {
      expect(state.meta[`develop[${pass}]/generate`]).toEqual({ agent: 'coder' });
      expect(state.meta[`develop[${pass}]/review`]).toEqual({ agent: 'reviewer' });
    }
    expect(state.meta['result']).toBeUndefined();
  });

  test('python, and requirements needing no revision', async () => {
    const { output } = await runExample('code-generation', {
      requirements: 'Add two numbers',
      language: 'python',
    });
    expect(output).toEqual({
      function: 'addTwoNumbers',
      language: 'python',
      code: 'def add_two_numbers(data):\n    # step 1: Add two numbers\n    return data\n',
      revisions: 0,
      review_feedback: [null],
    });
  });

  test('a review that never approves stops at max_iterations with a clear error', async () => {
    const failure = await failedRun(await loadExample('code-generation'), {
      requirements: 'Write a perfect parser',
    });
    expect(failure).toMatchObject({
      type: 'MaxIterationsExceeded',
      message:
        'develop: until (tasks.review.output.verdict = "approved") was still false after max_iterations (4) passes (on_exhausted: continue makes a loop that runs out succeed with its passes)',
    });
  });
});

describe('smart-router: classify, then route to a specialist agent', () => {
  test.each([
    ['The upload page crashes when the file is empty', 'bug', 'triage', 'bug-specialist', skills.bugTriage],
    ['Write a function that reverses a list', 'code', 'coder', 'code-specialist', skills.codeHelp],
    ['Where is the README for the CLI?', 'docs', 'writer', 'docs-specialist', skills.docsHelp],
  ])('%s → %s', async (request, category, task, agent, skill) => {
    const { output, state } = await runExample('smart-router', { request });
    expect(output).toEqual({ category, route: category, answer: skill.run({ text: request }) });
    expect(state.completed).toEqual(['classify', `route/${task}`, 'route', 'reply']);
    expect(state.meta['classify']).toEqual({ agent: 'classifier' });
    expect(state.meta[`route/${task}`]).toEqual({ agent });
  });

  test('anything else takes the default route, to an A2A agent found by its agent card', async () => {
    const request = 'What are your opening hours?';
    const before = examples.agents.generalist.calls.length;
    const { output, state } = await runExample('smart-router', { request });
    expect(output).toEqual({
      category: 'general',
      route: 'default',
      answer: skills.generalHelp.run({ text: request }),
    });
    expect(state.meta['route/generalist']).toEqual({ agent: 'generalist' });
    expect(examples.agents.generalist.calls.slice(before)).toEqual([
      expect.objectContaining({ protocol: 'a2a', skill: 'general-help', task: 'route/generalist' }),
    ]);
  });
});

describe('parallel-analysis-agents: three analyses at once, aggregated', () => {
  const repo = 'acme/checkout';
  const expected = () => {
    const findings = [
      ...skills.findings(repo, 'security'),
      ...skills.findings(repo, 'style'),
      ...skills.findings(repo, 'dependencies'),
    ];
    return {
      repo,
      findings,
      count: findings.length,
      high: findings.filter((f) => f.severity === 'high').length,
    };
  };

  test('every analyser answers; the primary security agent is chosen first', async () => {
    const { output, state } = await runExample('parallel-analysis-agents', { repo });
    expect(output).toEqual(expected());
    expect(state.meta['analyse/security']).toEqual({ agent: 'security-primary' });
    expect(state.meta['analyse/style']).toEqual({ agent: 'style-analyser' });
    expect(state.meta['analyse/deps']).toEqual({ agent: 'dependency-auditor' });
  });

  describe('with agents down', () => {
    afterEach(async () => {
      await examples.startAgent('security-primary');
      await examples.startAgent('security-backup');
    });

    test('the primary down: the backup answers, in the same attempt', async () => {
      await examples.stopAgent('security-primary');
      const { output, state, workflowId } = await runExample('parallel-analysis-agents', { repo });
      expect(output).toEqual(expected());
      expect(state.meta['analyse/security']).toEqual({ agent: 'security-backup' });
      expect(examples.agents['security-backup'].calls).toEqual([
        expect.objectContaining({ task: 'analyse/security' }),
      ]);
      expect(await failedAttempts(workflowId)).toEqual([]);
    });

    test('both down: AgentUnavailable naming the skill and each agent, after the task’s retries', async () => {
      await examples.stopAgent('security-primary');
      await examples.stopAgent('security-backup');
      const failure = await failedRun(await loadExample('parallel-analysis-agents'), { repo });
      expect(failure.type).toBe('AgentUnavailable');
      const file = examples.registryFile.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      expect(failure.message).toMatch(
        new RegExp(
          `analyse/security: no agent with skill 'security-analysis' in ${file} could be reached: ` +
            `security-primary \\(http://127\\.0\\.0\\.1:\\d+/\\): connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+; ` +
            `security-backup \\(http://127\\.0\\.0\\.1:\\d+/\\): connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+$`,
        ),
      );
      // Retryable: the default policy's three attempts were made.
      expect(await failedAttempts(failure.workflowId)).toEqual([
        { attempt: 3, type: 'AgentUnavailable', nonRetryable: false },
      ]);
    });

    test('both down, then one comes back: the retry finds it', async () => {
      await examples.stopAgent('security-primary');
      await examples.stopAgent('security-backup');
      const ref = await env.start(await loadExample('parallel-analysis-agents'), { repo });
      // The first attempt fails at once; the retry comes a second later.
      setTimeout(() => void examples.startAgent('security-backup'), 300);
      const { output } = await env.flowstate.result(ref.workflowId);
      expect(output).toEqual(expected());
      expect((await env.flowstate.state(ref.workflowId)).meta['analyse/security']).toEqual({
        agent: 'security-backup',
      });
    });
  });
});

test('a skill no agent has: AgentNotFound, not retried, naming the task, the skill and the agents file', async () => {
  const def = compileYaml(`
id: poetry
version: 1.0.0
tasks:
  - id: draft
    agent: plan
    with: { requirements: "Write a poem" }
  - id: poem
    agent: translate-poetry
    with: { text: "{{ tasks.draft.output.requirements }}" }
`);
  const failure = await failedRun(def, {});
  expect(failure.type).toBe('AgentNotFound');
  expect(failure.message).toBe(
    `poem: no agent has skill 'translate-poetry' in ${examples.registryFile} (skills there: bug-triage, classify-request, code-help, ` +
      `dependency-audit, docs-help, general-help, generate-code, plan, review-code, security-analysis, style-analysis); ` +
      "add an agent with that skill or fix the task's `agent:`",
  );
  expect(await failedAttempts(failure.workflowId)).toEqual([
    { attempt: 1, type: 'AgentNotFound', nonRetryable: true },
  ]);
});
