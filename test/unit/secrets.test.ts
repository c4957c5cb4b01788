/**
 * Secrets, piece by piece: the allowed names (`FLOWSTATE_SECRETS`), which names an expression reads,
 * the `SecretNotAllowed` failure and its fix, the scope a task's templates see, and the redaction of
 * values from text, JSON, errors, events and log lines.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { EnvError } from '../../src/env';
import { dispatch, onEvent } from '../../src/events/bus';
import type { FlowEvent } from '../../src/events/types';
import {
  allowedSecretNames,
  expressionsIn,
  Redactor,
  registerSecretValues,
  secretReadsOf,
  Secrets,
  TaskSecrets,
} from '../../src/secrets';

const ENV = {
  FLOWSTATE_SECRETS: ' TOKEN, DB_PASSWORD,,TOKEN',
  TOKEN: 't0k3n-value',
  DB_PASSWORD: 'pa"ss\\word',
};

describe('FLOWSTATE_SECRETS', () => {
  it('lists names, comma-separated; spaces, empty items and repeats are ignored', () => {
    expect(allowedSecretNames(ENV)).toEqual(['TOKEN', 'DB_PASSWORD']);
    expect(allowedSecretNames({})).toEqual([]);
  });

  it('refuses an item that is not an environment variable name, in one line naming it', () => {
    expect(() => allowedSecretNames({ FLOWSTATE_SECRETS: 'TOKEN,api-key' })).toThrow(
      new EnvError(
        "FLOWSTATE_SECRETS must be a comma-separated list of environment variable names (letters, digits, _; not 'api-key'); got 'TOKEN,api-key'",
      ),
    );
  });
});

describe('which secrets an expression reads', () => {
  it.each([
    ['secrets.TOKEN', ['TOKEN'], false],
    ['"Bearer " & secrets.TOKEN', ['TOKEN'], false],
    ['$.secrets.A & $$.secrets.B', ['A', 'B'], false],
    ['secrets.`MY_KEY`.x', ['MY_KEY'], false],
    ['secrets.*', [], true],
    ['$lookup(secrets, input.name)', [], true],
    ['input.secrets_count', [], false],
    ['$', [], false],
    ['not ( valid', [], false],
  ])('%s', (expression, names, dynamic) => {
    expect(secretReadsOf(expression)).toEqual({ names, dynamic });
  });

  it('finds the expressions that may read secrets in a value about to be rendered, at any depth', () => {
    const value = {
      headers: { authorization: 'Bearer {{ secrets.TOKEN }}' },
      list: ['{{ input.a }}', 3, "{{ $lookup(secrets, 'A') }} and {{ input.b }}"],
    };
    expect(expressionsIn(value)).toEqual(['secrets.TOKEN', "$lookup(secrets, 'A')", 'input.b']);
  });
});

describe('resolving secrets for a task', () => {
  const secrets = Secrets.fromEnv(ENV);

  it('gives the names a template reads, with their values; a dynamic read sees every allowed one', () => {
    expect(secrets.scopeValue({ names: ['TOKEN'], dynamic: false }, 'call')).toEqual({
      TOKEN: 't0k3n-value',
    });
    expect(secrets.scopeValue({ names: [], dynamic: true }, 'call')).toEqual({
      TOKEN: 't0k3n-value',
      DB_PASSWORD: 'pa"ss\\word',
    });
  });

  it('fails a name the worker does not allow with SecretNotAllowed, naming the task and the fix', () => {
    const failure = caught(() => secrets.scopeValue({ names: ['OTHER'], dynamic: false }, 'steps/call'));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'SecretNotAllowed', nonRetryable: true });
    expect(failure.message).toBe(
      "task 'steps/call' reads secrets.OTHER, which is not allowed on this worker " +
        '(FLOWSTATE_SECRETS=DB_PASSWORD,TOKEN): add it to FLOWSTATE_SECRETS on the worker ' +
        '(FLOWSTATE_SECRETS=DB_PASSWORD,TOKEN,OTHER), set OTHER in its environment and restart it',
    );
  });

  it('fails an allowed name the environment does not set, saying so', () => {
    const unset = Secrets.fromEnv({ FLOWSTATE_SECRETS: 'TOKEN' });
    const failure = caught(() => unset.scopeValue({ names: ['TOKEN'], dynamic: false }, 'call'));
    expect(failure).toMatchObject({ type: 'SecretNotAllowed', nonRetryable: true });
    expect(failure.message).toContain(
      "is allowed by FLOWSTATE_SECRETS but not set in the worker's environment",
    );
    expect(
      caught(() => Secrets.fromEnv({}).scopeValue({ names: ['X'], dynamic: false }, 'c')).message,
    ).toContain('(FLOWSTATE_SECRETS is not set)');
  });

  it('tells a test kit user to stub it', () => {
    const failure = caught(() => Secrets.of({ A: 'x' }).scopeValue({ names: ['B'], dynamic: false }, 'c'));
    expect(failure.message).toBe(
      "task 'c' reads secrets.B, which is not stubbed: add 'B' under 'secrets:' in the cases file (or the case)",
    );
  });

  it('puts secrets in the scope only for the templates that read them, never what the workflow sent', () => {
    const task = new TaskSecrets(secrets, 'call');
    const sent = { input: { a: 1 }, secrets: { TOKEN: 'forged' } };
    expect(task.scopeFor(sent, ['input.a'])).toEqual({ input: { a: 1 } });
    expect(task.scopeFor(sent, ['input.a', 'secrets.TOKEN'])).toEqual({
      input: { a: 1 },
      secrets: { TOKEN: 't0k3n-value' },
    });
    const plain = { input: {} };
    expect(task.scopeFor(plain, ['input.a'])).toBe(plain);
  });
});

describe('redaction', () => {
  const redact = new Redactor(['t0k3n-value', 'pa"ss\\word', 'a b/c']);

  it('replaces each value in text, also as JSON text and in a URL', () => {
    expect(redact.text('Bearer t0k3n-value and t0k3n-value')).toBe('Bearer *** and ***');
    expect(redact.text(JSON.stringify({ p: 'pa"ss\\word' }))).toBe('{"p":"***"}');
    expect(redact.text('https://x.example/?q=a%20b%2Fc')).toBe('https://x.example/?q=***');
  });

  it('redacts JSON at any depth, keys too, and returns the same object when nothing is there', () => {
    expect(
      redact.json({
        body: { header: 'Bearer t0k3n-value', list: ['x', 'pa"ss\\word'] },
        't0k3n-value': 1,
        n: 2,
      }),
    ).toEqual({ body: { header: 'Bearer ***', list: ['x', '***'] }, '***': 1, n: 2 });
    const clean = { a: ['b'] };
    expect(redact.json(clean)).toBe(clean);
    expect(new Redactor([]).json(clean)).toBe(clean);
  });

  it("redacts an error's message, stack, details and causes, keeping its type", () => {
    const cause = new Error('upstream said t0k3n-value');
    const failure = ApplicationFailure.create({
      type: 'HttpError',
      message: 'GET answered 401: t0k3n-value',
      nonRetryable: true,
      details: [{ body: 'token t0k3n-value' }],
      cause,
    });
    expect(redact.error(failure)).toBe(failure);
    expect(failure).toMatchObject({
      type: 'HttpError',
      nonRetryable: true,
      message: 'GET answered 401: ***',
      details: [{ body: 'token ***' }],
    });
    expect(failure.stack).not.toContain('t0k3n-value');
    expect(cause.message).toBe('upstream said ***');
    expect(cause.stack).not.toContain('t0k3n-value');
  });

  it('redacts events on the bus of a process that registered the values', () => {
    registerSecretValues(['ev3nt-secret']);
    const seen: FlowEvent[] = [];
    const off = onEvent('*', (e) => void seen.push(e));
    dispatch({
      type: 'task.completed',
      workflowId: 'w',
      runId: 'r',
      seq: 1,
      at: '2026-01-01T00:00:00Z',
      task: 'call',
      output: { header: 'Bearer ev3nt-secret' },
    } as unknown as FlowEvent);
    off();
    expect(JSON.stringify(seen)).not.toContain('ev3nt-secret');
    expect(seen[0]).toMatchObject({ output: { header: 'Bearer ***' } });
  });

  it('redacts log lines of a process that registered the values', async () => {
    const root = path.resolve(__dirname, '../..');
    const script =
      "require('./src/secrets/registry').registerSecretValues(['l0g-secret']);" +
      "require('./src/logging').logger.warn({ header: 'Bearer l0g-secret' }, 'called with l0g-secret');";
    const stderr = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--require', 'tsx/cjs', '-e', script],
        { cwd: root, env: { ...process.env, FLOWSTATE_LOG_LEVEL: 'info' } },
        (error, _out, err) => (error ? reject(error) : resolve(err)),
      ),
    );
    expect(stderr).toContain('"msg":"called with ***"');
    expect(stderr).toContain('"header":"Bearer ***"');
    expect(stderr).not.toContain('l0g-secret');
  });
});

function caught(fn: () => unknown): ApplicationFailure {
  try {
    fn();
  } catch (e) {
    return e as ApplicationFailure;
  }
  throw new Error('expected a failure');
}
