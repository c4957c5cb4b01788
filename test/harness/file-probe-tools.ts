/**
 * Tools for worker processes started by tests (`flowstate worker --tools <this file>`): they append
 * what happened to the file named by FLOWSTATE_PROBE_FILE, so the test can see every attempt made
 * by any worker process, including one that was killed.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { defineTool } from '../../src/activities/tools';

function note(line: string): void {
  const file = process.env.FLOWSTATE_PROBE_FILE;
  if (file) fs.appendFileSync(file, `${line}\n`);
}

/** Read what the probe file recorded: `label event attempt` lines. */
export function readProbe(file: string): string[] {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : [];
}

export const tools = [
  defineTool({
    name: 'slow-step',
    input: z.object({ label: z.string(), ms: z.number().default(0) }),
    async run({ label, ms }, call) {
      note(`${label} started ${call.run.attempt}`);
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(resolve, ms);
        call.run.cancelled.addEventListener('abort', () => {
          clearTimeout(t);
          reject(new Error('cancelled'));
        });
      });
      note(`${label} finished ${call.run.attempt}`);
      return { label, done: true };
    },
  }),
];
