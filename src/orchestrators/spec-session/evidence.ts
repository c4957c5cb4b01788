/**
 * Evidence for a phase's validation gate: the payload of the `complete-phase` update.
 *
 * ```json
 * {
 *   "phase": "1",
 *   "evidence": {
 *     "criteria": {
 *       "1": "how the first gate criterion was met",
 *       "No linting errors": "eslint: 0 problems (CI run 812)"
 *     },
 *     "summary": "optional free text"
 *   }
 * }
 * ```
 *
 * - `criteria` addresses gate criteria by their 1-based number (`"1"`) or by their text (compared
 *   without case, markdown emphasis, extra spaces or a final period), each with a non-empty note.
 *   It may also be a list: `[{ "criterion": 1, "note": "..." }, { "criterion": "No linting errors", "note": "..." }]`.
 * - `phase` is optional: when given it must be the current phase's id, so a late or repeated update
 *   cannot complete the phase after it.
 * - Every gate criterion must be addressed; a key that names no criterion is refused too (it is
 *   usually a typo of one that is then missing). A phase with no gate accepts any evidence.
 */
import type { Criterion } from '../../sources/types';

export interface AddressedCriterion {
  n: number;
  text: string;
  note: string;
}

export interface MissingCriterion {
  n: number;
  text: string;
  /** `not addressed` or `empty note`. */
  reason: string;
}

export type EvidenceCheck =
  | { ok: true; criteria: AddressedCriterion[]; summary?: string }
  | {
      ok: false;
      /** The payload itself is unusable (not an object, no `evidence`...). */
      problems: string[];
      missing: MissingCriterion[];
      /** Keys that name no criterion of the gate. */
      unknown: string[];
    };

/** Compare criterion texts the way people retype them. */
export function normalizeCriterion(text: string): string {
  return text
    .replace(/\*\*|__|`/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.;:]$/, '')
    .toLowerCase();
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** The `[key, note]` pairs of `evidence.criteria` (map or list form), or the problem with it. */
function entriesOf(criteria: unknown): { entries: Array<[string, unknown]>; problems: string[] } {
  if (isObject(criteria)) return { entries: Object.entries(criteria), problems: [] };
  if (Array.isArray(criteria)) {
    const entries: Array<[string, unknown]> = [];
    const problems: string[] = [];
    criteria.forEach((item, i) => {
      if (isObject(item) && (typeof item.criterion === 'string' || typeof item.criterion === 'number')) {
        entries.push([String(item.criterion), item.note]);
      } else {
        problems.push(
          `evidence.criteria[${i}] must be { "criterion": <number or text>, "note": "<how it was met>" }`,
        );
      }
    });
    return { entries, problems };
  }
  return {
    entries: [],
    problems: [
      'evidence.criteria must map each gate criterion (its number or text) to a note on how it was met',
    ],
  };
}

/** Check evidence against a gate: every criterion addressed with a non-empty note, nothing unknown. */
export function checkEvidence(gate: Criterion[], evidence: unknown): EvidenceCheck {
  const missingAll = () => gate.map((c, i) => ({ n: i + 1, text: c.text, reason: 'not addressed' }));
  if (!isObject(evidence)) {
    if (gate.length === 0 && (evidence === undefined || evidence === null)) return { ok: true, criteria: [] };
    return {
      ok: false,
      problems: ['evidence must be an object: { "criteria": { "<number or text>": "<note>" } }'],
      missing: missingAll(),
      unknown: [],
    };
  }
  const summary =
    typeof evidence.summary === 'string' && evidence.summary.trim() ? evidence.summary.trim() : undefined;
  if (evidence.criteria === undefined && gate.length === 0)
    return { ok: true, criteria: [], ...(summary ? { summary } : {}) };
  const { entries, problems } = entriesOf(evidence.criteria);
  const byText = new Map(gate.map((c, i) => [normalizeCriterion(c.text), i] as const));
  const notes = new Map<number, string[]>();
  const unknown: string[] = [];
  for (const [key, note] of entries) {
    const k = key.trim();
    const n = /^#?\d+$/.test(k) ? Number(k.replace('#', '')) - 1 : byText.get(normalizeCriterion(k));
    if (n === undefined || n < 0 || n >= gate.length) {
      unknown.push(key);
      continue;
    }
    const text = typeof note === 'string' ? note.trim() : '';
    notes.set(n, [...(notes.get(n) ?? []), ...(text ? [text] : [])]);
  }
  const missing: MissingCriterion[] = [];
  const criteria: AddressedCriterion[] = [];
  gate.forEach((c, i) => {
    const got = notes.get(i);
    if (got === undefined) missing.push({ n: i + 1, text: c.text, reason: 'not addressed' });
    else if (got.length === 0) missing.push({ n: i + 1, text: c.text, reason: 'empty note' });
    else criteria.push({ n: i + 1, text: c.text, note: got.join('; ') });
  });
  if (problems.length > 0 || missing.length > 0 || unknown.length > 0)
    return { ok: false, problems, missing, unknown };
  return { ok: true, criteria, ...(summary ? { summary } : {}) };
}

/** The refusal, as one message listing what is missing (numbered, with its text) and how to fix it. */
export function refusalMessage(
  phase: { id: string; name: string },
  gateSize: number,
  check: Extract<EvidenceCheck, { ok: false }>,
): string {
  const lines = [`phase ${phase.id} '${phase.name}' cannot be completed:`];
  for (const p of check.problems) lines.push(`  ${p}`);
  if (check.missing.length > 0) {
    lines.push(`  ${check.missing.length} of ${gateSize} gate criteria not addressed:`);
    for (const m of check.missing)
      lines.push(`    ${m.n}. ${m.text}${m.reason === 'empty note' ? ' (empty note)' : ''}`);
  }
  if (check.unknown.length > 0) {
    lines.push(
      `  evidence names criteria this gate does not have: ${check.unknown.map((u) => `'${u}'`).join(', ')}`,
    );
  }
  const example = check.missing[0]?.n ?? 1;
  lines.push(
    `  address each criterion by number or text with a note: { "criteria": { "${example}": "how it was met" } }`,
  );
  return lines.join('\n');
}
