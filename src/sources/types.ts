/**
 * The source-parser contract of spec-driven runs: a parser turns a planning document (markdown task
 * lists, specs...) into phases, their tasks, each task's acceptance criteria, each phase's validation
 * gate and the dependencies between them. Every shape here is a zod schema, so a parse result can be
 * validated after it crossed a process boundary; the TypeScript types are inferred from them.
 */
import { z } from 'zod';

/** A 1-based line number in the parsed text. */
const Line = z.number().int().min(1);

/** A checklist item: an acceptance criterion of a task, or an item of a phase's validation gate. */
export const Criterion = z.object({
  text: z.string(),
  /** True for a ticked checkbox (`- [x]`); false for `- [ ]` and for items written without a box. */
  done: z.boolean(),
  line: Line,
});
export type Criterion = z.infer<typeof Criterion>;

/** An estimated time as written (`4-5 hours`), with its range in minutes when the text has a unit. */
export const Estimate = z.object({
  text: z.string(),
  minutes: z.object({ min: z.number().min(0), max: z.number().min(0) }).optional(),
});
export type Estimate = z.infer<typeof Estimate>;

export const Task = z.object({
  /** As written in the document (`1.1`, `8.11`, `3`), or `<phase id>.<n>` for a task written without one. */
  id: z.string().min(1),
  title: z.string().min(1),
  /** A ticked task checkbox; for a task heading, true when it has criteria and all are ticked. */
  done: z.boolean(),
  description: z.string().optional(),
  estimate: Estimate.optional(),
  /** Ids of the tasks this one depends on, resolved (ranges and whole phases expanded), in document order. */
  dependencies: z.array(z.string()),
  criteria: z.array(Criterion),
  line: Line,
});
export type Task = z.infer<typeof Task>;

export const Phase = z.object({
  /** The number in the phase heading as written (`1`, `8`, `3.3`). */
  id: z.string().min(1),
  number: z.number(),
  name: z.string().min(1),
  /** The first paragraph of prose in the phase, before its first task; empty when there is none. */
  description: z.string(),
  goal: z.string().optional(),
  estimate: Estimate.optional(),
  tasks: z.array(Task),
  /** What must hold before the phase counts as complete (`Validation Gate`, `Validation`, ...). */
  gate: z.array(Criterion),
  /** Ids of the phases this one depends on. */
  dependencies: z.array(z.string()),
  line: Line,
});
export type Phase = z.infer<typeof Phase>;

export const SourceDocument = z.object({
  /** The document's level-1 title, or empty when it has none. */
  title: z.string(),
  phases: z.array(Phase),
});
export type SourceDocument = z.infer<typeof SourceDocument>;

/** An error or warning, at the line it is about. */
export const Issue = z.object({ line: Line, message: z.string().min(1) });
export type Issue = z.infer<typeof Issue>;

/**
 * What a parser returns. `ok` is true exactly when there are no errors, and `document` is present
 * exactly when `ok` is true; warnings (a guess the parser made, text it skipped) never block.
 */
export const ParseResult = z.object({
  ok: z.boolean(),
  /** The `file` option, echoed so issues can be reported as `file:line: message`. */
  file: z.string().optional(),
  document: SourceDocument.optional(),
  /** Sorted by line. */
  errors: z.array(Issue),
  /** Sorted by line. */
  warnings: z.array(Issue),
});
export type ParseResult = z.infer<typeof ParseResult>;

export interface ParseOptions {
  /** Where the text came from; only echoed in the result. */
  file?: string;
}

/** Reads one kind of planning document. Implementations never throw, whatever the text. */
export interface SourceParser {
  /** The name the registry knows the parser by, e.g. `spec-tasks`. */
  readonly name: string;
  parse(text: string, options?: ParseOptions): ParseResult;
}
