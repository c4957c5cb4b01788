/** The hand-written baseline: a plain Temporal workflow calling the same echo activity n times. */
import { proxyActivities } from '@temporalio/workflow';

const { echo } = proxyActivities<{ echo(input: unknown): Promise<unknown> }>({ startToCloseTimeout: '1m' });

export async function baseline(n: number): Promise<unknown> {
  let last: unknown = null;
  for (let i = 0; i < n; i++)
    last = await echo({ step: i, previous: (last as { step?: number } | null)?.step ?? null });
  return last;
}
