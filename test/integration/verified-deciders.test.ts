/**
 * Verified deciders on the real server (DESIGN.md section 5, issue 20): workers started as processes
 * with FLOWSTATE_AUTH_HS256_SECRET and with FLOWSTATE_AUTH_JWKS (a JWKS file of an ES256 key made
 * here) count a decision only with a valid, unexpired token of an acceptor (or of a member of an
 * acceptor group); every refusal leaves the whole `state` as it was; the record names the token's
 * subject and issuer, never the `by` text; a refused `approve` signal is a `gate.refused` event;
 * `allow_self_review: false` refuses the run's starter; the CLI sends --token / FLOWSTATE_TOKEN. A
 * worker without a verifier takes `by` as said and records `verified: false`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { FlowstateClient } from '../../src/client';
import { eventsFromHistory } from '../../src/replay/events-from-history';
import type { FlowEvent } from '../../src/events';
import type { RunState } from '../../src/workflows/api';
import { runCli } from '../harness/cli';
import { compileYaml } from '../harness/definitions';
import { useTestEnv } from '../harness/env';
import { eventually } from '../harness/eventually';
import { hs256Token } from '../harness/tokens';
import { spawnWorker, type WorkerProcess } from '../harness/worker-process';

// The in-process worker of the harness has no verifier (no FLOWSTATE_AUTH_* in this process).
const env = useTestEnv();

const SECRET = 'verified-deciders-test-secret-of-32-bytes+';
const ISSUER = 'https://idp.test';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-verified-'));

const review = compileYaml(`
id: verified-review
version: 1.0.0
tasks:
  - id: contract
    tool: echo
    with: { text: draft }
    acceptance: { acceptors: [alice, "group:legal"], on_reject: fail }
`);

const selfReview = compileYaml(`
id: self-review
version: 1.0.0
tasks:
  - id: contract
    tool: echo
    with: { text: draft }
    acceptance: { acceptors: [alice, "group:legal"], allow_self_review: false }
`);

/** An HS256 token of the shared secret (or of `key`), from the issuer; `exp` in seconds from now. */
function hs256(
  claims: Record<string, unknown>,
  options: { exp?: number; key?: Uint8Array } = {},
): Promise<string> {
  return hs256Token(options.key ?? SECRET, { iss: ISSUER, ...claims }, options);
}

const workers: WorkerProcess[] = [];
let hs: FlowstateClient;
let hsQueue: string;

beforeAll(async () => {
  hsQueue = `${env.taskQueue}-hs256`;
  workers.push(
    await spawnWorker({
      address: env.address,
      taskQueue: hsQueue,
      env: { FLOWSTATE_AUTH_HS256_SECRET: SECRET, FLOWSTATE_AUTH_ISSUER: ISSUER },
    }),
  );
  hs = new FlowstateClient(env.client, { address: env.address, namespace: 'default', taskQueue: hsQueue });
}, 120_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  fs.rmSync(dir, { recursive: true, force: true });
});

async function pendingRun(client: FlowstateClient, def = review, token?: string): Promise<string> {
  const { workflowId } = await client.start(def, {}, token ? { token } : {});
  await eventually(
    () => client.state(workflowId),
    (s) => s.pending_gates.length === 1,
  );
  return workflowId;
}

/**
 * A `gate.refused` event rebuilt from the history. A history fetched while the verification's
 * workflow task is still open has no marker yet (its replay cannot call the activity): wait for one.
 */
const refusedEvent = (es: FlowEvent[]) =>
  es.some((e) => e.type === 'gate.refused' && !/not registered/.test(String(e.data?.reason)));

/**
 * The state but the count of signals received: a refused signal was received, and changed nothing
 * else.
 */
const withoutSignalCount = ({ signals, ...rest }: RunState) => ({
  ...rest,
  signals: { ...signals, received: undefined },
});

/** The refusal's type and message, asserting the decision was refused. */
async function refusal(p: Promise<unknown>): Promise<{ type?: string; message: string }> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (e as WorkflowUpdateFailedError).cause as Error & { type?: string };
  return { type: cause.type, message: cause.message };
}

describe('a worker with FLOWSTATE_AUTH_HS256_SECRET', () => {
  test('non-acceptor, forged, expired, wrong-audience and missing tokens are refused; the whole state is unchanged', async () => {
    const id = await pendingRun(hs);
    const before: RunState = await hs.state(id);
    const decide = (token?: string) =>
      hs.decide(id, { gate: 'contract', decision: 'approve', by: 'alice', ...(token ? { token } : {}) });

    const cases: Array<[string, string | undefined, string, RegExp]> = [
      [
        'non-acceptor',
        await hs256({ sub: 'mallory', groups: ['sales'] }),
        'NotAnAcceptor',
        /the token's subject 'mallory' \(groups: sales\) may not decide gate 'contract': acceptors are alice, group:legal/,
      ],
      [
        'forged',
        await hs256({ sub: 'alice' }, { key: new TextEncoder().encode('x'.repeat(48)) }),
        'Unauthenticated',
        /its signature does not verify/,
      ],
      ['expired', await hs256({ sub: 'alice' }, { exp: -120 }), 'Unauthenticated', /it has expired/],
      [
        'wrong audience',
        await hs256({ sub: 'alice', aud: 'another-app' }),
        'Unauthenticated',
        /its audience \(aud\) is not 'flowstate'/,
      ],
      [
        'wrong issuer',
        await hs256({ sub: 'alice', iss: 'https://evil.test' }),
        'Unauthenticated',
        /its issuer \(iss\) is not 'https:\/\/idp.test'/,
      ],
      [
        'missing',
        undefined,
        'Unauthenticated',
        /no token: this worker verifies deciders; send a token with --token or FLOWSTATE_TOKEN/,
      ],
    ];
    for (const [name, token, type, message] of cases) {
      const r = await refusal(decide(token));
      expect({ name, type: r.type }).toEqual({ name, type });
      expect(r.message).toMatch(message);
      if (token) expect(r.message).not.toContain(token);
      expect(await hs.state(id)).toEqual(before);
    }

    // A member of group:legal decides; the record names the token's subject, not the `by` text.
    const carol = await hs256({ sub: 'carol', groups: ['legal'] });
    const gate = await hs.decide(id, { gate: 'contract', decision: 'approve', by: 'alice', token: carol });
    expect(gate.status).toBe('approved');
    const { decisions } = await hs.result(id);
    expect(decisions).toEqual([
      {
        gate: 'contract',
        decision: 'approve',
        decided_by: 'carol',
        verified: true,
        issuer: ISSUER,
        at: expect.any(String),
        revision: 0,
      },
    ]);
  });

  test('a refused approve signal changes nothing and is a gate.refused event (without the token)', async () => {
    const id = await pendingRun(hs);
    const before = await hs.state(id);
    const mallory = await hs256({ sub: 'mallory' });
    await hs.signal(id, 'approve', { gate: 'contract', by: 'alice', token: mallory });
    const handle = env.client.workflow.getHandle(id);
    const events = await eventually(
      async () => eventsFromHistory(id, await handle.fetchHistory()),
      refusedEvent,
    );
    const refused = events.find((e) => e.type === 'gate.refused')!;
    expect(refused.path).toBe('contract');
    expect(refused.data).toEqual({
      decision: 'approve',
      type: 'NotAnAcceptor',
      reason:
        "the token's subject 'mallory' may not decide gate 'contract': acceptors are alice, group:legal",
      by: 'alice',
    });
    expect(JSON.stringify(events)).not.toContain(mallory);
    expect(withoutSignalCount(await hs.state(id))).toEqual(withoutSignalCount(before));

    // A valid signal still decides.
    await hs.signal(id, 'approve', { gate: 'contract', by: 'x', token: await hs256({ sub: 'alice' }) });
    expect((await hs.result(id)).decisions[0]).toMatchObject({ decided_by: 'alice', verified: true });
  });

  test('allow_self_review: false refuses the run starter; another acceptor decides', async () => {
    const alice = await hs256({ sub: 'alice' });
    const id = await pendingRun(hs, selfReview, alice);
    const before = await hs.state(id);
    expect(before.started_by).toEqual({ subject: 'alice', verified: true, issuer: ISSUER });
    expect(before.pending_gates[0]?.allow_self_review).toBe(false);
    const r = await refusal(
      hs.decide(id, { gate: 'contract', decision: 'approve', by: 'alice', token: alice }),
    );
    expect(r).toEqual({
      type: 'SelfReview',
      message:
        "'alice' started this run and may not decide gate 'contract' (allow_self_review: false): another acceptor must",
    });
    expect(await hs.state(id)).toEqual(before);
    const dave = await hs256({ sub: 'dave', groups: ['legal'] });
    await hs.decide(id, { gate: 'contract', decision: 'approve', by: 'dave', token: dave });
    expect((await hs.result(id)).decisions[0]).toMatchObject({ decided_by: 'dave', verified: true });
  });

  test('the CLI: a refused token exits 1 naming the reason; status hints at the token; FLOWSTATE_TOKEN decides; status shows the record', async () => {
    const id = await pendingRun(hs);
    const cliEnv = env.processEnv({ FLOWSTATE_TASK_QUEUE: hsQueue });
    const expired = await hs256({ sub: 'alice' }, { exp: -120 });
    const refused = await runCli(['approve', id, '--gate', 'contract', '--token', expired], cliEnv);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'refused [Unauthenticated]: token refused: it has expired (exp); get a new one',
    );
    expect(refused.stdout + refused.stderr).not.toContain(expired);

    const alice = await hs256({ sub: 'alice' });
    // With a token at hand, the lines status prints to decide send it (never its value), not --by.
    const pending = await runCli(['status', id], { ...cliEnv, FLOWSTATE_TOKEN: alice });
    expect(pending.stdout).toContain(
      `approve: npx flowstate approve ${id} --gate 'contract' --token "$FLOWSTATE_TOKEN"`,
    );
    expect(pending.stdout).not.toContain(alice);
    const ok = await runCli(['approve', id, '--gate', 'contract', '--by', 'someone-else'], {
      ...cliEnv,
      FLOWSTATE_TOKEN: alice,
    });
    expect(ok.stderr).toBe('');
    expect(ok.stdout.trim()).toBe(`contract: approved by alice (verified, ${ISSUER})`);
    await hs.result(id);
    const status = await runCli(['status', id], cliEnv);
    expect(status.stdout).toMatch(
      new RegExp(`contract  approve by alice \\(verified, https://idp.test\\) \\(revision 0\\)`),
    );
    const json = JSON.parse((await runCli(['status', id, '--json'], cliEnv)).stdout) as RunState;
    expect(json.decisions[0]).toMatchObject({ decided_by: 'alice', verified: true, issuer: ISSUER });
  });
});

describe('a worker with FLOWSTATE_AUTH_JWKS (a JWKS file)', () => {
  test('a token signed by the JWKS key decides; one signed by another key is refused', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const other = await generateKeyPair('ES256');
    const jwksFile = path.join(dir, 'jwks.json');
    fs.writeFileSync(
      jwksFile,
      JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' }] }),
    );
    const queue = `${env.taskQueue}-jwks`;
    workers.push(
      await spawnWorker({ address: env.address, taskQueue: queue, env: { FLOWSTATE_AUTH_JWKS: jwksFile } }),
    );
    const client = new FlowstateClient(env.client, {
      address: env.address,
      namespace: 'default',
      taskQueue: queue,
    });
    const es256 = (sub: string, key = privateKey) =>
      new SignJWT({ sub, aud: 'flowstate', iss: 'https://login.example', groups: ['legal'] })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setExpirationTime('5m')
        .sign(key);

    const id = await pendingRun(client);
    const before = await client.state(id);
    const forged = await refusal(
      client.decide(id, {
        gate: 'contract',
        decision: 'approve',
        by: 'alice',
        token: await es256('alice', other.privateKey),
      }),
    );
    expect(forged.type).toBe('Unauthenticated');
    expect(forged.message).toMatch(/its signature does not verify/);
    expect(await client.state(id)).toEqual(before);

    await client.decide(id, {
      gate: 'contract',
      decision: 'reject',
      by: 'x',
      comment: 'no',
      token: await es256('erin'),
    });
    const failed = await client.result(id).then(
      () => undefined,
      (e: Error) => e,
    );
    expect((failed?.cause as Error | undefined)?.message).toMatch(/rejected by erin: no/);
    expect((await client.state(id)).decisions).toEqual([
      expect.objectContaining({
        decided_by: 'erin',
        verified: true,
        issuer: 'https://login.example',
        comment: 'no',
      }),
    ]);
  });
});

describe('a worker without a verifier', () => {
  test('by is taken as said and the record says verified: false', async () => {
    const id = await pendingRun(env.flowstate);
    await env.flowstate.decide(id, {
      gate: 'contract',
      decision: 'approve',
      by: 'alice',
      token: 'not-checked',
    });
    const { decisions } = await env.flowstate.result(id);
    expect(decisions).toEqual([expect.objectContaining({ decided_by: 'alice', verified: false })]);
    expect(decisions[0]).not.toHaveProperty('issuer');
  });

  test('a refused approve signal is a gate.refused event too', async () => {
    const id = await pendingRun(env.flowstate);
    const before = await env.flowstate.state(id);
    await env.flowstate.signal(id, 'approve', { gate: 'contract', by: 'mallory' });
    const events = await eventually(
      async () => eventsFromHistory(id, await env.client.workflow.getHandle(id).fetchHistory()),
      refusedEvent,
    );
    expect(events.find((e) => e.type === 'gate.refused')?.data).toMatchObject({ type: 'NotAnAcceptor' });
    expect(withoutSignalCount(await env.flowstate.state(id))).toEqual(withoutSignalCount(before));
  });
});

test('a worker refuses to start with both FLOWSTATE_AUTH_JWKS and FLOWSTATE_AUTH_HS256_SECRET', async () => {
  const r = await runCli(
    ['worker'],
    env.processEnv({ FLOWSTATE_AUTH_JWKS: path.join(dir, 'none.json'), FLOWSTATE_AUTH_HS256_SECRET: SECRET }),
  );
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(
    'FLOWSTATE_AUTH_JWKS and FLOWSTATE_AUTH_HS256_SECRET are both set: the worker verifies tokens with one of them; unset the other',
  );
});
