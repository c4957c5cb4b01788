/**
 * Retry intervals as written (issue 16 item 8): a task that fails twice with
 * `retry: { initial_interval: 200ms, backoff_coefficient: 2 }` is attempted again about 200 ms and
 * then 400 ms later, on the harness's dev server (started with Flowstate's dynamic config: Temporal's
 * default 1 s timer-queue time shift made every retry shorter than a second last up to a second; see
 * docs/definition-language.md, "Retries"). Measured under load: 220-330 ms then 425-455 ms; with
 * Temporal's default shift, 970-1005 ms both times. The bounds are tolerant of a slow machine and
 * still catch the 1 s granularity.
 */
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { defineTool } from '../../src/activities/tools';
import { useTestEnv } from '../harness/env';
import { compileYaml } from '../harness/definitions';

const attempts = new Map<string, number[]>();
const flaky = defineTool({
  name: 'fails-twice',
  input: z.object({ key: z.string() }),
  run: ({ key }) => {
    const seen = attempts.get(key) ?? [];
    seen.push(performance.now());
    attempts.set(key, seen);
    if (seen.length <= 2) throw ApplicationFailure.retryable(`attempt ${seen.length} fails`, 'Flaky');
    return { attempts: seen.length };
  },
});
const env = useTestEnv({ tools: [flaky] });

jest.setTimeout(60_000);

test('attempts of a task that fails twice come initial_interval, then twice that, apart', async () => {
  const def = compileYaml(`
id: retry-pace
version: 1.0.0
tasks:
  - id: flaky
    tool: fails-twice
    with: { key: "{{ input.key }}" }
    retry: { max_attempts: 3, initial_interval: 200ms, backoff_coefficient: 2 }
`);
  const gaps: number[][] = [];
  for (const key of ['a', 'b', 'c']) {
    const { output } = await env.run(def, { key });
    expect(output).toEqual({ attempts: 3 });
    const [first, second, third] = attempts.get(key)!;
    gaps.push([second! - first!, third! - second!]);
  }
  // The median of three runs, so one stall of a loaded machine does not decide.
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
  const firstGap = median(gaps.map((g) => g[0]!));
  const secondGap = median(gaps.map((g) => g[1]!));
  const within = (ms: number, low: number, high: number) =>
    ms >= low && ms < high ? 'as written' : `${Math.round(ms)} ms, outside [${low}, ${high})`;
  expect({ first: within(firstGap, 150, 900), second: within(secondGap, 350, 900) }).toEqual({
    first: 'as written',
    second: 'as written',
  });
});
