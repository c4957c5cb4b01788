/**
 * A tool with a side effect, for worker processes on the cluster (`flowstate worker --tools <this
 * file>`): `effect` waits `ms`, then applies its effect once per idempotency key, as a receiver that
 * de-duplicates retried calls would, by creating `<FLOWSTATE_LEDGER_DIR>/<hash of the key>` exclusively.
 * Every start, applied effect, de-duplicated repeat and finish is appended to FLOWSTATE_PROBE_FILE as
 * a JSON line, from any worker process, including one killed or cut off later.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { defineTool } from '../../src/activities/tools';

export interface EffectEvent {
  key: string;
  event: 'started' | 'applied' | 'duplicate' | 'finished';
  attempt: number;
  pid: number;
  at: number;
}

function note(e: Omit<EffectEvent, 'pid' | 'at'>): void {
  const file = process.env.FLOWSTATE_PROBE_FILE;
  if (file) fs.appendFileSync(file, `${JSON.stringify({ ...e, pid: process.pid, at: Date.now() })}\n`);
}

/** Every event recorded in a probe file. */
export function readEffects(file: string): EffectEvent[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as EffectEvent);
}

export const tools = [
  defineTool({
    name: 'effect',
    input: z.object({ label: z.string(), ms: z.number().default(0) }),
    async run({ label, ms }, call) {
      const key = call.run.idempotencyKey;
      const attempt = call.run.attempt;
      note({ key, event: 'started', attempt });
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(resolve, ms);
        call.run.cancelled.addEventListener('abort', () => {
          clearTimeout(t);
          reject(new Error('cancelled'));
        });
      });
      const ledger = process.env.FLOWSTATE_LEDGER_DIR;
      if (ledger) {
        const entry = path.join(ledger, createHash('sha256').update(key).digest('hex').slice(0, 32));
        try {
          fs.writeFileSync(entry, key, { flag: 'wx' });
          note({ key, event: 'applied', attempt });
        } catch {
          note({ key, event: 'duplicate', attempt });
        }
      }
      note({ key, event: 'finished', attempt });
      return { label, done: true };
    },
  }),
];
