/**
 * A `step` tool for redrive tests: it counts its calls per label and fails (non-retryable, type
 * `Broken`) for the labels in `broken` until a test takes them out: "fail first, then succeed".
 */
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { defineTool } from '../../src/activities/tools';

/** A fresh `step` tool with its call counts and the labels that fail for now. */
export function brokenStep() {
  const calls = new Map<string, number>();
  const broken = new Set<string>();
  const step = defineTool({
    name: 'step',
    input: z.object({ label: z.string(), value: z.unknown().optional() }),
    async run({ label, value }) {
      calls.set(label, (calls.get(label) ?? 0) + 1);
      if (broken.has(label)) throw ApplicationFailure.nonRetryable(`${label} is broken`, 'Broken');
      return { label, ...(value !== undefined ? { value } : {}) };
    },
  });
  return { step, calls, broken };
}
