/**
 * One HTTP exchange with one agent, in one of two wire protocols (docs/agents.md):
 *
 * - `flowstate`: `POST <url>` with `{ skill, input, task, idempotency_key, workflow_id }`; the agent
 *   answers `200 { output }`, or an error status with `{ error: { type, message, retryable? } }`.
 * - `a2a`: A2A JSON-RPC `message/send` (0.x) or `SendMessage` (1.x), input as a data part.
 *
 * The result is an `Exchange`: an output, an "unreachable" (the caller fails over to the next agent)
 * or an agent error (it does not). Only cancellation of the run is thrown.
 */
import { randomUUID } from 'node:crypto';
import {
  MAX_RESPONSE_BYTES_ENV,
  ResponseTooLarge,
  maxResponseBytesFromEnv,
  readBodyBounded,
} from '../activities/builtin-tools/bounded-body';

/** Who to call and how. */
export interface WireTarget {
  name: string;
  url: string;
  protocol: 'flowstate' | 'a2a';
  /** For `a2a`: 0 (`message/send`) or 1 (`SendMessage`). */
  a2aMajor?: 0 | 1;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Most bytes of an answer read (default: FLOWSTATE_HTTP_MAX_RESPONSE_BYTES, else 1 MiB). */
  maxResponseBytes?: number;
}

let envLimit: number | undefined;
/** The worker's response limit for agents, from FLOWSTATE_HTTP_MAX_RESPONSE_BYTES (read once) or 1 MiB. */
export function responseLimit(): number {
  return (envLimit ??= maxResponseBytesFromEnv());
}

/** What is sent. */
export interface WireRequest {
  skill: string;
  input: unknown;
  /** Task path, e.g. `develop[1]/review`. */
  task: string;
  idempotencyKey: string;
  workflowId: string;
}

/** How one exchange ended. */
export type Exchange =
  | { kind: 'output'; output: unknown }
  | { kind: 'unreachable'; reason: string }
  | { kind: 'error'; status: number; type?: string; message: string; retryable: boolean };

/** Statuses that mean "this agent cannot serve now": fail over to the next one. */
export const FAILOVER_STATUSES: ReadonlySet<number> = new Set([408, 429, 502, 503, 504]);

/** Send one request; `cancelled` aborts it (and is rethrown), the target's timeout makes it unreachable. */
export async function exchange(
  target: WireTarget,
  request: WireRequest,
  cancelled: AbortSignal,
): Promise<Exchange> {
  const body =
    target.protocol === 'a2a' ? a2aRequest(target.a2aMajor ?? 0, request) : flowstateRequest(request);
  let limit: number;
  try {
    limit = target.maxResponseBytes ?? responseLimit();
  } catch (e) {
    return { kind: 'error', status: 0, message: (e as Error).message, retryable: false };
  }
  const timeout = AbortSignal.timeout(target.timeoutMs);
  const signal = AbortSignal.any([cancelled, timeout]);
  let status = 0;
  let statusText: string;
  let text: string;
  try {
    const res = await fetch(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'idempotency-key': request.idempotencyKey,
        ...(target.protocol === 'a2a' && target.a2aMajor === 1 ? { 'a2a-version': '1.0' } : {}),
        ...target.headers,
      },
      body: JSON.stringify(body),
      signal,
    });
    status = res.status;
    statusText = res.statusText;
    text = await readBodyBounded(res, limit);
  } catch (e) {
    if (cancelled.aborted) throw cancelled.reason ?? e;
    if (e instanceof ResponseTooLarge)
      return {
        kind: 'error',
        status,
        type: 'HttpResponseTooLarge',
        message: `${e.message}; raise the worker's ${MAX_RESPONSE_BYTES_ENV} or have the agent answer with less (a reference to the data)`,
        retryable: false,
      };
    if (timeout.aborted)
      return { kind: 'unreachable', reason: `no answer within ${formatMs(target.timeoutMs)}` };
    return { kind: 'unreachable', reason: connectionReason(e) };
  }
  if (FAILOVER_STATUSES.has(status))
    return { kind: 'unreachable', reason: `answered ${status} ${statusText}`.trim() };
  const json = parseJson(text);
  return target.protocol === 'a2a' ? readA2a(status, json, text) : readFlowstate(status, json, text);
}

// ---- flowstate protocol ------------------------------------------------------------------------

function flowstateRequest(r: WireRequest) {
  return {
    skill: r.skill,
    input: r.input ?? null,
    task: r.task,
    idempotency_key: r.idempotencyKey,
    workflow_id: r.workflowId,
  };
}

function readFlowstate(status: number, json: unknown, text: string): Exchange {
  if (status >= 200 && status < 300) {
    if (isObject(json) && 'output' in json) return { kind: 'output', output: json.output };
    return {
      kind: 'error',
      status,
      message: `invalid answer: expected a JSON object with 'output', got ${excerpt(text)}`,
      retryable: false,
    };
  }
  const err = isObject(json) && isObject(json.error) ? json.error : undefined;
  const message = typeof err?.message === 'string' ? err.message : undefined;
  // A 5xx without a typed body is a crash or a proxy page, not an answer: try the next agent.
  if (status >= 500 && message === undefined)
    return { kind: 'unreachable', reason: `answered ${status} without an error body: ${excerpt(text)}` };
  return {
    kind: 'error',
    status,
    ...(typeof err?.type === 'string' ? { type: err.type } : {}),
    message: message ?? excerpt(text),
    retryable: typeof err?.retryable === 'boolean' ? err.retryable : status >= 500,
  };
}

// ---- A2A JSON-RPC ------------------------------------------------------------------------------

function a2aRequest(major: 0 | 1, r: WireRequest) {
  const metadata = {
    skill: r.skill,
    task: r.task,
    idempotency_key: r.idempotencyKey,
    workflow_id: r.workflowId,
  };
  const content = isObject(r.input)
    ? { data: r.input }
    : typeof r.input === 'string'
      ? { text: r.input }
      : { data: { input: r.input ?? null } };
  const messageId = randomUUID();
  if (major === 1) {
    return {
      jsonrpc: '2.0',
      id: messageId,
      method: 'SendMessage',
      params: { message: { messageId, role: 'ROLE_USER', parts: [content], metadata }, metadata },
    };
  }
  const part = 'data' in content ? { kind: 'data', ...content } : { kind: 'text', ...content };
  return {
    jsonrpc: '2.0',
    id: messageId,
    method: 'message/send',
    params: {
      message: { kind: 'message', messageId, role: 'user', parts: [part], metadata },
      configuration: { blocking: true },
      metadata,
    },
  };
}

/** Read a JSON-RPC answer: a Message or a Task (0.x: `kind`; 1.x: `{ message }` / `{ task }`). */
function readA2a(status: number, json: unknown, text: string): Exchange {
  if (!isObject(json) || (json.result === undefined && json.error === undefined)) {
    if (status >= 500)
      return { kind: 'unreachable', reason: `answered ${status} without a JSON-RPC body: ${excerpt(text)}` };
    return { kind: 'error', status, message: `invalid JSON-RPC answer: ${excerpt(text)}`, retryable: false };
  }
  if (isObject(json.error)) {
    const code = typeof json.error.code === 'number' ? json.error.code : undefined;
    return {
      kind: 'error',
      status,
      type: `JsonRpc${code ?? ''}`,
      message: String(json.error.message ?? excerpt(text)),
      // -32603 (internal error) may pass; a malformed request, unknown method or bad params will not.
      retryable: code === -32603,
    };
  }
  const result = json.result;
  const answer = isObject(result) ? (result.task ?? result.message ?? result) : result;
  if (!isObject(answer))
    return { kind: 'error', status, message: `invalid A2A result: ${excerpt(text)}`, retryable: false };
  if (isObject(answer.status)) {
    const state = String(answer.status.state ?? '')
      .toLowerCase()
      .replace(/^task_state_/, '')
      .replace(/_/g, '-');
    const said = isObject(answer.status.message) ? textOf(answer.status.message.parts) : undefined;
    if (state === 'completed') {
      const parts = Array.isArray(answer.artifacts)
        ? answer.artifacts.flatMap((a) => (isObject(a) && Array.isArray(a.parts) ? a.parts : []))
        : [];
      const fromStatus = isObject(answer.status.message) ? answer.status.message.parts : [];
      return { kind: 'output', output: outputOf(parts.length > 0 ? parts : fromStatus) };
    }
    const failed =
      state === 'failed' || state === 'rejected' || state === 'canceled' || state === 'cancelled';
    return {
      kind: 'error',
      status,
      type: `Task${state.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}`,
      message: failed
        ? (said ?? `the A2A task ended ${state}`)
        : `the A2A task is '${state}': Flowstate waits for a finished task (it does not poll or answer input-required)`,
      retryable: false,
    };
  }
  return { kind: 'output', output: outputOf(answer.parts) };
}

/** A message's or artifact's parts as one value: the data of a lone data part, else the text. */
function outputOf(parts: unknown): unknown {
  const list = Array.isArray(parts) ? parts.filter(isObject) : [];
  const data = list.filter((p) => p.data !== undefined);
  if (data.length === 1) return data[0].data;
  if (data.length > 1) return data.map((p) => p.data);
  return textOf(list) ?? null;
}

function textOf(parts: unknown): string | undefined {
  const texts = (Array.isArray(parts) ? parts : [])
    .filter((p) => isObject(p) && typeof p.text === 'string')
    .map((p) => p.text as string);
  return texts.length > 0 ? texts.join('\n') : undefined;
}

// ---- helpers -----------------------------------------------------------------------------------

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

function excerpt(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t === '' ? '(empty body)' : t.length > 200 ? `${t.slice(0, 200)}…` : t;
}

/** `ECONNREFUSED 127.0.0.1:4101`, `ENOTFOUND agents.internal`, or fetch's own message. */
export function connectionReason(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code)
    return cause.message?.includes(cause.code)
      ? cause.message
      : `${cause.code}${cause.message ? `: ${cause.message}` : ''}`;
  if (cause?.message) return cause.message;
  return (e as Error)?.message ?? String(e);
}

/** `30000` → `30s`, `250` → `250ms`: durations as messages and config show them. */
export function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
