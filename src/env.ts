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

/** A TCP port (1-65535) from `name`; undefined when unset or empty. */
export function envPort(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65_535) throw envError(name, raw, 'a port number (1-65535)');
  return port;
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
