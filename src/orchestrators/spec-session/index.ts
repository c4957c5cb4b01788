import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AwaitUpdateDirective, Directive, Json } from '../../contract/directive';
import type { Orchestrator, TaskContext } from '../../contract/orchestrator';
import { fail } from '../shared';
import { findSourceParser, sourceParserNames } from '../../sources/registry';
import { dynamicForm } from './dynamic';
import { HELPERS } from './format';
import { checkEvidence, refusalMessage } from './evidence';
import { COMPLETE_PHASE, SPEC_SESSION_TYPE } from './names';
import { checkSpecSession, specSessionFields, type SpecSessionSpec } from './schema';
import {
  dependencyProblems,
  openDependencies,
  sessionOutput,
  templatesOf,
  viewsOf,
  type SessionState,
} from './session';

export { COMPLETE_PHASE, VIEWS } from './names';

/** Issues listed in a failure before `... and N more`. */
const MAX_LISTED = 20;

/**
 * spec-session: a spec-driven run. At start the planning document (`source`: an expression giving its
 * text, or a file on the worker) is parsed with a registered parser (`spec-tasks`), so the run is
 * pinned to what it parsed; then each phase in turn waits for the `complete-phase` update, whose
 * evidence must address every criterion of the phase's validation gate. While it waits, the rendered
 * phase and its tasks answer the `current-phase`, `task <phase> <n>` and `session` queries.
 * Output: `{ title, phases, evidence }`. A definition may also say `dynamic:` instead of `tasks`
 * for one such task (`dynamic.ts`). See docs/spec-sessions.md.
 */
export const specSession: Orchestrator<SpecSessionSpec> = {
  type: SPEC_SESSION_TYPE,
  summary: 'Runs the phases of a planning document (tasks.md); each completes through its validation gate.',
  fields: specSessionFields,
  check: checkSpecSession,
  expressionFields: ['source'],
  functions: { templates: Object.keys(HELPERS) },
  local: true,
  document: dynamicForm,
  async start(ctx) {
    const text = await sourceText(ctx);
    if (typeof text !== 'string') return text;
    const parser = findSourceParser(ctx.spec.parser);
    if (!parser)
      return fail(
        'UnknownParser',
        `unknown parser '${ctx.spec.parser}' (registered: ${sourceParserNames().join(', ')})`,
      );
    const file = typeof ctx.spec.source === 'string' ? undefined : ctx.spec.source.file;
    const parsed = parser.parse(text, file === undefined ? {} : { file });
    if (!parsed.ok || !parsed.document) {
      const where = file ?? 'the document';
      return fail(
        'SpecParseError',
        `${where} does not parse (${parser.name}):\n${listed(parsed.errors.map((e) => `line ${e.line}: ${e.message}`))}`,
      );
    }
    const document = parsed.document;
    const problems = dependencyProblems(document);
    if (problems.length > 0)
      return fail('SpecDependencyError', `the phases cannot run in order:\n${listed(problems)}`);
    const title =
      ctx.spec.title !== undefined ? String((await ctx.render(ctx.spec.title)) ?? '') : document.title;
    return waiting(ctx, { title: title || document.title, document, index: 0, evidence: [] });
  },
  async respond(ctx, response) {
    if (response.kind !== 'update' || response.name !== COMPLETE_PHASE) {
      return fail('UnexpectedResponse', `spec-session expected the '${COMPLETE_PHASE}' update`);
    }
    const state = response.state as unknown as SessionState;
    const phase = state.document.phases[state.index]!;
    const payload = response.payload;
    const body = payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? payload : {};
    if (body.phase !== undefined && String(body.phase) !== phase.id) {
      return reject(
        `phase ${String(body.phase)} is not the current phase: phase ${phase.id} '${phase.name}' is`,
        { phase: phase.id },
      );
    }
    const evidence = body.evidence !== undefined ? body.evidence : 'criteria' in body ? body : payload;
    const check = checkEvidence(phase.gate, evidence);
    if (!check.ok) {
      return reject(refusalMessage(phase, phase.gate.length, check), {
        phase: phase.id,
        missing: check.missing.map(({ n, text, reason }) => ({ n, text, reason })),
        unknown: check.unknown,
        problems: check.problems,
      });
    }
    const next: SessionState = {
      ...state,
      index: state.index + 1,
      evidence: [
        ...state.evidence,
        {
          phase: phase.id,
          name: phase.name,
          criteria: check.criteria,
          ...(check.summary ? { summary: check.summary } : {}),
        },
      ],
    };
    const completed = { id: phase.id, name: phase.name };
    if (next.index >= state.document.phases.length) {
      return { kind: 'done', output: sessionOutput(next), reply: { completed, next: null, done: true } };
    }
    const open = openDependencies(next.document, next.index);
    const upcoming = next.document.phases[next.index]!;
    if (open.length > 0) {
      return fail(
        'SpecDependencyError',
        `phase ${upcoming.id} cannot start: its dependencies ${open.join(', ')} are not complete`,
      );
    }
    const directive = await waiting(ctx, next);
    return {
      ...directive,
      reply: {
        completed,
        next: { id: upcoming.id, name: upcoming.name, position: next.index + 1 },
        done: false,
      },
    };
  },
};

/** Wait for `complete-phase` on the current phase, with its views rendered. */
async function waiting(
  ctx: TaskContext<SpecSessionSpec>,
  state: SessionState,
): Promise<AwaitUpdateDirective> {
  const views = await viewsOf(state, templatesOf(ctx.spec), ctx.scope.input);
  return { kind: 'await_update', update: COMPLETE_PHASE, views, state: state as unknown as Json };
}

/** The document's text, or a fail directive saying why there is none. */
async function sourceText(ctx: TaskContext<SpecSessionSpec>): Promise<string | Directive> {
  const { source } = ctx.spec;
  if (typeof source === 'string') {
    const value = await ctx.evaluate(source);
    if (typeof value === 'string') return value;
    return fail(
      'SpecSourceError',
      `source ${source} gave ${value === null ? 'nothing' : `a ${Array.isArray(value) ? 'list' : typeof value}`}: expected the document text (a string)`,
    );
  }
  const rendered = await ctx.render(source.file);
  if (typeof rendered !== 'string' || rendered === '')
    return fail('SpecSourceError', `source file ${source.file} gave no path`);
  const file = path.resolve(rendered);
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(
      'SpecSourceError',
      `cannot read the source ${rendered} on the worker (${file}): ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
    );
  }
}

function reject(message: string, details: Record<string, unknown>): Directive {
  return { kind: 'reject', message, details: details as Json };
}

function listed(lines: string[]): string {
  const shown = lines.slice(0, MAX_LISTED).map((l) => `  ${l}`);
  if (lines.length > MAX_LISTED) shown.push(`  ... and ${lines.length - MAX_LISTED} more`);
  return shown.join('\n');
}
