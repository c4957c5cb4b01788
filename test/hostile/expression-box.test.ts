/**
 * The expression box on real evaluator processes (no server needed): a heap bomb that no bounded
 * function catches ends its evaluator, not this process, and the caller gets `MemoryLimit`; a result
 * over the size cap gets `ResultSizeLimit`; the pool goes on with a new evaluator.
 */
import { DEFAULT_BOX_LIMITS, EvaluatorPool, type BoxLimits } from '../../src/expressions/box';
import { forkEvaluator } from '../../src/expressions/box/process';

const limits: BoxLimits = {
  ...DEFAULT_BOX_LIMITS,
  timeoutMs: 30_000,
  memoryMb: 48,
  maxResultBytes: 4_096,
  evaluators: 1,
};
let pool: EvaluatorPool;
beforeAll(() => {
  pool = new EvaluatorPool(limits, forkEvaluator);
});
afterAll(() => pool.close());

test('a heap bomb: MemoryLimit naming the limit, and the next evaluation is served', async () => {
  const bomb = "$count([1..200000].$pad('', 1000, 'x'))";
  const e = await pool.evaluate(bomb, {}).catch((x: unknown) => x);
  expect(e).toMatchObject({ name: 'ExpressionError', code: 'MemoryLimit' });
  expect((e as Error).message).toMatch(/memory limit of 48 MB \(FLOWSTATE_EXPR_MEMORY_MB\)/);
  await expect(pool.evaluate('$count([1..10])', {})).resolves.toBe(10);
});

test('a result over the size cap: ResultSizeLimit naming both sizes', async () => {
  await expect(pool.evaluate('[1..2000]', {})).rejects.toMatchObject({
    code: 'ResultSizeLimit',
    message: expect.stringMatching(
      /result is \d+ bytes as JSON, over the result size limit of 4096 bytes \(FLOWSTATE_EXPR_MAX_RESULT_BYTES\)/,
    ),
  });
  await expect(pool.evaluate('$sum([1..2000])', {})).resolves.toBe(2001000);
});
