/**
 * The agent registry: which agents have a skill, in the order they are tried.
 *
 * Selection rule: the agents with the skill, ordered by `priority` (lower first), then by their
 * position in the agents file. A call tries them in that order and moves to the next only when one
 * cannot be reached (connection refused or reset, DNS failure, timeout, 408/429/502/503/504, or a
 * 5xx without a typed error body); an agent that answers, even with an error, ends the call.
 *
 * Agents listed by `card:` are A2A agents: their skills (ids and names) and JSON-RPC endpoint come
 * from their agent card, fetched on first use and kept for `cardTtlMs`. A card that cannot be read
 * makes that agent unreachable for the call (it is not cached, so the next call tries again).
 */
import { AgentRegistryError, type Unreachable } from './errors';
import { readAgentCard, type AgentCardInfo } from './agent-card';
import { readAgentsFile, type AgentEntry, type AgentsFile } from './registry-file';
import { readBodyBounded } from '../activities/builtin-tools/bounded-body';
import { connectionReason, formatMs, responseLimit } from './wire';
import type { WireTarget } from './wire';

/** An agent ready to call: where and how (its wire target), and how it ranks for its skills. */
export interface ResolvedAgent extends WireTarget {
  priority: number;
  order: number;
  skills: string[];
}

/** The agents that may serve a skill, in order, and the card agents whose card could not be read. */
export interface Candidates {
  agents: ResolvedAgent[];
  unreadable: Unreachable[];
}

export interface AgentRegistryOptions {
  /** How long a fetched agent card is trusted (default 5 minutes). */
  cardTtlMs?: number;
  /** Longest wait for an agent card (default 10s, or the agent's timeout when shorter). */
  cardTimeoutMs?: number;
}

/** Order agents by the selection rule: `priority` ascending, then file order. Does not mutate. */
export function bySelectionRule<T extends { priority: number; order: number }>(agents: readonly T[]): T[] {
  return [...agents].sort((a, b) => a.priority - b.priority || a.order - b.order);
}

/** The agents of an agents file, with their cards fetched and cached, chosen by skill and selection rule. */
export class AgentRegistry {
  private readonly cards = new Map<string, { info: AgentCardInfo; until: number }>();
  private readonly cardTtlMs: number;
  private readonly cardTimeoutMs: number;

  constructor(
    readonly source: AgentsFile,
    options: AgentRegistryOptions = {},
  ) {
    this.cardTtlMs = options.cardTtlMs ?? 300_000;
    this.cardTimeoutMs = options.cardTimeoutMs ?? 10_000;
  }

  /** Load an agents file (throws `AgentRegistryError` with every problem's file:line:col). */
  static fromFile(file: string, options?: AgentRegistryOptions): AgentRegistry {
    return new AgentRegistry(readAgentsFile(file), options);
  }

  /** The file the agents come from, for messages. */
  get file(): string {
    return this.source.file;
  }

  /** Skills the registry knows of: listed in the file, or read from cards fetched so far. */
  knownSkills(): string[] {
    const skills = new Set<string>();
    for (const entry of this.source.agents) {
      for (const s of entry.skills ?? (entry.card ? (this.cards.get(entry.card)?.info.skills ?? []) : []))
        skills.add(s);
    }
    return [...skills].sort();
  }

  /**
   * Agents with `skill`, in the order a call tries them (see the selection rule above). `cancelled`
   * aborts card fetches (its reason is thrown).
   */
  async candidates(skill: string, cancelled?: AbortSignal): Promise<Candidates> {
    const agents: ResolvedAgent[] = [];
    const unreadable: Unreachable[] = [];
    for (const entry of this.source.agents) {
      if (entry.skills && !entry.skills.includes(skill)) continue;
      if (!entry.card) {
        agents.push(resolved(entry, entry.url!, entry.skills!));
        continue;
      }
      try {
        const card = await this.card(entry, cancelled);
        const skills = entry.skills ?? card.skills;
        if (skills.includes(skill))
          agents.push({ ...resolved(entry, entry.url ?? card.url, skills), a2aMajor: card.a2aMajor });
      } catch (e) {
        if (cancelled?.aborted) throw cancelled.reason ?? e;
        unreadable.push({
          agent: entry.name,
          url: entry.card,
          reason: `agent card: ${(e as Error).message}`,
        });
      }
    }
    return { agents: bySelectionRule(agents), unreadable };
  }

  private async card(entry: AgentEntry, cancelled?: AbortSignal): Promise<AgentCardInfo> {
    const url = entry.card!;
    const cached = this.cards.get(url);
    if (cached && cached.until > Date.now()) return cached.info;
    const timeoutMs = Math.min(this.cardTimeoutMs, entry.timeoutMs);
    const timeout = AbortSignal.timeout(timeoutMs);
    let res: Response;
    try {
      res = await fetch(url, {
        headers: { accept: 'application/json', ...entry.headers },
        signal: cancelled ? AbortSignal.any([cancelled, timeout]) : timeout,
      });
    } catch (e) {
      throw new Error(timeout.aborted ? `no answer within ${formatMs(timeoutMs)}` : connectionReason(e), {
        cause: e,
      });
    }
    // A card is small: one past the response limit (1 MiB by default) is refused, not read on.
    const text = await readBodyBounded(res, responseLimit());
    if (!res.ok) throw new Error(`GET ${url} answered ${res.status} ${res.statusText}`.trim());
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(`${url} is not JSON`);
    }
    const info = readAgentCard(json, url);
    this.cards.set(url, { info, until: Date.now() + this.cardTtlMs });
    return info;
  }
}

function resolved(entry: AgentEntry, url: string, skills: string[]): ResolvedAgent {
  return {
    name: entry.name,
    url,
    protocol: entry.protocol,
    headers: entry.headers,
    timeoutMs: entry.timeoutMs,
    priority: entry.priority,
    order: entry.order,
    skills,
  };
}

export { AgentRegistryError };
