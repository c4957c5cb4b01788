/**
 * A webhook sink: every event is POSTed as JSON to `FLOWSTATE_WEBHOOK_URL`, in order, retried with
 * exponential backoff. It runs beside the workflows and never blocks them: a receiver that is down
 * only grows a bounded queue (oldest events are dropped past `maxQueue`, with a warning).
 */
import { logger } from '../logging';
import { onEvent } from './bus';
import type { FlowEvent } from './types';
import { envUrl } from '../env';

export interface WebhookOptions {
  url: string;
  maxQueue?: number;
  /** First retry delay; doubles up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
}

export interface Webhook {
  /** Events waiting to be delivered. */
  pending(): number;
  /** Stop taking events; resolves when the queue is empty or `waitMs` passed. */
  stop(waitMs?: number): Promise<void>;
}

/** POST each event to a URL from a bounded queue, retrying with backoff; never blocks the worker. */
export function startWebhook(options: WebhookOptions): Webhook {
  const { url, maxQueue = 10_000, initialDelayMs = 200, maxDelayMs = 30_000, timeoutMs = 5_000 } = options;
  const queue: FlowEvent[] = [];
  let sending = false;
  let stopped = false;
  let dropped = 0;

  async function deliver(event: FlowEvent): Promise<void> {
    for (let delay = initialDelayMs; ; delay = Math.min(delay * 2, maxDelayMs)) {
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-flowstate-event': event.type,
            'idempotency-key': `${event.runId}/${event.seq}`,
          },
          body: JSON.stringify(event),
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (res.ok || (res.status >= 400 && res.status < 500 && res.status !== 429)) return; // 4xx: the receiver refuses it; retrying will not help
      } catch {
        // connection refused, timeout: retry
      }
      if (stopped) return;
      await new Promise((r) => setTimeout(r, delay));
    }
  }

  async function pump(): Promise<void> {
    if (sending) return;
    sending = true;
    try {
      while (queue.length > 0) await deliver(queue.shift()!);
    } finally {
      sending = false;
    }
  }

  const unsubscribe = onEvent('*', (event) => {
    if (stopped) return;
    queue.push(event);
    if (queue.length > maxQueue) {
      queue.shift();
      if (dropped++ % 1000 === 0)
        logger.warn({ url, dropped }, 'webhook queue full: dropping the oldest events');
    }
    void pump();
  });

  return {
    pending: () => queue.length,
    async stop(waitMs = 5_000) {
      const deadline = Date.now() + waitMs;
      while ((queue.length > 0 || sending) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      stopped = true;
      unsubscribe();
    },
  };
}

/** A webhook from `FLOWSTATE_WEBHOOK_URL`, or undefined when it is not set (`EnvError` when not a URL). */
export function webhookFromEnv(env: NodeJS.ProcessEnv = process.env): Webhook | undefined {
  const url = envUrl(env, 'FLOWSTATE_WEBHOOK_URL');
  return url ? startWebhook({ url }) : undefined;
}
