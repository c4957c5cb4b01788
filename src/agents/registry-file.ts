/**
 * The agents file: YAML or JSON listing the agents a worker may call.
 *
 * ```yaml
 * timeout: 60s                 # optional: default per-call timeout
 * agents:
 *   - name: reviewer-1         # recorded as the task's meta.agent
 *     url: http://127.0.0.1:4103/
 *     skills: [review-code]
 *     priority: 0              # optional, lower is tried first (default 0); ties keep file order
 *     timeout: 30s             # optional per-call timeout for this agent
 *   - name: helper
 *     card: http://127.0.0.1:4107   # an A2A agent: skills and endpoint read from its agent card
 * ```
 *
 * Loading validates everything and reports every problem with its `file:line:col`.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { Duration, durationMs } from '../contract/fields';
import { formatPath, type DocPath } from '../dsl/paths';
import { parseSource } from '../dsl/source';
import { AgentRegistryError } from './errors';

/** Where the well-known agent card lives under an agent's base URL (A2A). */
export const AGENT_CARD_PATH = '/.well-known/agent-card.json';

/** Default per-call timeout when neither the agent nor the file sets one. */
export const DEFAULT_AGENT_TIMEOUT_MS = 60_000;

const HttpUrl = z.url({
  protocol: /^https?$/,
  error: 'expected an http(s) URL, e.g. http://127.0.0.1:4101/',
});

const AgentEntrySchema = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected an agent name: letters, digits, ., _ or -')
      .describe('recorded as meta.agent of the tasks the agent answers'),
    url: HttpUrl.optional().describe('endpoint the call is POSTed to'),
    card: HttpUrl.optional().describe('an A2A agent: its base URL or the URL of its agent card'),
    skills: z.array(z.string().min(1)).min(1, 'list at least one skill').optional(),
    priority: z.number().int().default(0).describe('lower is tried first; ties keep file order'),
    timeout: Duration.optional().describe('per-call timeout, e.g. 30s'),
    protocol: z
      .enum(['flowstate', 'a2a'])
      .optional()
      .describe('wire protocol; default flowstate (a2a for card entries)'),
    headers: z
      .record(z.string(), z.string())
      .optional()
      .describe('extra request headers, e.g. authorization'),
  })
  .strict()
  .superRefine((entry, ctx) => {
    if (!entry.url && !entry.card) {
      ctx.addIssue({
        code: 'custom',
        message: 'an agent needs url (with skills) or card (an A2A agent card)',
        path: ['url'],
      });
    }
    if (entry.url && !entry.card && !entry.skills) {
      ctx.addIssue({
        code: 'custom',
        message: `agent '${entry.name}' needs skills: [...] (only card entries read them from the agent)`,
        path: ['skills'],
      });
    }
  });

const AgentsFileSchema = z
  .object({
    timeout: Duration.optional().describe('default per-call timeout'),
    agents: z.array(AgentEntrySchema, {
      error:
        'expected a list of agents, e.g. agents: [{ name: a, url: http://127.0.0.1:4101/, skills: [plan] }]',
    }),
  })
  .strict();

/** One agent as listed in the file, with its defaults applied. */
export interface AgentEntry {
  name: string;
  /** Endpoint; absent for card entries until the card is read. */
  url?: string;
  /** URL of the A2A agent card (already ending in `/.well-known/agent-card.json` or a `.json` file). */
  card?: string;
  /** Skills listed in the file; card entries without them take the card's. */
  skills?: string[];
  priority: number;
  timeoutMs: number;
  protocol: 'flowstate' | 'a2a';
  headers: Record<string, string>;
  /** 0-based position in the file: the tie-break after priority. */
  order: number;
}

/** A loaded agents file. */
export interface AgentsFile {
  /** The path it was read from (used in error messages). */
  file: string;
  agents: AgentEntry[];
}

/** `http://host:4107` → `http://host:4107/.well-known/agent-card.json`; a `.json` URL is kept. */
export function cardUrl(url: string): string {
  const u = new URL(url);
  if (u.pathname.endsWith('.json')) return u.toString();
  u.pathname = `${u.pathname.replace(/\/+$/, '')}${AGENT_CARD_PATH}`;
  return u.toString();
}

/** Parse agents-file text; throws `AgentRegistryError` listing every problem as `file:line:col: message`. */
export function parseAgentsFile(text: string, file: string): AgentsFile {
  const parsed = parseSource(text);
  if (!parsed.ok)
    throw new AgentRegistryError(
      file,
      parsed.errors.map((e) => `${file}:${e.line}:${e.col}: ${e.message}`),
    );
  const { source } = parsed;
  const at = (path: DocPath, message: string, anchor: 'key' | 'value' = 'value') => {
    const pos = source.locate(path, anchor);
    const where = path.length > 0 ? `${formatPath(path)}: ` : '';
    return `${file}:${pos.line}:${pos.col}: ${where}${message}`;
  };
  const result = AgentsFileSchema.safeParse(source.value ?? {});
  if (!result.success) {
    throw new AgentRegistryError(
      file,
      result.error.issues.map((issue) => {
        if (issue.code === 'unrecognized_keys') {
          return at(
            [...(issue.path as DocPath), issue.keys[0]],
            `unknown field '${issue.keys.join("', '")}'`,
            'key',
          );
        }
        return at(issue.path as DocPath, issue.message);
      }),
    );
  }
  const doc = result.data;
  const problems: string[] = [];
  const seen = new Map<string, number>();
  doc.agents.forEach((a, i) => {
    const first = seen.get(a.name);
    if (first !== undefined)
      problems.push(at(['agents', i, 'name'], `agent name '${a.name}' is already used by agents[${first}]`));
    else seen.set(a.name, i);
  });
  if (problems.length > 0) throw new AgentRegistryError(file, problems);
  const fileTimeout = doc.timeout ? durationMs(doc.timeout) : DEFAULT_AGENT_TIMEOUT_MS;
  return {
    file,
    agents: doc.agents.map((a, order) => ({
      name: a.name,
      ...(a.url ? { url: a.url } : {}),
      ...(a.card ? { card: cardUrl(a.card) } : {}),
      ...(a.skills ? { skills: a.skills } : {}),
      priority: a.priority,
      timeoutMs: a.timeout ? durationMs(a.timeout) : fileTimeout,
      protocol: a.protocol ?? (a.card ? 'a2a' : 'flowstate'),
      headers: a.headers ?? {},
      order,
    })),
  };
}

/** Read and parse an agents file (YAML or JSON). */
export function readAgentsFile(file: string): AgentsFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new AgentRegistryError(file, [`${file}: cannot read the agents file: ${(e as Error).message}`]);
  }
  return parseAgentsFile(text, file);
}
