/** The example agents' skills are deterministic and do what the agent workflows rely on. */
import { skills } from '../../../examples/agents';

const { plan, generateCode, reviewCode, requiredChecks, classifyRequest, findings } = skills;

/** The code-generation loop without Temporal: generate, review, revise until approved (at most `max`). */
function develop(requirements: string, language: 'typescript' | 'python' = 'typescript', max = 6) {
  const p = plan.run({ requirements, language }) as skills.Plan;
  const passes: Array<{ code: string; verdict: string; feedback: string | null }> = [];
  for (let index = 0; index < max; index++) {
    const prev = passes[index - 1];
    const { code } = generateCode.run({
      plan: p,
      code: prev?.code ?? null,
      feedback: prev?.feedback ?? null,
      revision: index,
    }) as { code: string };
    const review = reviewCode.run({ code, requirements }) as { verdict: string; feedback: string | null };
    passes.push({ code, ...review });
    if (review.verdict === 'approved') break;
  }
  return { plan: p, passes };
}

describe('code generation agents', () => {
  test('the planner splits requirements into steps and names the function', () => {
    expect(plan.run({ requirements: 'Parse a CSV file and sum a column, with tests' })).toEqual({
      name: 'parseCsvFile',
      language: 'typescript',
      requirements: 'Parse a CSV file and sum a column, with tests',
      steps: ['Parse a CSV file', 'sum a column', 'with tests'],
    });
  });

  test.each([
    ['Add two numbers', []],
    ['Parse a CSV file and sum a column, with tests', ['error handling', 'tests']],
    ['Read a config file, with tests and documentation', ['error handling', 'tests', 'documentation']],
  ])('"%s": one revision per required check (%j), then approved', (requirements, checks) => {
    expect(requiredChecks(requirements)).toEqual(checks);
    for (const language of ['typescript', 'python'] as const) {
      const { passes } = develop(requirements, language);
      expect(passes.map((p) => p.feedback)).toEqual([...checks.map((c) => `add ${c}`), null]);
      expect(passes.at(-1)!.verdict).toBe('approved');
    }
  });

  test('the revised code answers each review', () => {
    const { passes } = develop('Parse a CSV file and sum a column, with tests');
    const code = passes.at(-1)!.code;
    expect(code).toContain("if (!input) throw new Error('input is required');");
    expect(code).toContain("test('parseCsvFile'");
    expect(code).toContain('// step 2: sum a column');
  });

  test('"perfect" requirements are never approved', () => {
    const { passes } = develop('Write a perfect parser', 'typescript', 5);
    expect(passes.map((p) => p.verdict)).toEqual(Array(5).fill('changes_requested'));
  });
});

test('the classifier: bugs first, then code, then docs, else general', () => {
  const category = (text: string) => (classifyRequest.run({ text }) as { category: string }).category;
  expect(category('The upload page crashes when the file is empty')).toBe('bug');
  expect(category('Write a function that reverses a list')).toBe('code');
  expect(category('Where is the README for the CLI?')).toBe('docs');
  expect(category('What are your opening hours?')).toBe('general');
});

test('analysers: 1 to 3 findings, the same for the same input', () => {
  for (const repo of ['acme/payments', 'acme/web', 'x/y']) {
    const f = findings(repo, 'security');
    expect(f.length).toBeGreaterThanOrEqual(1);
    expect(f.length).toBeLessThanOrEqual(3);
    expect(findings(repo, 'security')).toEqual(f);
  }
});
