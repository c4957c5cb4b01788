/**
 * The inbox on the real server: three runs with gates for different people (users, `group:<g>`, a
 * subflow child's gate) and each person's inbox lists exactly the gates they may decide, each once;
 * a decided gate leaves it. Through the client API and through `flowstate inbox` as a process
 * (`--me`, `--group`, `--token`, `--json`). Names carry a suffix of this run: the server is shared.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadFile } from '../../src/client/definitions';
import type { InboxEntry } from '../../src/client';
import { useTestEnv } from '../harness/env';
import { eventually } from '../harness/eventually';
import { runCli } from '../harness/cli';

jest.setTimeout(180_000);

const env = useTestEnv();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-inbox-it-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const s = randomUUID().slice(0, 6);
const [alice, bob, carol, dave, legal] = ['alice', 'bob', 'carol', 'dave', 'legal'].map((n) => `${n}-${s}`);
const ids = { doc: `inbox-doc-${s}`, contract: `inbox-contract-${s}`, deal: `inbox-deal-${s}` };

const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};
const gated = (id: string, acceptors: string[]) =>
  `{ id: ${id}, tool: echo, with: { doc: ${id} }, acceptance: { acceptors: [${acceptors.map((a) => `"${a}"`).join(', ')}] } }`;

/** This test's entries only (`workflowId`/`gate`), sorted: other files' runs share the server. */
const mine = (entries: InboxEntry[]) =>
  entries
    .filter((e) => Object.values(ids).some((id) => e.workflowId === id || e.workflowId.startsWith(`${id}/`)))
    .map((e) => `${e.workflowId} ${e.gate}`)
    .sort();

const inboxOf = (who: { me?: string; groups?: string[] }) => env.flowstate.inbox(who);
const settles = (who: { me?: string; groups?: string[] }, expected: string[]) =>
  eventually(
    () => inboxOf(who),
    (entries) => JSON.stringify(mine(entries)) === JSON.stringify([...expected].sort()),
  );

/** Every pending gate of the three runs, as `<run> <gate>`. */
const gates = {
  draft: `${ids.doc} draft`,
  terms: `${ids.contract} parts/terms`,
  price: `${ids.contract} parts/price`,
  sign: `${ids.deal} parts/sign`,
  legal: `${ids.deal}/parts/review legal`,
};

const cli = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
  runCli(['inbox', ...args], env.processEnv({ FLOWSTATE_TOKEN: '', ...extra }));

/** An unsigned JWT: the inbox reads its claims without verifying (the worker verifies decisions). */
const token = (claims: Record<string, unknown>) =>
  [{ alg: 'HS256', typ: 'JWT' }, claims]
    .map((p) => Buffer.from(JSON.stringify(p)).toString('base64url'))
    .concat('c2lnbmF0dXJl')
    .join('.');

beforeAll(async () => {
  const doc = write('doc.yaml', `id: inbox-doc\nversion: 1.0.0\ntasks:\n  - ${gated('draft', [alice])}\n`);
  const contract = write(
    'contract.yaml',
    `id: inbox-contract\nversion: 2.0.0\ntasks:\n  - id: parts\n    type: parallel\n    tasks:\n      - ${gated('terms', [`group:${legal}`])}\n      - ${gated('price', [bob, alice])}\n`,
  );
  write('legal.yaml', `id: inbox-legal\nversion: 1.0.0\ntasks:\n  - ${gated('legal', [`group:${legal}`])}\n`);
  const deal = write(
    'deal.yaml',
    `id: inbox-deal\nversion: 1.0.0\ntasks:\n  - id: parts\n    type: parallel\n    tasks:\n      - ${gated('sign', [`group:${legal}`])}\n      - { id: review, type: subflow, definition: ./legal.yaml }\n`,
  );
  await env.start(await loadFile(doc), {}, ids.doc);
  await env.start(await loadFile(contract), {}, ids.contract);
  await env.start(await loadFile(deal), {}, ids.deal);
  // The subflow child's gate shows in the parent's state too, as parts/review/legal.
  await eventually(
    () => env.flowstate.state(ids.deal),
    (st) => st.pending_gates.map((g) => g.gate).includes('parts/review/legal'),
  );
});

test('each person sees exactly the gates they may decide, each once, with what to review and how', async () => {
  await settles({ me: alice }, [gates.draft, gates.price]);
  await settles({ me: bob }, [gates.price]);
  // carol is in legal: the child's gate once, on the child's run (not again as parts/review/legal).
  const carols = await settles({ me: carol, groups: [legal] }, [gates.terms, gates.sign, gates.legal]);
  await settles({ groups: [`group:${legal}`] }, [gates.terms, gates.sign, gates.legal]);
  await settles({ me: alice, groups: [legal] }, Object.values(gates));
  expect(mine(await inboxOf({ me: dave }))).toEqual([]);
  expect(mine(await inboxOf({ me: carol }))).toEqual([]); // without her group

  const child = carols.find((e) => e.gate === 'legal')!;
  expect(child).toEqual({
    workflowId: `${ids.deal}/parts/review`,
    definition: 'inbox-legal',
    version: '1.0.0',
    gate: 'legal',
    task: 'legal',
    acceptors: [`group:${legal}`],
    since: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
    revision: 0,
    review: { doc: 'legal' },
    command: `npx flowstate approve ${ids.deal}/parts/review --gate legal --by group:${legal}`,
  });
  const since = Date.parse(child.since);
  expect(since).toBeLessThanOrEqual(Date.now());
  expect(since).toBeGreaterThan(Date.now() - 120_000);
  const terms = carols.find((e) => e.gate === 'parts/terms')!;
  expect(terms).toMatchObject({ definition: 'inbox-contract', version: '2.0.0', review: { doc: 'terms' } });
});

test('flowstate inbox as a process: --me, --group, --token, --json, nobody, and the printed command decides', async () => {
  await settles({ me: alice, groups: [legal] }, Object.values(gates));

  const human = await cli(['--me', bob]);
  expect(human.code).toBe(0);
  expect(human.stdout).toContain(`${ids.contract}  gate parts/price  inbox-contract@2.0.0  revision 0`);
  expect(human.stdout).toMatch(/ {2}since: {5}(just now|\d+ (seconds?|minutes?) ago) \(\d{4}-\d\d-\d\dT/);
  expect(human.stdout).toContain(`  acceptors: ${bob}, ${alice}`);
  expect(human.stdout).toContain('  review:    {"doc":"price"}');
  expect(human.stdout).toContain(
    `  approve:   npx flowstate approve ${ids.contract} --gate parts/price --by ${bob}`,
  );
  expect(human.stdout).toContain(
    `  reject:    npx flowstate reject ${ids.contract} --gate parts/price --by ${bob}`,
  );
  expect(human.stdout).not.toContain(ids.doc);

  const json = await cli(['--me', carol, '--group', legal, '--json']);
  expect(json.code).toBe(0);
  const listed = JSON.parse(json.stdout) as InboxEntry[];
  expect(mine(listed)).toEqual([gates.terms, gates.sign, gates.legal].sort());

  // From a token: carol's sub and groups claims (read, not verified).
  const fromToken = await cli(['--json'], { FLOWSTATE_TOKEN: token({ sub: carol, groups: [legal] }) });
  expect(fromToken.code).toBe(0);
  const viaToken = JSON.parse(fromToken.stdout) as InboxEntry[];
  expect(mine(viaToken)).toEqual(mine(listed));
  expect(viaToken.find((e) => e.gate === 'legal')!.command).toBe(
    `npx flowstate approve ${ids.deal}/parts/review --gate legal --token "$FLOWSTATE_TOKEN"`,
  );
  const flag = await cli(['--token', token({ sub: bob }), '--json']);
  expect(mine(JSON.parse(flag.stdout) as InboxEntry[])).toEqual([gates.price]);

  const empty = await cli(['--me', dave]);
  expect(empty).toMatchObject({ code: 0, stdout: '' });
  expect(empty.stderr).toContain(`no gates wait for ${dave}`);

  const nobody = await cli([]);
  expect(nobody.code).toBe(2);
  expect(nobody.stderr).toMatch(/--me NAME.*--token T \(or set FLOWSTATE_TOKEN\)/);
  const garbage = await cli(['--token', 'not-a-jwt']);
  expect(garbage.code).toBe(2);
  expect(garbage.stderr).toContain('--token (or FLOWSTATE_TOKEN) is not a JWT');

  // The command the inbox printed decides the child's gate; it leaves every inbox, the rest stay.
  const command = listed.find((e) => e.gate === 'legal')!.command.split(' ');
  expect(command.slice(0, 2)).toEqual(['npx', 'flowstate']);
  const decided = await runCli(command.slice(2), env.processEnv());
  expect(decided.code).toBe(0);
  await settles({ me: carol, groups: [legal] }, [gates.terms, gates.sign]);
});

test('a decided gate leaves the inbox; a run with none left leaves it too', async () => {
  await env.flowstate.decide(ids.doc, { gate: 'draft', decision: 'approve', by: alice });
  await settles({ me: alice }, [gates.price]);
  await env.flowstate.decide(ids.contract, {
    gate: 'parts/price',
    decision: 'reject',
    by: bob,
    comment: 'no',
  });
  // Rejected with revisions left: the gate opens again at revision 1 and is back in the inbox.
  const again = await eventually(
    () => inboxOf({ me: bob }),
    (entries) => entries.some((e) => e.workflowId === ids.contract && e.revision === 1),
  );
  expect(mine(again)).toEqual([gates.price]);
  await env.flowstate.decide(ids.contract, { gate: 'parts/price', decision: 'approve', by: bob });
  await env.flowstate.decide(ids.contract, {
    gate: 'parts/terms',
    decision: 'approve',
    by: `group:${legal}`,
  });
  await env.flowstate.decide(ids.deal, { gate: 'parts/sign', decision: 'approve', by: `group:${legal}` });
  await env.flowstate.result(ids.contract);
  await env.flowstate.result(ids.deal);
  await settles({ me: alice, groups: [legal] }, []);
  const closed = await env.client.workflow.getHandle(ids.deal).describe();
  expect(closed.searchAttributes.FlowstateAcceptors ?? []).toEqual([]);
});
