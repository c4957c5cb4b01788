/** The `state` query's outputs, kept within budget: large outputs summarised, the rest in full. */
import { boundedOutput, boundedOutputs, SHOWN_OUTPUT_BYTES } from '../../../src/workflows/state-view';

test('small outputs are shown in full, and nothing is listed as truncated', () => {
  expect(boundedOutputs({ a: 1, b: { c: 'd' } })).toEqual({ outputs: { a: 1, b: { c: 'd' } } });
});

test('an output past 16 KiB is summarised with its size and a preview', () => {
  const { outputs, truncated_outputs } = boundedOutputs({ a: 'x'.repeat(SHOWN_OUTPUT_BYTES), b: 2 });
  expect(truncated_outputs).toEqual(['a']);
  expect(outputs.b).toBe(2);
  expect(outputs.a).toMatchObject({ truncated: true, bytes: SHOWN_OUTPUT_BYTES + 2 });
  expect((outputs.a as { preview: string }).preview).toHaveLength(201);
});

test('5,000 outputs of 1 KB: the answer stays within 600 KB, the rest listed as left out', () => {
  const many = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`t${i}`, 'x'.repeat(1_000)]));
  const { outputs, truncated_outputs } = boundedOutputs(many);
  expect(JSON.stringify(outputs).length).toBeLessThan(600_000);
  expect(truncated_outputs!.length).toBeGreaterThan(4_000);
  expect(Object.keys(outputs).length + truncated_outputs!.length).toBe(5_000);
  expect(outputs.t0).toBe('x'.repeat(1_000));
});

test("a gate's large output is summarised too", () => {
  expect(boundedOutput('small')).toBe('small');
  expect(boundedOutput('x'.repeat(20_000))).toMatchObject({ truncated: true, bytes: 20_002 });
});
