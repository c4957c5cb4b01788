/**
 * `FLOWSTATE_SECRETS`: the names of the environment variables a worker lets definitions read as
 * `{{ secrets.NAME }}`, comma-separated (`FLOWSTATE_SECRETS=API_TOKEN,DB_PASSWORD`).
 */
import { envError } from '../env';

/** The environment variable that lists the allowed secret names. */
export const SECRETS_ENV = 'FLOWSTATE_SECRETS';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The allowed names in `FLOWSTATE_SECRETS` (spaces and empty items ignored, duplicates once);
 * none when unset. Throws an `EnvError` naming the item that is not an environment variable name.
 */
export function allowedSecretNames(env: NodeJS.ProcessEnv = process.env): string[] {
  const raw = env[SECRETS_ENV] ?? '';
  const names = raw
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  const bad = names.find((n) => !NAME.test(n));
  if (bad !== undefined)
    throw envError(
      SECRETS_ENV,
      raw,
      `a comma-separated list of environment variable names (letters, digits, _; not '${bad}')`,
    );
  return [...new Set(names)];
}
