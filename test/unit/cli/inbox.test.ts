/**
 * `flowstate inbox`'s pure parts: whose inbox (`--me`/`--group`, or a token's claims), and how each
 * gate reads: run, gate, definition, since (relative and absolute), review, the commands to decide.
 */
import { CliError } from '../../../src/cli/output';
import { ago, inboxText, personOf, shortReview, whoText } from '../../../src/cli/commands/inbox';
import type { InboxEntry } from '../../../src/client/inbox';

describe('whose inbox', () => {
  test('--me and --group as given', () => {
    expect(personOf({ me: 'alice', group: ['legal'] })).toEqual({ me: 'alice', groups: ['legal'] });
    expect(personOf({ group: ['legal'] })).toEqual({ groups: ['legal'] });
  });

  test("a token's sub and groups claims when --me is not given; --group adds to them", () => {
    expect(personOf({ group: [] }, { sub: 'carol', groups: ['legal', 'ops'] })).toEqual({
      me: 'carol',
      groups: ['legal', 'ops'],
    });
    expect(personOf({ group: ['finance'] }, { sub: 'carol', groups: 'legal ops' })).toEqual({
      me: 'carol',
      groups: ['finance', 'legal', 'ops'],
    });
  });

  test('--me wins over the token', () => {
    expect(personOf({ me: 'alice', group: [] }, { sub: 'carol', groups: ['legal'] })).toEqual({
      me: 'alice',
    });
  });

  test('nobody named: a usage error (exit 2) naming --me and --token', () => {
    const e = (() => {
      try {
        personOf({ group: [] });
      } catch (err) {
        return err as CliError;
      }
      throw new Error('expected a usage error');
    })();
    expect(e).toBeInstanceOf(CliError);
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/--me NAME/);
    expect(e.message).toMatch(/--token T \(or set FLOWSTATE_TOKEN\)/);
    expect(() => personOf({ group: [] }, { iss: 'x' } as never)).toThrow(/the token names nobody/);
  });

  test('in words', () => {
    expect(whoText({ me: 'alice', groups: ['legal'] })).toBe('alice (group:legal)');
    expect(whoText({ groups: ['legal', 'group:ops'] })).toBe('group:legal, group:ops');
    expect(whoText({ me: 'bob' })).toBe('bob');
  });
});

describe('how a gate reads', () => {
  const now = new Date('2026-11-30T04:00:00.000Z');

  test('since, relative', () => {
    expect(ago('2026-11-30T03:59:50.000Z', now)).toBe('just now');
    expect(ago('2026-11-30T03:59:00.000Z', now)).toBe('1 minute ago');
    expect(ago('2026-11-30T03:35:00.000Z', now)).toBe('25 minutes ago');
    expect(ago('2026-11-30T01:00:00.000Z', now)).toBe('3 hours ago');
    expect(ago('2026-11-27T04:00:00.000Z', now)).toBe('3 days ago');
  });

  test('the review on one short line', () => {
    expect(shortReview({ title: 'Q3\nplan' })).toBe('{"title":"Q3\\nplan"}');
    expect(shortReview('a\n  b')).toBe('a b');
    expect(shortReview('x'.repeat(300), 20)).toBe(`${'x'.repeat(19)}…`);
  });

  test('a block per gate: run, gate, definition, since, acceptors, review, approve and reject', () => {
    const entry: InboxEntry = {
      workflowId: 'doc-1',
      definition: 'doc',
      version: '1.0.0',
      gate: 'draft',
      task: 'draft',
      acceptors: ['alice', 'group:legal'],
      since: '2026-11-30T03:30:00.000Z',
      revision: 1,
      review: { title: 'Q3 plan' },
      command: 'npx flowstate approve doc-1 --gate draft --by alice',
    };
    expect(inboxText([entry, { ...entry, workflowId: 'doc-2', acceptors: [] }], now)).toBe(
      [
        'doc-1  gate draft  doc@1.0.0  revision 1',
        '  since:     30 minutes ago (2026-11-30T03:30:00.000Z)',
        '  acceptors: alice, group:legal',
        '  review:    {"title":"Q3 plan"}',
        '  approve:   npx flowstate approve doc-1 --gate draft --by alice',
        "  reject:    npx flowstate reject doc-1 --gate draft --by alice --comment '<what to change>'",
        '',
        'doc-2  gate draft  doc@1.0.0  revision 1',
        '  since:     30 minutes ago (2026-11-30T03:30:00.000Z)',
        '  acceptors: anyone',
        '  review:    {"title":"Q3 plan"}',
        '  approve:   npx flowstate approve doc-1 --gate draft --by alice',
        "  reject:    npx flowstate reject doc-1 --gate draft --by alice --comment '<what to change>'",
      ].join('\n'),
    );
  });
});
