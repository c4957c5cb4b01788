/**
 * Reading A2A agent cards (`/.well-known/agent-card.json`) ourselves, with fetch and zod.
 *
 * Why not `@a2a-js/sdk`: it is CommonJS-loadable (its exports have `require` entries) and actively
 * kept, but all Flowstate needs from A2A discovery is one JSON document's `skills` and endpoint, and
 * the SDK would be a new dependency (with optional peers: express, grpc, databases) for it. Reading
 * the card is a few lines; both card layouts are understood:
 *
 * - A2A 0.3: `url` (+ `preferredTransport`, `additionalInterfaces[{ url, transport }]`).
 * - A2A 1.0: `supportedInterfaces[{ url, protocolBinding, protocolVersion }]`.
 *
 * Flowstate calls the agent over JSON-RPC, so the card must offer a `JSONRPC` interface.
 */
import { z } from 'zod';

const Skill = z.looseObject({ id: z.string().min(1), name: z.string().optional() });
const Interface = z.looseObject({
  url: z.string().min(1),
  protocolBinding: z.string().optional(),
  transport: z.string().optional(),
  protocolVersion: z.string().optional(),
});
const CardSchema = z.looseObject({
  name: z.string().optional(),
  url: z.string().optional(),
  protocolVersion: z.string().optional(),
  preferredTransport: z.string().optional(),
  additionalInterfaces: z.array(Interface).optional(),
  supportedInterfaces: z.array(Interface).optional(),
  skills: z.array(Skill, { error: 'the card has no skills list' }),
});

/** What Flowstate takes from an agent card. */
export interface AgentCardInfo {
  /** The card's own name (the registry's `name` is what runs record). */
  name?: string;
  /** JSON-RPC endpoint. */
  url: string;
  /** Skill ids and names: a task's `agent:` matches either. */
  skills: string[];
  /** Major A2A version the endpoint speaks: `0` (0.x, `message/send`) or `1` (1.x, `SendMessage`). */
  a2aMajor: 0 | 1;
}

/** Turn a fetched card into what calls need; throws an Error saying what is wrong with it. */
export function readAgentCard(json: unknown, cardUrl: string): AgentCardInfo {
  const parsed = CardSchema.safeParse(json);
  if (!parsed.success)
    throw new Error(`agent card ${cardUrl} is not an A2A agent card: ${z.prettifyError(parsed.error)}`);
  const card = parsed.data;
  const resolve = (url: string) => new URL(url, cardUrl).toString();
  const skills = [...new Set(card.skills.flatMap((s) => (s.name ? [s.id, s.name] : [s.id])))];
  const name = card.name !== undefined ? { name: card.name } : {};
  if (card.supportedInterfaces) {
    const rpc = card.supportedInterfaces.find(
      (i) => (i.protocolBinding ?? 'JSONRPC').toUpperCase() === 'JSONRPC',
    );
    if (!rpc)
      throw new Error(
        `agent card ${cardUrl} offers no JSONRPC interface (Flowstate calls A2A agents over JSON-RPC)`,
      );
    const major = (rpc.protocolVersion ?? card.protocolVersion ?? '1').startsWith('0') ? 0 : 1;
    return { ...name, url: resolve(rpc.url), skills, a2aMajor: major };
  }
  const preferred = (card.preferredTransport ?? 'JSONRPC').toUpperCase() === 'JSONRPC' ? card.url : undefined;
  const url =
    preferred ?? card.additionalInterfaces?.find((i) => (i.transport ?? '').toUpperCase() === 'JSONRPC')?.url;
  if (!url)
    throw new Error(
      `agent card ${cardUrl} offers no JSONRPC endpoint (Flowstate calls A2A agents over JSON-RPC)`,
    );
  const major = (card.protocolVersion ?? '0.3').startsWith('0') ? 0 : 1;
  return { ...name, url: resolve(url), skills, a2aMajor: major };
}
