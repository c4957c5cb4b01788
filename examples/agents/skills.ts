/**
 * What the example agents do: deterministic functions of their input, so the agent workflows give
 * the same result on every run (and tests can compute what to expect). Real LLM agents replace them
 * by URL in the agents file; the definitions do not change.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';

/** A skill: validates its input (zod) and computes its output. */
export interface Skill<I = any> {
  id: string;
  description: string;
  input: z.ZodType<I>;
  run(input: I): unknown;
}

const skill = <S extends z.ZodType>(s: {
  id: string;
  description: string;
  input: S;
  run(input: z.infer<S>): unknown;
}): Skill<z.infer<S>> => s as unknown as Skill<z.infer<S>>;
const byte = (text: string, i = 0) => createHash('sha256').update(text).digest()[i];

// ---- code-generation ---------------------------------------------------------------------------

const Language = z.enum(['typescript', 'python']);
const Plan = z.object({
  name: z.string(),
  language: Language,
  requirements: z.string(),
  steps: z.array(z.string()),
});
export type Plan = z.infer<typeof Plan>;

/** `plan`: the requirements split into steps, and a function name. */
export const plan = skill({
  id: 'plan',
  description: 'Splits requirements into implementation steps and names the function.',
  input: z.object({ requirements: z.string().min(1), language: Language.nullish() }),
  run: ({ requirements, language }): Plan => {
    const steps = requirements
      .split(/[.;]|,\s*(?:and\s+)?|\s+and\s+/i)
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    const words = (steps[0] ?? 'solve')
      .toLowerCase()
      .split(/\W+/)
      .filter((w) => w && !['a', 'an', 'the', 'of'].includes(w));
    const name = words
      .slice(0, 3)
      .map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1)))
      .join('');
    return { name: name || 'solve', language: language ?? 'typescript', requirements, steps };
  },
});

/** The checks the reviewer asks for, in the order it asks, and how it sees them in code. */
export const REVIEW_CHECKS = [
  {
    check: 'error handling',
    needed: /\b(parse|input|file|read|user|request|network)\b/i,
    present: /throw new Error|raise ValueError/,
  },
  { check: 'tests', needed: /\btests?\b/i, present: /\btest\(|def test_/ },
  { check: 'documentation', needed: /\b(document(ed|ation)?|docs|explain)\b/i, present: /\/\*\*|"""/ },
] as const;

/** Requirements that ask for perfection are never approved: the way to exercise `max_iterations`. */
export const NEVER_SATISFIED = /\bperfect(ly)?\b/i;

/** Checks the reviewer will require for these requirements: one revision each. */
export function requiredChecks(requirements: string): string[] {
  return REVIEW_CHECKS.filter((c) => c.needed.test(requirements)).map((c) => c.check);
}

/** `generate-code`: code for the plan; given the previous code and review feedback, revises it. */
export const generateCode = skill({
  id: 'generate-code',
  description: 'Writes the code of a plan, or revises the previous code to answer review feedback.',
  input: z.object({
    plan: Plan,
    code: z.string().nullish(),
    feedback: z.string().nullish(),
    revision: z.number().int().min(0).default(0),
  }),
  run: ({ plan: p, code, feedback, revision }) => {
    const source = code ?? firstDraft(p);
    return { code: feedback ? revise(source, p, feedback) : source, revision, answered: feedback ?? null };
  },
});

function firstDraft(p: Plan): string {
  const steps = p.steps.map((s, i) => `step ${i + 1}: ${s}`);
  if (p.language === 'python') {
    return [`def ${snake(p.name)}(data):`, ...steps.map((s) => `    # ${s}`), '    return data', ''].join(
      '\n',
    );
  }
  return [
    `export function ${p.name}(input: string): string {`,
    ...steps.map((s) => `  // ${s}`),
    '  return input;',
    '}',
    '',
  ].join('\n');
}

function revise(code: string, p: Plan, feedback: string): string {
  const py = p.language === 'python';
  const fn = py ? snake(p.name) : p.name;
  switch (feedback) {
    case 'add error handling':
      return py
        ? code.replace(/\):\n/, '):\n    if not data:\n        raise ValueError("data is required")\n')
        : code.replace(/\{\n/, "{\n  if (!input) throw new Error('input is required');\n");
    case 'add tests':
      return py
        ? `${code}\ndef test_${fn}():\n    assert ${fn}("a") == "a"\n`
        : `${code}\ntest('${fn}', () => {\n  expect(${fn}('a')).toBe('a');\n});\n`;
    case 'add documentation':
      return py
        ? code.replace(/\):\n/, `):\n    """${p.requirements}"""\n`)
        : `/** ${p.requirements} */\n${code}`;
    default:
      return `${code}${py ? '#' : '//'} TODO: ${feedback}\n`;
  }
}

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** `review-code`: approves the code, or asks for the first missing check (one per review). */
export const reviewCode = skill({
  id: 'review-code',
  description: 'Reviews code against its requirements; asks for one missing thing at a time.',
  input: z.object({ code: z.string(), requirements: z.string() }),
  run: ({ code, requirements }) => {
    const missing = REVIEW_CHECKS.filter((c) => c.needed.test(requirements) && !c.present.test(code)).map(
      (c) => c.check,
    );
    if (missing.length === 0 && !NEVER_SATISFIED.test(requirements))
      return { verdict: 'approved', feedback: null, missing };
    return {
      verdict: 'changes_requested',
      feedback: missing.length > 0 ? `add ${missing[0]}` : 'make it perfect',
      missing,
    };
  },
});

// ---- smart-router ------------------------------------------------------------------------------

export const CATEGORIES = ['bug', 'code', 'docs', 'general'] as const;

/** `classify-request`: a category by keywords (bugs first, then code, then docs). */
export const classifyRequest = skill({
  id: 'classify-request',
  description: 'Classifies a request as bug, code, docs or general.',
  input: z.object({ text: z.string() }),
  run: ({ text }) => {
    const t = text.toLowerCase();
    const category = /crash|error|exception|broken|fails?|bug/.test(t)
      ? 'bug'
      : /write|implement|function|refactor|code/.test(t)
        ? 'code'
        : /document|readme|explain|docs/.test(t)
          ? 'docs'
          : 'general';
    return { category, confidence: category === 'general' ? 0.5 : 0.9 };
  },
});

const Request = z.object({ text: z.string() });

export const codeHelp = skill({
  id: 'code-help',
  description: 'Answers a coding request with an outline.',
  input: Request,
  run: ({ text }) => ({
    specialist: 'code',
    answer: `Outline for "${text}": write a failing test, implement, refactor.`,
  }),
});

export const bugTriage = skill({
  id: 'bug-triage',
  description: 'Triages a bug report: severity and next step.',
  input: Request,
  run: ({ text }) => {
    const severity = /crash|data loss|security/i.test(text) ? 'high' : 'medium';
    return {
      specialist: 'bug',
      severity,
      answer: `Filed as a ${severity} severity bug: "${text}". Next: reproduce it.`,
    };
  },
});

export const docsHelp = skill({
  id: 'docs-help',
  description: 'Points a documentation request to the right page.',
  input: Request,
  run: ({ text }) => ({ specialist: 'docs', answer: `See the docs index for "${text}".` }),
});

export const generalHelp = skill({
  id: 'general-help',
  description: 'Answers anything else.',
  input: Request,
  run: ({ text }) => ({
    specialist: 'general',
    answer: `Thanks for asking: "${text}". A person will follow up.`,
  }),
});

// ---- parallel-analysis ---------------------------------------------------------------------------

const SEVERITIES = ['low', 'medium', 'high'] as const;

/** Findings of one kind for a repository: 1 to 3, with severities, derived from the inputs. */
export function findings(
  repo: string,
  kind: string,
): Array<{ kind: string; severity: string; message: string }> {
  const n = (byte(`${repo}/${kind}`) % 3) + 1;
  return Array.from({ length: n }, (_, i) => ({
    kind,
    severity: SEVERITIES[byte(`${repo}/${kind}`, i + 1) % 3],
    message: `${kind}: ${repo} finding ${i + 1}`,
  }));
}

const Repo = z.object({ repo: z.string().min(1) });
const analyser = (id: string, kind: string, description: string) =>
  skill({
    id,
    description,
    input: Repo,
    run: ({ repo }) => ({ kind, repo, findings: findings(repo, kind) }),
  });

export const securityAnalysis = analyser(
  'security-analysis',
  'security',
  'Looks for security problems in a repository.',
);
export const styleAnalysis = analyser('style-analysis', 'style', 'Looks for style problems in a repository.');
export const dependencyAudit = analyser(
  'dependency-audit',
  'dependencies',
  'Audits the dependencies of a repository.',
);
