/**
 * `flowstate inbox`: the pending gates a person may decide, with what is under review, since when,
 * and the command to decide each. The person is `--me` and `--group`, or a token's `sub` and `groups`
 * claims (read, not verified: listing trusts them; the worker verifies every decision).
 */
import type { Command } from 'commander';
import type { InboxEntry, InboxWho } from '../../client/inbox';
import { CliError, note, out, outJson } from '../output';
import { withClient } from './client';

/** What `inbox` was given. */
export interface InboxOptions {
  me?: string;
  group: string[];
  token?: string;
  json?: boolean;
}

/** The claims of a token the inbox reads: the subject and the groups. */
export interface PersonClaims {
  sub?: unknown;
  groups?: unknown;
}

/**
 * The person to list gates for: `--me` (else the token's `sub`) and `--group`s (plus the token's
 * `groups` when `--me` is not given). `claims` are undefined without a token; throws a usage error
 * naming `--me` and `--token` when nobody is named.
 */
export function personOf(o: Pick<InboxOptions, 'me' | 'group'>, claims?: PersonClaims): InboxWho {
  const fromToken = o.me === undefined && claims !== undefined;
  const me = o.me ?? (fromToken && typeof claims.sub === 'string' ? claims.sub : undefined);
  const tokenGroups = fromToken ? groupsClaim(claims.groups) : [];
  const groups = [...new Set([...o.group, ...tokenGroups])];
  if (!me && groups.length === 0) {
    throw new CliError(
      claims
        ? 'the token names nobody (no sub and no groups claim): pass --me NAME (and --group G for each group)'
        : 'whose inbox? pass --me NAME (and --group G for each group), or --token T (or set FLOWSTATE_TOKEN) to read them from your token',
      2,
    );
  }
  return { ...(me ? { me } : {}), ...(groups.length ? { groups } : {}) };
}

function groupsClaim(groups: unknown): string[] {
  if (typeof groups === 'string') return groups.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(groups)) return groups.filter((g): g is string => typeof g === 'string' && g.length > 0);
  return [];
}

/** How long ago `since` was, in words: `just now`, `5 minutes ago`, `3 days ago`. */
export function ago(since: string, now: Date = new Date()): string {
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(since)) / 1000));
  if (!Number.isFinite(seconds)) return 'at an unknown time';
  if (seconds < 45) return 'just now';
  const units: Array<[string, number]> = [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ];
  for (const [unit, size] of units) {
    const n = Math.round(seconds / size);
    if (n >= 1 && seconds >= size * 0.75) return `${n} ${unit}${n === 1 ? '' : 's'} ago`;
  }
  return `${seconds} seconds ago`;
}

/** The review on one line, at most `width` characters. */
export function shortReview(review: unknown, width = 100): string {
  const text = typeof review === 'string' ? review : (JSON.stringify(review) ?? 'null');
  const line = text.replace(/\s+/g, ' ');
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

/** The human view: a block per gate (run, gate, definition, review, since, commands). */
export function inboxText(entries: readonly InboxEntry[], now: Date = new Date()): string {
  return entries
    .map((e) => {
      const reject = e.command.replace(/^npx flowstate approve /, 'npx flowstate reject ');
      return [
        `${e.workflowId}  gate ${e.gate}  ${e.definition}@${e.version}  revision ${e.revision}`,
        `  since:     ${ago(e.since, now)} (${e.since})`,
        `  acceptors: ${e.acceptors.length ? e.acceptors.join(', ') : 'anyone'}`,
        `  review:    ${shortReview(e.review)}`,
        `  approve:   ${e.command}`,
        `  reject:    ${reject} --comment '<what to change>'`,
      ].join('\n');
    })
    .join('\n\n');
}

/** Who the inbox is for, in words: `alice (group:legal)`. */
export function whoText(who: InboxWho): string {
  const groups = (who.groups ?? []).map((g) => (g.startsWith('group:') ? g : `group:${g}`));
  if (!who.me) return groups.join(', ');
  return groups.length ? `${who.me} (${groups.join(', ')})` : who.me;
}

/** `inbox`: the pending gates this person (or their groups) may decide. */
export function inboxCommand(program: Command): void {
  program
    .command('inbox')
    .description('pending gates this person (or their groups) may decide, oldest first')
    .option('--me <name>', 'who you are: an acceptor name (default: the token subject)')
    .option(
      '--group <group>',
      'a group you belong to (group:<group> acceptors); repeat for each',
      (g: string, all: string[]) => [...all, g],
      [] as string[],
    )
    .option('--token <jwt>', 'read --me and --group from this token (default FLOWSTATE_TOKEN)')
    .option('--json', 'print the gates as a JSON array')
    .addHelpText(
      'after',
      `
The token is read, not verified: listing trusts it. Deciding is checked by the worker (with its
verifier on, a decision counts only with a valid token of an acceptor).

Examples:
  $ flowstate inbox --me alice --group legal
  $ FLOWSTATE_TOKEN=eyJ... flowstate inbox
  $ flowstate inbox --me alice --json | jq -r '.[].command'`,
    )
    .action(async (o: InboxOptions) => {
      const token = o.token ?? (process.env.FLOWSTATE_TOKEN || undefined);
      const who = personOf(o, token !== undefined ? claimsOf(token) : undefined);
      await withClient(async (client) => {
        const onUnreadable = (id: string, why: string) =>
          note(`could not read run ${id} (its gates are not listed): ${why.split('\n')[0]}`);
        let entries = await client.inbox(who, { onUnreadable });
        // With a token the worker takes the decider from it: the command sends it instead of --by.
        if (token !== undefined) {
          const { decideCommand } = require('../../client/inbox') as typeof import('../../client/inbox');
          const command = (e: InboxEntry) =>
            `${decideCommand(e.workflowId, e.gate)} --token "$FLOWSTATE_TOKEN"`;
          entries = entries.map((e) => ({ ...e, command: command(e) }));
        }
        if (o.json) return outJson(entries);
        if (entries.length === 0) return note(`no gates wait for ${whoText(who)}`);
        out(inboxText(entries));
      });
    });
}

/** The token's claims, decoded without verification (`jose.decodeJwt`); a usage error when it is no JWT. */
function claimsOf(token: string): PersonClaims {
  const { decodeJwt } = require('jose') as typeof import('jose');
  try {
    return decodeJwt(token);
  } catch (e) {
    throw new CliError(`--token (or FLOWSTATE_TOKEN) is not a JWT: ${(e as Error).message}`, 2);
  }
}
