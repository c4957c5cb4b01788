/**
 * Instrumented tools for integration tests: they record what really happened (starts, ends,
 * cancellations, attempts, peak concurrency) so tests assert on behaviour, not on our own claims.
 */
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { defineTool, type Tool } from '../../src/activities/tools';

export interface ProbeEvent {
  tool: string;
  path: string;
  event: 'started' | 'finished' | 'failed' | 'cancelled';
  attempt: number;
  at: number;
  label?: string;
}

export class Probe {
  readonly events: ProbeEvent[] = [];
  private inFlight = new Map<string, number>();
  private peaks = new Map<string, number>();

  /** Highest number of `gauge` calls in flight at once, per gauge name. */
  peak(name: string): number {
    return this.peaks.get(name) ?? 0;
  }

  of(label: string, event?: ProbeEvent['event']): ProbeEvent[] {
    return this.events.filter((e) => e.label === label && (!event || e.event === event));
  }

  reset(): void {
    this.events.length = 0;
    this.inFlight.clear();
    this.peaks.clear();
  }

  private record(e: Omit<ProbeEvent, 'at'>): void {
    this.events.push({ ...e, at: Date.now() });
  }

  /** Sleep `ms` (cancellable), then return `value` or throw a typed error `fail`. */
  private async sleep(ms: number, signal: AbortSignal): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(resolve, ms);
      signal.addEventListener('abort', () => {
        clearTimeout(t);
        reject(signal.reason ?? new Error('cancelled'));
      });
    });
  }

  tools(): Tool<any, any>[] {
    const Sleep = z.object({
      label: z.string(),
      ms: z.number().default(0),
      value: z.unknown().optional(),
      fail: z.string().optional(),
      gauge: z.string().optional(),
    });
    const sleep = defineTool({
      name: 'sleep',
      input: Sleep,
      run: async (input, call) => {
        const base = { tool: 'sleep', path: call.taskPath, attempt: call.run.attempt, label: input.label };
        this.record({ ...base, event: 'started' });
        const gauge = input.gauge;
        if (gauge) {
          const n = (this.inFlight.get(gauge) ?? 0) + 1;
          this.inFlight.set(gauge, n);
          this.peaks.set(gauge, Math.max(n, this.peaks.get(gauge) ?? 0));
        }
        try {
          await this.sleep(input.ms, call.run.cancelled);
        } catch (e) {
          this.record({ ...base, event: 'cancelled' });
          throw e;
        } finally {
          if (gauge) this.inFlight.set(gauge, (this.inFlight.get(gauge) ?? 1) - 1);
        }
        if (input.fail) {
          this.record({ ...base, event: 'failed' });
          throw ApplicationFailure.create({ type: input.fail, message: `${input.label} failed on purpose` });
        }
        this.record({ ...base, event: 'finished' });
        return input.value ?? input.label;
      },
    });
    /** Fails with a retryable `Transient` error until attempt `succeed_on`. */
    const flaky = defineTool({
      name: 'flaky',
      input: z.object({ label: z.string(), succeed_on: z.number(), type: z.string().default('Transient') }),
      run: (input, call) => {
        const base = { tool: 'flaky', path: call.taskPath, attempt: call.run.attempt, label: input.label };
        if (call.run.attempt < input.succeed_on) {
          this.record({ ...base, event: 'failed' });
          throw ApplicationFailure.create({
            type: input.type,
            message: `attempt ${call.run.attempt} failed`,
          });
        }
        this.record({ ...base, event: 'finished' });
        return { attempt: call.run.attempt, key: call.run.idempotencyKey };
      },
    });
    return [sleep, flaky];
  }
}
