/**
 * Cases files (`*.cases.yaml`): what a test of a definition says. Read with the DSL's YAML reader, so
 * every mistake is reported as `file:line:col: message (at cases[2].expect.calls)`, like a definition's.
 * See docs/testing.md for the format.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { Duration, durationMs } from '../contract/fields';
import { EVENT_TYPES } from '../events/types';
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from '../dsl/diagnostics';
import { parseWithProblems, type Problem } from '../dsl/issues';
import { formatPath, type DocPath } from '../dsl/paths';
import { parseSource, type Anchor, type Position } from '../dsl/source';

// ---- Stubs ----------------------------------------------------------------------------------------

const StubError = z
  .strictObject({
    type: z.string().min(1).describe('error type, as `on_error` and `retry.non_retryable` see it'),
    message: z.string().optional(),
    non_retryable: z.boolean().default(false).describe('true: no retry, whatever the task says'),
  })
  .describe('the call fails with this error');

const resultFields = {
  output: z.unknown().optional(),
  error: StubError.optional(),
  delay: Duration.optional().describe('time the call takes (scaled by time_scale)'),
};

const oneOutcome = (r: { output?: unknown; error?: unknown }, ctx: z.RefinementCtx) => {
  if (r.output !== undefined && r.error !== undefined)
    ctx.addIssue({ code: 'custom', message: 'a stub has output or error, not both', path: ['error'] });
};

/** One result of a stubbed call: an output (strings may hold `{{ }}` over `input` and `call`), or an error. */
const StubResult = z.strictObject(resultFields).superRefine(oneOutcome);

/** A result for the calls whose input matches `when` (a JSONata expression over `input` and `call`). */
const StubMatch = z
  .strictObject({ when: z.string().min(1).describe('expression over input (the call\'s input) and call'), ...resultFields })
  .superRefine(oneOutcome);

const StubSchema = z
  .strictObject({
    ...resultFields,
    sequence: z
      .array(StubResult)
      .min(1, 'sequence needs at least one result')
      .optional()
      .describe('one result per call, in order; the last one repeats'),
    match: z
      .array(StubMatch)
      .min(1)
      .optional()
      .describe('results by input: the first entry whose `when` holds answers; else the stub\'s own result'),
  })
  .superRefine((s, ctx) => {
    oneOutcome(s, ctx);
    if (s.sequence && (s.output !== undefined || s.error !== undefined))
      ctx.addIssue({
        code: 'custom',
        message: 'a stub has a sequence of results, or one output or error, not both',
        path: ['sequence'],
      });
  });

export type StubErrorSpec = z.output<typeof StubError>;
export type StubResultSpec = z.output<typeof StubResult>;
export type StubSpec = z.output<typeof StubSchema>;

/** Tool stubs by tool name, or agent stubs by skill. */
const Stubs = z.record(z.string().min(1), StubSchema);

// ---- Interactions ---------------------------------------------------------------------------------

const Interaction = z
  .strictObject({
    at: z.string().min(1).describe('task path that waits, e.g. draft or architecture[epic-1]'),
    decide: z.enum(['approve', 'reject']).optional(),
    by: z.string().min(1).optional().describe('who decides (default: the gate\'s first acceptor)'),
    comment: z.string().optional(),
    signal: z.string().min(1).optional().describe('signal name the task waits for'),
    update: z.string().min(1).optional().describe('update name the task waits for'),
    payload: z.unknown().optional(),
    refused: z.string().optional().describe('the decision or update must be refused with a message holding this'),
    reply: z.unknown().optional().describe("the update's reply must include this"),
  })
  .superRefine((i, ctx) => {
    const kinds = (['decide', 'signal', 'update'] as const).filter((k) => i[k] !== undefined);
    if (kinds.length !== 1) {
      const message =
        kinds.length === 0
          ? 'an interaction needs one of decide (approve|reject), signal (a name) or update (a name)'
          : `an interaction does one thing: ${kinds.join(' or ')}, not both`;
      ctx.addIssue({ code: 'custom', message, path: kinds.length ? [kinds[1]] : [] });
      return;
    }
    const only = (field: 'by' | 'comment' | 'payload' | 'refused' | 'reply', allowed: string[]) => {
      if (i[field] !== undefined && !allowed.includes(kinds[0]))
        ctx.addIssue({ code: 'custom', message: `${field} goes with ${allowed.join(' or ')}, not ${kinds[0]}`, path: [field] });
    };
    only('by', ['decide']);
    only('comment', ['decide']);
    only('payload', ['signal', 'update']);
    only('refused', ['decide', 'update']);
    only('reply', ['update']);
  });
export type InteractionSpec = z.output<typeof Interaction>;

// ---- Expectations ---------------------------------------------------------------------------------

const PathStep = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

const Expect = z
  .strictObject({
    status: z.enum(['completed', 'failed']).optional(),
    output: z.unknown().optional().describe('the run output, deep-equal'),
    output_includes: z.unknown().optional().describe('the run output contains this (objects: these keys)'),
    output_matches: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .optional()
      .describe('JSONata predicates over output, outputs, paths, decisions, calls'),
    error: z
      .strictObject({
        type: z.string().min(1).optional(),
        message_includes: z.string().optional(),
        task: z.string().min(1).optional().describe('task path that failed'),
      })
      .optional(),
    paths: z
      .array(PathStep)
      .optional()
      .describe('completed task paths in order; a list inside is a group in any order (parallel branches)'),
    not_paths: z.array(z.string().min(1)).optional().describe('task paths that must not complete'),
    outputs: z.record(z.string(), z.unknown()).optional().describe('outputs of task paths, deep-equal'),
    calls: z
      .record(z.string(), z.number().int().min(0))
      .optional()
      .describe('calls per tool (`agent:<skill>` for agents), retries included'),
    decisions: z
      .array(
        z.strictObject({
          gate: z.string().min(1),
          decision: z.enum(['approve', 'reject']),
          by: z.string().min(1).optional(),
        }),
      )
      .optional(),
    events: z
      .array(
        z.strictObject({
          type: z.enum(EVENT_TYPES),
          path: z.string().min(1).optional(),
          data: z.record(z.string(), z.unknown()).optional().describe("the event's data includes this"),
        }),
      )
      .optional()
      .describe('lifecycle events that must occur in this order (others may come between)'),
  })
  .superRefine((e, ctx) => {
    if (e.error && e.status === 'completed')
      ctx.addIssue({ code: 'custom', message: 'error expects a failed run: drop status: completed', path: ['error'] });
  });
export type ExpectSpec = z.output<typeof Expect>;

// ---- Cases ----------------------------------------------------------------------------------------

/** `0.001`, or `7d -> 1s`: how much faster than written the definition's waits and timeouts run. */
const TimeScale = z.union([
  z.number().positive('time_scale must be above 0'),
  z
    .string()
    .regex(
      /^\s*\d+(\.\d+)?(ms|s|m|h|d)\s*->\s*\d+(\.\d+)?(ms|s|m|h|d)\s*$/,
      "expected a number (0.001) or '<duration> -> <duration>', e.g. '7d -> 1s'",
    ),
]);

const Peer = z.strictObject({
  definition: z.string().min(1).describe('definition file, relative to the cases file'),
  input: z.unknown().optional(),
  start: z.enum(['before', 'after']).default('before').describe('started before or after the case\'s run'),
  expect: Expect.optional(),
});
export type PeerSpec = z.output<typeof Peer>;

const Case = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  definition: z.string().min(1).optional().describe('definition file, relative to the cases file'),
  input: z.unknown().optional(),
  input_file: z.string().min(1).optional(),
  tools: Stubs.optional().describe('tool stubs by tool name'),
  agents: Stubs.optional().describe('agent stubs by skill'),
  interactions: z.array(Interaction).optional(),
  time_scale: TimeScale.optional(),
  durations: z
    .record(z.string().min(1), z.record(z.string().min(1), Duration))
    .optional()
    .describe('per task: duration fields set to these values (e.g. { draft: { acceptance.timeout: 1s } })'),
  peers: z
    .record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'a peer name: lowercase letters, digits and -'), Peer)
    .optional(),
  timeout: Duration.optional().describe('real time the case may take (default 60s)'),
  skip: z.union([z.boolean(), z.string()]).optional(),
  expect: Expect.optional(),
});
export type CaseSpec = z.output<typeof Case>;

const CasesDocument = z.strictObject({
  description: z.string().optional(),
  definition: z.string().min(1).optional().describe('default definition of the cases'),
  tool_modules: z
    .union([z.string().min(1), z.array(z.string().min(1))])
    .optional()
    .describe('real tools for the worker: `examples` or modules exporting `tools`'),
  tools: Stubs.optional().describe('tool stubs every case gets (a case\'s own stub of the same name wins)'),
  agents: Stubs.optional(),
  time_scale: TimeScale.optional(),
  timeout: Duration.optional(),
  cases: z.array(Case).min(1, 'a cases file needs at least one case under cases'),
});
export type CasesDocument = z.output<typeof CasesDocument>;

// ---- Loading --------------------------------------------------------------------------------------

/** One case, ready to run: file-level defaults applied, paths resolved. */
export interface ResolvedCase {
  name: string;
  description?: string;
  /** The cases file and the case's line in it. */
  file: string;
  line: number;
  /** Index in `cases`, for positions of its fields. */
  index: number;
  definition: string;
  input: unknown;
  /** Stubs: the file's, then the case's own (which win). */
  tools: Record<string, StubSpec>;
  agents: Record<string, StubSpec>;
  /** Names the case itself stubs (checked against what its definition calls). */
  ownTools: string[];
  ownAgents: string[];
  interactions: InteractionSpec[];
  timeScale?: { factor: number; text: string };
  durations: Record<string, Record<string, string>>;
  peers: Record<string, PeerSpec & { definition: string }>;
  timeoutMs: number;
  skip?: string;
  expect: ExpectSpec;
  /** `file:line:col` of a field of this case, e.g. `['interactions', 1, 'at']`. */
  where(path: DocPath, anchor?: Anchor): string;
}

export interface CasesFile {
  file: string;
  description?: string;
  /** Modules of real tools (`examples` or absolute paths). */
  toolModules: string[];
  cases: ResolvedCase[];
}

export type LoadCasesResult = { ok: true; cases: CasesFile } | { ok: false; errors: Diagnostic[] };

/** A cases file could not be read: the message lists every `file:line:col` problem. */
export class CasesFileError extends Error {
  override readonly name = 'CasesFileError';
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
  }
}

export const DEFAULT_CASE_TIMEOUT_MS = 60_000;

/** Read and check a cases file (synchronously, so a Jest `describe` can list its cases). */
export function loadCasesFile(file: string): LoadCasesResult {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    return { ok: false, errors: [diagnostic(file, { line: 1, col: 1 }, [], `cannot read ${file}: ${reason}`)] };
  }
  return loadCasesText(text, file);
}

/** Check cases text; `file` names it in diagnostics and is where relative paths start. */
export function loadCasesText(text: string, file: string): LoadCasesResult {
  const parsed = parseSource(text);
  if (!parsed.ok) {
    // One YAML mistake makes the parser report every token after it: the first few say enough.
    const errors: Diagnostic[] = parsed.errors.slice(0, 3).map((e) => ({ file, path: '', ...e }));
    const more = parsed.errors.length - errors.length;
    if (more > 0) errors[errors.length - 1] = { ...errors[errors.length - 1], message: `${errors[errors.length - 1].message} (and ${more} more YAML errors after it)` };
    return { ok: false, errors };
  }
  const { source } = parsed;
  const at = (p: Problem) => diagnostic(file, source.locate(p.path, p.anchor), p.path, p.message);
  const validated = parseWithProblems(CasesDocument, source.value, 'a cases file');
  if (!validated.ok) return { ok: false, errors: sortDiagnostics(validated.problems.map(at)) };
  const doc = validated.data;
  const dir = path.dirname(file);
  const problems: Problem[] = [];
  const names = new Map<string, number>();
  const cases: ResolvedCase[] = [];
  const fileScale = doc.time_scale === undefined ? undefined : timeScale(doc.time_scale);

  doc.cases.forEach((c, index) => {
    const here = (...p: Array<string | number>): DocPath => ['cases', index, ...p];
    const seen = names.get(c.name);
    if (seen !== undefined)
      problems.push({ path: here('name'), anchor: 'value', message: `case name '${c.name}' is used twice (also cases[${seen}])` });
    names.set(c.name, index);
    const definition = c.definition ?? doc.definition;
    if (!definition) {
      problems.push({ path: here(), anchor: 'value', message: "missing field 'definition': give it here or at the top of the file" });
      return;
    }
    if (c.input !== undefined && c.input_file !== undefined)
      problems.push({ path: here('input_file'), anchor: 'key', message: 'a case has input or input_file, not both' });
    let input: unknown = c.input ?? {};
    if (c.input_file !== undefined) {
      try {
        input = JSON.parse(fs.readFileSync(path.resolve(dir, c.input_file), 'utf8'));
      } catch (e) {
        problems.push({ path: here('input_file'), anchor: 'value', message: `cannot read input_file ${c.input_file}: ${(e as Error).message}` });
      }
    }
    const expect: ExpectSpec = c.expect ?? {};
    cases.push({
      name: c.name,
      ...(c.description !== undefined ? { description: c.description } : {}),
      file,
      line: source.locate(here()).line,
      index,
      definition: path.resolve(dir, definition),
      input,
      tools: { ...doc.tools, ...c.tools },
      agents: { ...doc.agents, ...c.agents },
      ownTools: Object.keys(c.tools ?? {}),
      ownAgents: Object.keys(c.agents ?? {}),
      interactions: c.interactions ?? [],
      ...(c.time_scale !== undefined ? { timeScale: timeScale(c.time_scale) } : fileScale ? { timeScale: fileScale } : {}),
      durations: c.durations ?? {},
      peers: Object.fromEntries(
        Object.entries(c.peers ?? {}).map(([name, p]) => [name, { ...p, definition: path.resolve(dir, p.definition) }]),
      ),
      timeoutMs: durationMs(c.timeout ?? doc.timeout ?? '60s'),
      ...(c.skip !== undefined && c.skip !== false ? { skip: c.skip === true ? 'skipped' : c.skip } : {}),
      expect,
      where: (p, anchor = 'value') => {
        const pos = source.locate(here(...p), anchor);
        return `${file}:${pos.line}:${pos.col}`;
      },
    });
  });
  if (problems.length > 0) return { ok: false, errors: sortDiagnostics(problems.map(at)) };
  const modules = doc.tool_modules === undefined ? [] : Array.isArray(doc.tool_modules) ? doc.tool_modules : [doc.tool_modules];
  return {
    ok: true,
    cases: {
      file,
      ...(doc.description !== undefined ? { description: doc.description } : {}),
      toolModules: modules.map((m) => (m === EXAMPLE_TOOLS ? m : path.resolve(dir, m))),
      cases,
    },
  };
}

/** `tool_modules: examples` names the example tools of `examples/tools`. */
export const EXAMPLE_TOOLS = 'examples';

/** A time scale as a factor and as written. */
export function timeScale(value: number | string): { factor: number; text: string } {
  if (typeof value === 'number') return { factor: value, text: String(value) };
  const [from, to] = value.split('->').map((s) => s.trim());
  return { factor: durationMs(to) / durationMs(from), text: `${from} -> ${to}` };
}

function diagnostic(file: string, pos: Position, docPath: DocPath, message: string): Diagnostic {
  return { file, line: pos.line, col: pos.col, path: formatPath(docPath), message, severity: 'error' };
}
