/**
 * A minimal agent server (node:http, no framework) speaking both wire protocols of docs/agents.md:
 *
 * - `POST /`: the Flowstate protocol, `{ skill, input, task, idempotency_key }` → `{ output }`.
 * - `GET /.well-known/agent-card.json`: an A2A agent card (0.3 layout) listing the skills.
 * - `POST /a2a`: A2A JSON-RPC `message/send`: the input is the message's data part, the skill is
 *   `metadata.skill` (or the agent's only skill); the answer is a completed task with a data artifact.
 *
 * Errors are typed: `{ error: { type, message, retryable } }` with 400 (bad input, unknown skill).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { Skill } from './skills';

/** One request an agent received (for tests and the terminal log). */
export interface ReceivedCall {
  protocol: 'flowstate' | 'a2a';
  skill: string;
  task?: string;
  idempotencyKey?: string;
}

export interface AgentServer {
  name: string;
  port: number;
  /** Base URL, e.g. `http://127.0.0.1:4101`. */
  url: string;
  calls: ReceivedCall[];
  close(): Promise<void>;
}

class SkillFailure extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** Start an agent with `skills` on `host:port` (port 0: any free port). */
export async function serveAgent(options: {
  name: string;
  skills: Skill[];
  port?: number;
  host?: string;
  onCall?(call: ReceivedCall): void;
}): Promise<AgentServer> {
  const host = options.host ?? '127.0.0.1';
  const calls: ReceivedCall[] = [];
  const bySkill = new Map(options.skills.map((s) => [s.id, s]));
  let base = '';

  const run = (skillId: string, input: unknown, call: ReceivedCall): unknown => {
    const skill = bySkill.get(skillId);
    if (!skill)
      throw new SkillFailure(
        400,
        'UnknownSkill',
        `agent '${options.name}' has no skill '${skillId}' (it has: ${[...bySkill.keys()].join(', ')})`,
      );
    const parsed = skill.input.safeParse(input);
    if (!parsed.success)
      throw new SkillFailure(
        400,
        'InvalidInput',
        `input of skill '${skillId}' is invalid: ${z.prettifyError(parsed.error)}`,
      );
    calls.push(call);
    options.onCall?.(call);
    return skill.run(parsed.data);
  };

  const card = () => ({
    protocolVersion: '0.3.0',
    name: options.name,
    description: `Flowstate example agent ${options.name}`,
    url: `${base}/a2a`,
    preferredTransport: 'JSONRPC',
    version: '1.0.0',
    capabilities: {},
    defaultInputModes: ['application/json'],
    defaultOutputModes: ['application/json'],
    skills: options.skills.map((s) => ({
      id: s.id,
      name: s.id,
      description: s.description,
      tags: ['example'],
    })),
  });

  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/.well-known/agent-card.json') return send(200, card());
    if (req.method !== 'POST' || (req.url !== '/' && req.url !== '/a2a')) {
      return send(404, {
        error: { type: 'NotFound', message: `${req.method} ${req.url}: POST / or /a2a`, retryable: false },
      });
    }
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      let body: any;
      try {
        body = JSON.parse(text);
      } catch {
        return send(400, {
          error: { type: 'InvalidJson', message: 'the request body is not JSON', retryable: false },
        });
      }
      if (req.url === '/a2a') return send(200, answerA2a(body));
      try {
        const call = {
          protocol: 'flowstate' as const,
          skill: body?.skill,
          task: body?.task,
          idempotencyKey: body?.idempotency_key,
        };
        send(200, { output: run(String(body?.skill), body?.input, call) });
      } catch (e) {
        if (e instanceof SkillFailure)
          return send(e.status, { error: { type: e.type, message: e.message, retryable: false } });
        send(500, { error: { type: 'AgentCrashed', message: (e as Error).message, retryable: true } });
      }
    });
  });

  const answerA2a = (body: any) => {
    const id = body?.id ?? null;
    if (body?.method !== 'message/send')
      return { jsonrpc: '2.0', id, error: { code: -32601, message: `method '${body?.method}' not found` } };
    const message = body.params?.message;
    const meta = { ...body.params?.metadata, ...message?.metadata };
    const skillId = String(meta.skill ?? (bySkill.size === 1 ? [...bySkill.keys()][0] : ''));
    const parts: any[] = Array.isArray(message?.parts) ? message.parts : [];
    const data = parts.find((p) => p?.kind === 'data')?.data;
    const input = data ?? {
      text: parts
        .filter((p) => p?.kind === 'text')
        .map((p) => p.text)
        .join('\n'),
    };
    try {
      const output = run(skillId, input, {
        protocol: 'a2a',
        skill: skillId,
        task: meta.task,
        idempotencyKey: meta.idempotency_key,
      });
      return {
        jsonrpc: '2.0',
        id,
        result: {
          kind: 'task',
          id: `task-${message?.messageId ?? 'x'}`,
          contextId: `ctx-${message?.messageId ?? 'x'}`,
          status: { state: 'completed' },
          artifacts: [{ artifactId: 'result', parts: [{ kind: 'data', data: output }] }],
        },
      };
    } catch (e) {
      return {
        jsonrpc: '2.0',
        id,
        error: { code: e instanceof SkillFailure ? -32602 : -32603, message: (e as Error).message },
      };
    }
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  base = `http://${host}:${port}`;
  return {
    name: options.name,
    port,
    url: base,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
