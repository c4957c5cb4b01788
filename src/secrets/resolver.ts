/**
 * The secrets a worker may hand to templates: the names it allows and their values, from its
 * environment (`FLOWSTATE_SECRETS` and the variables it names) or stubbed by the test kit. A read of
 * any other name, or of an allowed name with no value, is a `SecretNotAllowed` failure.
 */
import { ApplicationFailure } from '@temporalio/common';
import { allowedSecretNames, SECRETS_ENV } from './allowed';
import type { SecretReads } from './names';
import { Redactor } from './redact';

/** Where the secrets came from: it decides what a `SecretNotAllowed` tells the user to do. */
export type SecretOrigin = 'environment' | 'stubs';

/** Allowed secret names, each with its value (undefined when the environment does not set it). */
export class Secrets {
  private redactorOf?: Redactor;

  private constructor(
    private readonly entries: ReadonlyMap<string, string | undefined>,
    readonly origin: SecretOrigin,
  ) {}

  /** The names `FLOWSTATE_SECRETS` allows, with their values from `env` (an empty value is unset). */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): Secrets {
    return new Secrets(
      new Map(allowedSecretNames(env).map((name) => [name, env[name] || undefined])),
      'environment',
    );
  }

  /** Stubbed secrets (the test kit's): every name given is allowed, with its value. */
  static of(values: Record<string, string>): Secrets {
    return new Secrets(new Map(Object.entries(values).map(([k, v]) => [k, v || undefined])), 'stubs');
  }

  /** The allowed names, sorted. */
  names(): string[] {
    return [...this.entries.keys()].sort();
  }

  /** The values that are set. */
  values(): string[] {
    return [...this.entries.values()].filter((v): v is string => v !== undefined);
  }

  /** Redacts this worker's (or stub's) secret values. */
  redactor(): Redactor {
    return (this.redactorOf ??= new Redactor(this.values()));
  }

  /**
   * The `secrets` object for what expressions read at `taskPath`: the names they read, or every set
   * secret for a dynamic read. Throws `SecretNotAllowed` for a name that is not allowed or not set.
   */
  scopeValue(reads: SecretReads, taskPath: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name of reads.names) {
      const value = this.entries.get(name);
      if (value === undefined) throw this.notAllowed(name, taskPath);
      out[name] = value;
    }
    if (reads.dynamic) {
      for (const [name, value] of this.entries) if (value !== undefined) out[name] = value;
    }
    return out;
  }

  private notAllowed(name: string, taskPath: string): ApplicationFailure {
    const allowed = this.names();
    const listed = this.entries.has(name);
    let why: string;
    if (this.origin === 'stubs') {
      why = `is not stubbed: add '${name}' under 'secrets:' in the cases file (or the case)`;
    } else if (listed) {
      why =
        `is allowed by ${SECRETS_ENV} but not set in the worker's environment: ` +
        `set ${name} where the worker runs and restart it`;
    } else {
      why =
        `is not allowed on this worker (${allowed.length ? `${SECRETS_ENV}=${allowed.join(',')}` : `${SECRETS_ENV} is not set`}): ` +
        `add it to ${SECRETS_ENV} on the worker (${SECRETS_ENV}=${[...allowed, name].join(',')}), ` +
        `set ${name} in its environment and restart it`;
    }
    return ApplicationFailure.create({
      type: 'SecretNotAllowed',
      message: `task '${taskPath}' reads secrets.${name}, which ${why}`,
      nonRetryable: true,
      details: [{ secret: name, task: taskPath }],
    });
  }
}

/** The worker's secrets, or a function giving a run's (the test kit stubs them per case). */
export type SecretSource = Secrets | ((workflowId: string) => Secrets);

/** The secrets of one run. */
export function secretsOfRun(source: SecretSource | undefined, workflowId: string): Secrets {
  if (source === undefined) return NO_SECRETS;
  return typeof source === 'function' ? source(workflowId) : source;
}

/** No secret is allowed. */
export const NO_SECRETS = Secrets.fromEnv({});
