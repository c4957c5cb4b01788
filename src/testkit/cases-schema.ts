/**
 * The format of cases files (`*.cases.yaml`) as zod schemas: stubs, interactions, expectations, cases
 * and the document. Loading and resolving a file is cases.ts; the format is described in
 * docs/testing.md.
 */
import { z } from 'zod';
import { Duration } from '../contract/fields';
import { EVENT_TYPES } from '../events/types';

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
  .strictObject({
    when: z.string().min(1).describe("expression over input (the call's input) and call"),
    ...resultFields,
  })
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
      .describe("results by input: the first entry whose `when` holds answers; else the stub's own result"),
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

/** Secret stubs: what `{{ secrets.NAME }}` reads in the case's runs, instead of the worker's environment. */
const SecretStubs = z
  .record(
    z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a secret name: letters, digits and _'),
    z.string().min(1),
  )
  .describe('secret stubs by name: what {{ secrets.NAME }} reads (redacted to *** like real ones)');

// ---- Interactions ---------------------------------------------------------------------------------

const Interaction = z
  .strictObject({
    at: z.string().min(1).describe('task path that waits, e.g. draft or architecture[epic-1]'),
    decide: z.enum(['approve', 'reject']).optional(),
    by: z.string().min(1).optional().describe("who decides (default: the gate's first acceptor)"),
    comment: z.string().optional(),
    signal: z.string().min(1).optional().describe('signal name the task waits for'),
    update: z.string().min(1).optional().describe('update name the task waits for'),
    payload: z.unknown().optional(),
    refused: z
      .string()
      .optional()
      .describe('the decision or update must be refused with a message holding this'),
    reply: z.unknown().optional().describe("the update's reply must include this"),
    cancel: z.literal(true).optional().describe('cancel the run, as `flowstate cancel` does'),
    start: z.string().min(1).optional().describe('start this peer (one with `start: interaction`)'),
    when: z
      .string()
      .min(1)
      .optional()
      .describe("JSONata over the run's state: wait until it holds instead of until `at` waits"),
  })
  .superRefine((i, ctx) => {
    const kinds = (['decide', 'signal', 'update', 'cancel', 'start'] as const).filter(
      (k) => i[k] !== undefined,
    );
    if (kinds.length !== 1) {
      const message =
        kinds.length === 0
          ? 'an interaction needs one of decide (approve|reject), signal (a name), update (a name), cancel (true) or start (a peer)'
          : `an interaction does one thing: ${kinds.join(' or ')}, not both`;
      ctx.addIssue({ code: 'custom', message, path: kinds.length ? [kinds[1]] : [] });
      return;
    }
    const only = (field: 'by' | 'comment' | 'payload' | 'refused' | 'reply', allowed: string[]) => {
      if (i[field] !== undefined && !allowed.includes(kinds[0]))
        ctx.addIssue({
          code: 'custom',
          message: `${field} goes with ${allowed.join(' or ')}, not ${kinds[0]}`,
          path: [field],
        });
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
    status: z.enum(['completed', 'failed', 'cancelled']).optional(),
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
      ctx.addIssue({
        code: 'custom',
        message: 'error expects a failed run: drop status: completed',
        path: ['error'],
      });
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
  start: z
    .enum(['before', 'after', 'interaction'])
    .default('before')
    .describe("started before or after the case's run, or by an interaction (`start: <peer>`)"),
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
  secrets: SecretStubs.optional(),
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
  redrive: z
    .literal(true)
    .optional()
    .describe(
      'redrive the run once it failed (stubs go on: fail first with a sequence); expect is about the redrive',
    ),
  skip: z.union([z.boolean(), z.string()]).optional(),
  expect: Expect.optional(),
});
export type CaseSpec = z.output<typeof Case>;

export const CasesDocument = z.strictObject({
  description: z.string().optional(),
  definition: z.string().min(1).optional().describe('default definition of the cases'),
  tool_modules: z
    .union([z.string().min(1), z.array(z.string().min(1))])
    .optional()
    .describe('real tools for the worker: `examples` or modules exporting `tools`'),
  tools: Stubs.optional().describe("tool stubs every case gets (a case's own stub of the same name wins)"),
  agents: Stubs.optional(),
  secrets: SecretStubs.optional().describe(
    "secret stubs every case gets (a case's own of the same name wins)",
  ),
  time_scale: TimeScale.optional(),
  timeout: Duration.optional(),
  cases: z.array(Case).min(1, 'a cases file needs at least one case under cases'),
});
export type CasesDocument = z.output<typeof CasesDocument>;
