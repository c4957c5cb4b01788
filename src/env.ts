/**
 * Reading Flowstate's environment variables (FLOWSTATE_*, TEMPORAL_*): a value that cannot work is an
 * `EnvError` whose one line names the variable, the value it got and the values it takes. The CLI ends
 * with it on exit code 2 (usage), as it does for a bad flag. Imports nothing of the project.
 */

/** An environment variable holds a value that cannot work. */
export class EnvError extends Error {
  override readonly name: string = 'EnvError';
}

/** `NAME must be <takes>; got '<value>'`: the one line every EnvError says. */
export function envError(name: string, value: string, takes: string): EnvError {
  return new EnvError(`${name} must be ${takes}; got '${value}'`);
}

/** A whole number from `min` to `max` from `name`; undefined when unset or empty. `takes` says what it is. */
export function envWholeNumber(
  env: NodeJS.ProcessEnv,
  name: string,
  range: { min: number; max: number; takes: string },
): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < range.min || n > range.max) throw envError(name, raw, range.takes);
  return n;
}

/** A TCP port (1-65535) from `name`; undefined when unset or empty. */
export function envPort(env: NodeJS.ProcessEnv, name: string): number | undefined {
  return envWholeNumber(env, name, { min: 1, max: 65_535, takes: 'a port number (1-65535)' });
}

/** An http(s) URL from `name`; undefined when unset or empty. */
export function envUrl(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw envError(name, raw, 'an http:// or https:// URL');
  return raw;
}
