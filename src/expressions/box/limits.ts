/**
 * The limits of the expression box, from the worker's environment (FLOWSTATE_EXPR_*). A value that
 * cannot work throws at once, naming the variable, the value and what it takes.
 */

/** What one evaluation may cost. */
export interface BoxLimits {
  /** Wall-clock time of one evaluation, regular expressions included (FLOWSTATE_EXPR_TIMEOUT_MS). */
  timeoutMs: number;
  /** Heap of each evaluator process, in MB (FLOWSTATE_EXPR_MEMORY_MB). */
  memoryMb: number;
  /** Size of a result as JSON, and of any string `$pad`/`$join`/`$string` build (FLOWSTATE_EXPR_MAX_RESULT_BYTES). */
  maxResultBytes: number;
  /** How many evaluator processes at most (FLOWSTATE_EXPR_EVALUATORS). */
  evaluators: number;
}

/** The defaults: 1 s, 256 MB, 1 MiB (half of Temporal's 2 MB payload limit), 2 evaluators. */
export const DEFAULT_BOX_LIMITS: BoxLimits = Object.freeze({
  timeoutMs: 1_000,
  memoryMb: 256,
  maxResultBytes: 1_048_576,
  evaluators: 2,
});

const VARIABLES: Record<keyof BoxLimits, { name: string; min: number; max: number }> = {
  timeoutMs: { name: 'FLOWSTATE_EXPR_TIMEOUT_MS', min: 10, max: 600_000 },
  memoryMb: { name: 'FLOWSTATE_EXPR_MEMORY_MB', min: 32, max: 16_384 },
  maxResultBytes: { name: 'FLOWSTATE_EXPR_MAX_RESULT_BYTES', min: 1_024, max: 512 * 1_048_576 },
  evaluators: { name: 'FLOWSTATE_EXPR_EVALUATORS', min: 1, max: 64 },
};

/** The environment variable that sets a limit (for messages: "raise FLOWSTATE_EXPR_TIMEOUT_MS"). */
export function limitVariable(limit: keyof BoxLimits): string {
  return VARIABLES[limit].name;
}

/** The box's limits from `env`: each FLOWSTATE_EXPR_* that is set, else its default. */
export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): BoxLimits {
  const limits = { ...DEFAULT_BOX_LIMITS };
  for (const key of Object.keys(VARIABLES) as Array<keyof BoxLimits>) {
    const { name, min, max } = VARIABLES[key];
    const raw = env[name]?.trim();
    if (!raw) continue;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max)
      throw new Error(`${name} must be a whole number from ${min} to ${max}; got '${raw}'`);
    limits[key] = value;
  }
  return limits;
}

let current: BoxLimits | undefined;

/** This process's limits, read from the environment once (an evaluator process gets them the same way). */
export function boxLimits(): BoxLimits {
  return (current ??= limitsFromEnv());
}

/** The limits as environment variables, for an evaluator process started with them. */
export function limitsToEnv(limits: BoxLimits): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of Object.keys(VARIABLES) as Array<keyof BoxLimits>)
    env[VARIABLES[key].name] = String(limits[key]);
  return env;
}
