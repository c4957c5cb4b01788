/**
 * The hand-written floors of the bench (DESIGN.md section 8): plain Temporal workflows doing the same
 * work as the Flowstate rows, written as a Temporal user would, with the same activities on the same
 * server. A Flowstate row divided by its floor is the interpreter's cost.
 */
import {
  condition,
  continueAsNew,
  defineSignal,
  executeChild,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
} from '@temporalio/workflow';

interface Activities {
  echo(input: unknown): Promise<unknown>;
  page(input: { cursor: number | null; size: number; total: number }): Promise<{
    items: number[];
    next: number | null;
  }>;
}

const { echo, page } = proxyActivities<Activities>({ startToCloseTimeout: '1m' });
const local = proxyLocalActivities<Activities>({ startToCloseTimeout: '1m' });

/** `n` echo activities in sequence, each given the step of the one before (the seq20 row). */
export async function baseline(n: number): Promise<unknown> {
  let last: unknown = null;
  for (let i = 0; i < n; i++)
    last = await echo({ step: i, previous: (last as { step?: number } | null)?.step ?? null });
  return last;
}

/** One child of a fan-out: `items` echo activities at once (local ones when `localActivities`); their results in order. */
export async function fanOutChild(items: number[], localActivities = false): Promise<unknown[]> {
  return Promise.all(items.map((item) => (localActivities ? local.echo(item) : echo(item))));
}

/**
 * The hand-written fan-out: `total` echo activities, in child workflows of `perChild` each (Flowstate
 * batches past 200 runs into children of 500), all started at once; the results in order.
 */
export async function fanOut(total: number, perChild: number): Promise<number> {
  const children: Promise<unknown[]>[] = [];
  for (let from = 0; from < total; from += perChild) {
    const items = Array.from({ length: Math.min(perChild, total - from) }, (_, i) => from + i + 1);
    children.push(executeChild(fanOutChild, { args: [items] }));
  }
  return (await Promise.all(children)).reduce((n, results) => n + results.length, 0);
}

export const approve = defineSignal('approve');

/** Signal → activity: one echo, a wait for `approve`, then the next echo (the approve row). */
export async function approval(n: number): Promise<unknown> {
  let approved = false;
  setHandler(approve, () => void (approved = true));
  await echo(n);
  await condition(() => approved);
  return echo(n);
}

/**
 * The paged loop (the stream row): read a page of items, fan each page out over child workflows of
 * `perChild` local echo activities of `item % 7` (Flowstate runs an `aggregate` task as a local
 * activity), add them up, and continue as new every `pagesPerRun` pages.
 */
export async function pagedLoop(
  total: number,
  size: number,
  perChild: number,
  pagesPerRun = 20,
  state: { cursor: number | null; sum: number; count: number } = { cursor: null, sum: 0, count: 0 },
): Promise<{ sum: number; count: number }> {
  let { cursor, sum, count } = state;
  for (let pages = 0; ; pages++) {
    if (pages === pagesPerRun)
      return continueAsNew<typeof pagedLoop>(total, size, perChild, pagesPerRun, { cursor, sum, count });
    const { items, next } = await page({ cursor, size, total });
    const children: Promise<unknown[]>[] = [];
    for (let i = 0; i < items.length; i += perChild)
      children.push(
        executeChild(fanOutChild, { args: [items.slice(i, i + perChild).map((n) => n % 7), true] }),
      );
    for (const results of await Promise.all(children)) {
      for (const r of results) sum += r as number;
      count += results.length;
    }
    if (next === null) return { sum, count };
    cursor = next;
  }
}
