/**
 * Secrets as one task sees them inside the activity: the scope a template is evaluated in gets
 * `secrets` with only the names it reads (whatever scope the workflow sent, `secrets` is never taken
 * from it), and what the task returns, throws or heartbeats is redacted.
 */
import { hasTemplate, templateExpressions } from '../expressions';
import { mergeReads, SECRETS_ROOT, secretReadsOf } from './names';
import type { Redactor } from './redact';
import type { Secrets } from './resolver';

/** The secrets of one task of one run. */
export class TaskSecrets {
  readonly redact: Redactor;

  constructor(
    private readonly secrets: Secrets,
    private readonly taskPath: string,
  ) {
    this.redact = secrets.redactor();
  }

  /**
   * The scope to evaluate `expressions` in: `scope` without any `secrets` of its own, plus the secrets
   * they read. Throws `SecretNotAllowed` for a secret the worker does not allow.
   */
  scopeFor(scope: Record<string, unknown>, expressions: string[]): Record<string, unknown> {
    const reads = mergeReads(expressions.map(secretReadsOf));
    const { [SECRETS_ROOT]: _sent, ...rest } = scope;
    if (reads.names.length === 0 && !reads.dynamic) return _sent === undefined ? scope : rest;
    return { ...rest, [SECRETS_ROOT]: this.secrets.scopeValue(reads, this.taskPath) };
  }
}

/**
 * The `{{ }}` expressions of a value about to be rendered (strings at any depth) that may read
 * secrets: those of strings that mention the root (the others cannot, so they are not parsed twice).
 */
export function expressionsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    if (value.includes(SECRETS_ROOT) && hasTemplate(value)) out.push(...templateExpressions(value));
  } else if (Array.isArray(value)) {
    for (const v of value) expressionsIn(v, out);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) expressionsIn(v, out);
  }
  return out;
}
