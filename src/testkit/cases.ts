/**
 * Cases files (`*.cases.yaml`): what a test of a definition says. Read with the DSL's YAML reader, so
 * every mistake is reported as `file:line:col: message (at cases[2].expect.calls)`, like a definition's.
 * See docs/testing.md for the format.
 */
import fs from 'node:fs';
import path from 'node:path';
import { durationMs } from '../contract/fields';
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from '../dsl/diagnostics';
import { parseWithProblems, type Problem } from '../dsl/issues';
import { formatPath, type DocPath } from '../dsl/paths';
import { parseSource, type Anchor, type Position } from '../dsl/source';
import {
  CasesDocument,
  type CaseSpec,
  type ExpectSpec,
  type InteractionSpec,
  type PeerSpec,
  type StubSpec,
} from './cases-schema';

export type {
  CaseSpec,
  CasesDocument,
  ExpectSpec,
  InteractionSpec,
  PeerSpec,
  StubErrorSpec,
  StubResultSpec,
  StubSpec,
} from './cases-schema';

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
  /** Secret stubs (`secrets.NAME`): the file's, then the case's own (which win). */
  secrets: Record<string, string>;
  /** Names the case itself stubs (checked against what its definition calls). */
  ownTools: string[];
  ownAgents: string[];
  interactions: InteractionSpec[];
  timeScale?: { factor: number; text: string };
  durations: Record<string, Record<string, string>>;
  peers: Record<string, PeerSpec & { definition: string }>;
  timeoutMs: number;
  /** Redrive the run once it ended without completing; `expect` is about the redrive. */
  redrive?: true;
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
    return {
      ok: false,
      errors: [diagnostic(file, { line: 1, col: 1 }, [], `cannot read ${file}: ${reason}`)],
    };
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
    if (more > 0)
      errors[errors.length - 1] = {
        ...errors[errors.length - 1],
        message: `${errors[errors.length - 1].message} (and ${more} more YAML errors after it)`,
      };
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
      problems.push({
        path: here('name'),
        anchor: 'value',
        message: `case name '${c.name}' is used twice (also cases[${seen}])`,
      });
    names.set(c.name, index);
    const definition = c.definition ?? doc.definition;
    if (!definition) {
      problems.push({
        path: here(),
        anchor: 'value',
        message: "missing field 'definition': give it here or at the top of the file",
      });
      return;
    }
    if (c.input !== undefined && c.input_file !== undefined)
      problems.push({
        path: here('input_file'),
        anchor: 'key',
        message: 'a case has input or input_file, not both',
      });
    let input: unknown = c.input ?? {};
    if (c.input_file !== undefined) {
      try {
        input = JSON.parse(fs.readFileSync(path.resolve(dir, c.input_file), 'utf8'));
      } catch (e) {
        problems.push({
          path: here('input_file'),
          anchor: 'value',
          message: `cannot read input_file ${c.input_file}: ${(e as Error).message}`,
        });
      }
    }
    problems.push(...peerStarts(c, here));
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
      secrets: { ...doc.secrets, ...c.secrets },
      ownTools: Object.keys(c.tools ?? {}),
      ownAgents: Object.keys(c.agents ?? {}),
      interactions: c.interactions ?? [],
      ...(c.time_scale !== undefined
        ? { timeScale: timeScale(c.time_scale) }
        : fileScale
          ? { timeScale: fileScale }
          : {}),
      durations: c.durations ?? {},
      peers: Object.fromEntries(
        Object.entries(c.peers ?? {}).map(([name, p]) => [
          name,
          { ...p, definition: path.resolve(dir, p.definition) },
        ]),
      ),
      timeoutMs: durationMs(c.timeout ?? doc.timeout ?? '60s'),
      ...(c.redrive ? { redrive: true as const } : {}),
      ...(c.skip !== undefined && c.skip !== false ? { skip: c.skip === true ? 'skipped' : c.skip } : {}),
      expect,
      where: (p, anchor = 'value') => {
        const pos = source.locate(here(...p), anchor);
        return `${file}:${pos.line}:${pos.col}`;
      },
    });
  });
  if (problems.length > 0) return { ok: false, errors: sortDiagnostics(problems.map(at)) };
  const modules =
    doc.tool_modules === undefined
      ? []
      : Array.isArray(doc.tool_modules)
        ? doc.tool_modules
        : [doc.tool_modules];
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

/** Interactions start peers with `start: interaction`, each once; they start no other peer. */
function peerStarts(c: CaseSpec, here: (...p: Array<string | number>) => DocPath): Problem[] {
  const problems: Problem[] = [];
  const peers = c.peers ?? {};
  const started = new Set<string>();
  (c.interactions ?? []).forEach((i, n) => {
    if (i.start === undefined) return;
    if (peers[i.start]?.start !== 'interaction') {
      const known = Object.keys(peers).filter((p) => peers[p].start === 'interaction');
      const message = `start: no peer '${i.start}' with start: interaction (those: ${known.join(', ') || 'none'})`;
      problems.push({ path: here('interactions', n, 'start'), anchor: 'value', message });
    } else if (started.has(i.start)) {
      problems.push({
        path: here('interactions', n, 'start'),
        anchor: 'value',
        message: `peer '${i.start}' is started twice`,
      });
    }
    started.add(i.start);
  });
  for (const [name, peer] of Object.entries(peers)) {
    if (peer.start === 'interaction' && !started.has(name))
      problems.push({
        path: here('peers', name, 'start'),
        anchor: 'value',
        message: `no interaction starts peer '${name}' (start: ${name})`,
      });
  }
  return problems;
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
