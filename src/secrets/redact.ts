/**
 * Replacing a secret's value by `***` wherever it appears: in text, in JSON (strings and keys, at any
 * depth) and in errors (message, stack, details, causes). A value is also found in the forms it takes
 * once escaped into JSON text or a URL.
 */

/** What a secret's value is replaced by. */
export const REDACTED = '***';

/** Redacts a fixed set of secret values. */
export class Redactor {
  /** The forms searched for, longest first (so a value inside another is not cut in two). */
  private readonly needles: string[];

  constructor(values: Iterable<string>) {
    const forms = new Set<string>();
    for (const value of values) {
      if (!value) continue;
      forms.add(value);
      forms.add(JSON.stringify(value).slice(1, -1));
      try {
        forms.add(encodeURIComponent(value));
      } catch {
        // a lone surrogate has no URL form
      }
    }
    this.needles = [...forms].sort((a, b) => b.length - a.length);
  }

  /** True when there is nothing to redact. */
  get empty(): boolean {
    return this.needles.length === 0;
  }

  /** True when `text` holds a secret's value. */
  contains(text: string): boolean {
    return this.needles.some((n) => text.includes(n));
  }

  /** `text` with every secret's value replaced by `***`. */
  text(text: string): string {
    let out = text;
    for (const needle of this.needles) if (out.includes(needle)) out = out.split(needle).join(REDACTED);
    return out;
  }

  /** A JSON value with every string (and key) redacted; the same object when nothing needed it. */
  json<T>(value: T): T {
    if (this.empty || value === undefined) return value;
    const text = JSON.stringify(value);
    if (text === undefined || !this.contains(text)) return value;
    return this.deep(value) as T;
  }

  private deep(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((v) => this.deep(v));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [this.text(k), this.deep(v)]));
    }
    return value;
  }

  /**
   * An error with its message, stack and details redacted, and its causes likewise (changed in
   * place, so its class and fields, e.g. an `ApplicationFailure`'s type, stay). Anything else is
   * returned as is.
   */
  error<E>(e: E): E {
    if (this.empty) return e;
    const seen = new Set<unknown>();
    for (let err: unknown = e; err instanceof Error && !seen.has(err); err = err.cause) {
      seen.add(err);
      const target = err as Error & { details?: unknown };
      if (this.contains(target.message)) target.message = this.text(target.message);
      if (typeof target.stack === 'string' && this.contains(target.stack))
        target.stack = this.text(target.stack);
      if (Array.isArray(target.details)) target.details = this.json(target.details);
    }
    return e;
  }
}
