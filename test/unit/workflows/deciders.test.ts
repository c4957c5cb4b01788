/**
 * Who decides a gate, given what the worker's verifier said of the token: a verified subject (or one
 * of its groups) must be an acceptor, `by` counts only without a verifier, a refused token is
 * `Unauthenticated`, and the run's starter may not decide a gate with `allow_self_review: false`.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import type { DeciderIdentity } from '../../../src/contract/activities';
import { deciderOf, mayDecide } from '../../../src/workflows/deciders';

const gate = { gate: 'contract', acceptors: ['alice', 'group:legal'] };
const d = { gate: 'contract', decision: 'approve' as const, by: 'alice' };
const verified = (subject: string, groups: string[] = []): DeciderIdentity => ({
  verified: true,
  subject,
  groups,
  issuer: 'corp',
});

function refusedWith(f: () => unknown): { type?: string | null; message: string } {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ApplicationFailure);
    return { type: (e as ApplicationFailure).type, message: (e as Error).message };
  }
  throw new Error('not refused');
}

test('a verified acceptor decides as the token says, whatever by says', () => {
  expect(deciderOf({ ...d, by: 'mallory' }, verified('alice'), gate)).toEqual({
    name: 'alice',
    verified: true,
    issuer: 'corp',
  });
});

test('a member of group:legal decides', () => {
  expect(deciderOf({ ...d, by: 'x' }, verified('carol', ['legal']), gate).name).toBe('carol');
});

test('a verified non-acceptor is NotAnAcceptor, even when by names an acceptor', () => {
  expect(refusedWith(() => deciderOf(d, verified('mallory', ['sales']), gate))).toEqual({
    type: 'NotAnAcceptor',
    message:
      "the token's subject 'mallory' (groups: sales) may not decide gate 'contract': acceptors are alice, group:legal",
  });
});

test('a refused token is Unauthenticated, with the reason', () => {
  const identity = {
    verified: false,
    refused: { type: 'Unauthenticated', message: 'token refused: it has expired' },
  };
  expect(refusedWith(() => deciderOf(d, identity, gate))).toEqual({
    type: 'Unauthenticated',
    message: 'token refused: it has expired',
  });
});

test('without a verifier, by is taken as said and recorded unverified', () => {
  expect(deciderOf(d, { verified: false }, gate)).toEqual({ name: 'alice', verified: false });
  expect(refusedWith(() => deciderOf({ ...d, by: 'bob' }, { verified: false }, gate)).type).toBe(
    'NotAnAcceptor',
  );
});

test('allow_self_review: false refuses the run starter, and only when the gate says so', () => {
  const started = { subject: 'alice', verified: true };
  const strict = { ...gate, allow_self_review: false as const };
  expect(refusedWith(() => deciderOf(d, verified('alice'), strict, started))).toEqual({
    type: 'SelfReview',
    message:
      "'alice' started this run and may not decide gate 'contract' (allow_self_review: false): another acceptor must",
  });
  expect(deciderOf(d, verified('alice'), gate, started).name).toBe('alice');
  expect(deciderOf(d, verified('carol', ['legal']), strict, started).name).toBe('carol');
});

test('no acceptors: anyone; group:x matches a group, not a user named x', () => {
  expect(mayDecide([], 'anyone', [])).toBe(true);
  expect(mayDecide(['group:legal'], 'legal', [])).toBe(false);
  expect(mayDecide(['group:legal'], 'z', ['legal'])).toBe(true);
});
