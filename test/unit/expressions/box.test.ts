import jsonata from 'jsonata';
import { ExpressionError } from '../../../src/expressions';
import {
  boxReason,
  DEFAULT_BOX_LIMITS,
  EvaluatorPool,
  limitsFromEnv,
  type BoxLimits,
} from '../../../src/expressions/box';
import { joinedTooLong } from '../../../src/expressions/box/bounded';
import {
  diedOfMemory,
  exitError,
  KILL_GRACE_MS,
  type BoxReply,
  type BoxRequest,
  type Evaluator,
} from '../../../src/expressions/box/pool';
import { evaluateHere } from '../../../src/expressions/evaluate';

describe('limits from the environment', () => {
  test('defaults, each variable, and a bad value named with what it takes', () => {
    expect(limitsFromEnv({})).toEqual(DEFAULT_BOX_LIMITS);
    expect(limitsFromEnv({ FLOWSTATE_EXPR_TIMEOUT_MS: '250', FLOWSTATE_EXPR_EVALUATORS: ' 4 ' })).toEqual({
      ...DEFAULT_BOX_LIMITS,
      timeoutMs: 250,
      evaluators: 4,
    });
    expect(() => limitsFromEnv({ FLOWSTATE_EXPR_MEMORY_MB: '1.5GB' })).toThrow(
      "FLOWSTATE_EXPR_MEMORY_MB must be a whole number from 32 to 16384; got '1.5GB'",
    );
    expect(() => limitsFromEnv({ FLOWSTATE_EXPR_EVALUATORS: '0' })).toThrow(/from 1 to 64/);
  });
});

describe('bounded functions', () => {
  const small: BoxLimits = { ...DEFAULT_BOX_LIMITS, maxResultBytes: 1_024 };
  const original = (text: string) => jsonata(text).evaluate({});

  test.each([
    "$pad('ab', 6, '-')",
    "$pad('ab', -6, 'xy')",
    "$pad('abc', 2)",
    "$join(['a', 'b', 'c'], ', ')",
    "$join(['a', 'b'])",
    "$string({'a': [1, 2.5, 'x']})",
    "$string({'a': 1}, true)",
    "'ab'.$pad(4)",
  ])('below the limit, %s is what JSONata gives', async (text) => {
    expect(await evaluateHere(text, {}, small)).toEqual((await original(text)) ?? null);
  });

  test('$pad past the limit fails before allocating, naming the function, the width and the knob', async () => {
    const started = Date.now();
    const e = await evaluateHere("$length($pad('', 400000000, 'x'))", {}, small).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ExpressionError);
    expect((e as Error).message).toMatch(
      /^\$pad: width 400000000 is over the limit of 1024 characters .*FLOWSTATE_EXPR_MAX_RESULT_BYTES.* at character 13 in /,
    );
    expect(Date.now() - started).toBeLessThan(500);
  });

  test('$join and $string past the limit', async () => {
    const scope = { items: Array.from({ length: 100 }, () => 'x'.repeat(20)) };
    await expect(evaluateHere('$join(items, "--")', scope, small)).rejects.toThrow(
      /^\$join: a result of 2198 characters is over the limit of 1024/,
    );
    await expect(evaluateHere('$string(items)', scope, small)).rejects.toThrow(
      /^\$string: a result of 2301 characters is over the limit of 1024/,
    );
  });

  test('a range over the limit names its size and the limit (JSONata says the size is the limit)', async () => {
    await expect(evaluateHere('$count([1..9000000])', {})).rejects.toThrow(
      "a sequence of 9,000,000 items is over the limit of 1,000,000 items an expression may build; build large data in a tool, not in an expression at character 11 in '$count([1..9000000])'",
    );
    await expect(evaluateHere('$count([1..100000000])', {})).rejects.toThrow(
      /^a sequence of 100,000,000 items is over the limit of 1,000,000 items/,
    );
    await expect(evaluateHere('$count([1..1000000])', {})).resolves.toBe(1_000_000);
  });

  test('joinedTooLong counts the separators', () => {
    expect(joinedTooLong(['ab', 'cd'], '-', 5)).toBeUndefined();
    expect(joinedTooLong(['ab', 'cd'], '--', 5)).toBe(6);
    expect(joinedTooLong([], '--', 0)).toBeUndefined();
  });
});

describe('which expressions run inline (outside the box)', () => {
  const reason = (text: string) => boxReason(jsonata(text).ast());
  test.each([
    'input.a + tasks.prev.output.n * 3',
    "'hello ' & input.name",
    '$append(tasks.a.output.items, tasks.b.output.items)',
    'input.items[price > 10].{ "name": name, "n": $count(tags) }',
    "$join(input.tags, ', ')",
    "$pad(input.id, 8, '0')",
    '[1..1000].($ * 2)',
    '$$.input.a',
    'input.x ? "yes" : "no"',
    'input.s ~> $uppercase',
  ])('%s runs inline', (text) => expect(reason(text)).toBeUndefined());

  test.each([
    ['$match(s, /^(a+)+$/)', '$match'],
    ['$contains(s, /a/)', 'regex'],
    ["$replace(s, 'a', 'b')", '$replace'],
    ["$eval('1 + 1')", '$eval'],
    ['$map(xs, function($x) { $x })', '$map'],
    ['($f := function($x){ $x }; $f(1))', 'bind'],
    ['function($x){ $x }(2)', '$function'],
    ['$map(xs, $string)', '$map'],
    ["$pad('', 400000000, 'x')", '$pad width'],
    ["$pad('', input.n)", '$pad width'],
    ['xs ~> $pad(10)', '$pad width'],
    ['[1..input.n]', 'range'],
    ['[0..1001]', 'range'],
    ['[1..10].[1..10]', 'range'],
    ['input.items.($$.input.items)', '$$'],
    ['| a | {"b": 1} |', 'transform'],
    ['$distinct(input.ids)', '$distinct'],
    ["$toMillis(input.at, '[Y0001]-[M01]')", '$toMillis'],
  ])('%s goes to the box (%s)', (text, why) => expect(reason(text)).toBe(why));
});

/** An evaluator the test drives: what it was sent, and ways to make it start, answer or die. */
class FakeEvaluator implements Evaluator {
  sent: BoxRequest[] = [];
  killed = false;
  referenced = false;
  private reply?: (r: BoxReply) => void;
  private ready?: () => void;
  private exit?: (code: number | null, signal: string | null, stderr: string) => void;
  send(request: BoxRequest) {
    this.sent.push(request);
  }
  kill() {
    this.killed = true;
    setImmediate(() => this.exit?.(null, 'SIGKILL', ''));
  }
  ref(busy: boolean) {
    this.referenced = busy;
  }
  onReply(l: (r: BoxReply) => void) {
    this.reply = l;
  }
  onReady(l: () => void) {
    this.ready = l;
  }
  onExit(l: (code: number | null, signal: string | null, stderr: string) => void) {
    this.exit = l;
  }
  start() {
    this.ready?.();
  }
  answer(value: unknown) {
    this.reply?.({ id: this.sent.at(-1)!.id, value });
  }
  die(signal: string, stderr: string) {
    this.exit?.(null, signal, stderr);
  }
}

describe('the evaluator pool (fake evaluators)', () => {
  const limits: BoxLimits = { ...DEFAULT_BOX_LIMITS, timeoutMs: 40, evaluators: 2 };
  const tick = () => new Promise((r) => setImmediate(r));
  let started: FakeEvaluator[];
  let pool: EvaluatorPool;
  beforeEach(() => {
    started = [];
    pool = new EvaluatorPool(limits, () => {
      const e = new FakeEvaluator();
      started.push(e);
      return e;
    });
  });
  afterEach(() => pool.close());

  test('a request waits for its evaluator to start (the start is not timed), then gets the answer', async () => {
    const result = pool.evaluate('1 + 1', { a: 1 });
    expect(started).toHaveLength(1);
    await new Promise((r) => setTimeout(r, limits.timeoutMs + KILL_GRACE_MS + 20));
    expect(started[0]!.sent).toEqual([]);
    started[0]!.start();
    expect(started[0]!.sent).toEqual([{ id: 0, text: '1 + 1', scope: { a: 1 } }]);
    expect(started[0]!.referenced).toBe(true);
    started[0]!.answer(2);
    await expect(result).resolves.toBe(2);
    expect(started[0]!.referenced).toBe(false);
    // The idle evaluator serves the next request; no new process.
    const next = pool.evaluate('3', {});
    started[0]!.answer(3);
    await expect(next).resolves.toBe(3);
    expect(started).toHaveLength(1);
  });

  test('past the time limit the evaluator is killed and replaced; the caller gets TimeLimit', async () => {
    pool.warm();
    started[0]!.start();
    const t0 = Date.now();
    const e = await pool.evaluate('$match(s, /^(a+)+$/)', {}).catch((x: unknown) => x);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(limits.timeoutMs);
    expect(e).toMatchObject({ name: 'ExpressionError', code: 'TimeLimit' });
    expect((e as Error).message).toMatch(
      /time limit of 40 ms \(FLOWSTATE_EXPR_TIMEOUT_MS; regular expressions included\)/,
    );
    expect(started[0]!.killed).toBe(true);
    await tick();
    const next = pool.evaluate('1', {});
    expect(started).toHaveLength(2);
    started[1]!.start();
    started[1]!.answer(1);
    await expect(next).resolves.toBe(1);
  });

  test('an evaluator that dies of memory fails its caller with MemoryLimit; the next request gets a new one', async () => {
    pool.warm();
    started[0]!.start();
    const result = pool.evaluate('bomb', {});
    started[0]!.die('SIGTRAP', '# Fatal JavaScript invalid size error 169220804');
    await expect(result).rejects.toMatchObject({ code: 'MemoryLimit' });
    await expect(result).rejects.toThrow(/memory limit of 256 MB \(FLOWSTATE_EXPR_MEMORY_MB\)/);
    const next = pool.evaluate('1', {});
    expect(started).toHaveLength(2);
    started[1]!.start();
    started[1]!.answer(1);
    await expect(next).resolves.toBe(1);
  });

  test('at most `evaluators` processes; more requests queue', async () => {
    const a = pool.evaluate('a', {});
    started[0]!.start();
    const b = pool.evaluate('b', {});
    expect(started).toHaveLength(2);
    started[1]!.start();
    const c = pool.evaluate('c', {});
    expect(started).toHaveLength(2);
    started[0]!.answer('A');
    await expect(a).resolves.toBe('A');
    expect(started[0]!.sent.map((r) => r.text)).toEqual(['a', 'c']);
    started[0]!.answer('C');
    started[1]!.answer('B');
    await expect(Promise.all([b, c])).resolves.toEqual(['B', 'C']);
  });

  test('a scope that cannot be sent fails its caller only; the evaluator serves the next request', async () => {
    pool.warm();
    started[0]!.start();
    started[0]!.send = (request) => {
      if (request.text === 'bad') throw new Error('could not be cloned');
      FakeEvaluator.prototype.send.call(started[0], request);
    };
    await expect(pool.evaluate('bad', {})).rejects.toMatchObject({ code: 'BoxSend' });
    const next = pool.evaluate('good', {});
    started[0]!.answer('ok');
    await expect(next).resolves.toBe('ok');
    expect(started).toHaveLength(1);
  });

  test('close fails what waits and kills the evaluators', async () => {
    const a = pool.evaluate('a', {});
    pool.close();
    await expect(a).rejects.toMatchObject({ code: 'BoxClosed' });
    expect(started[0]!.killed).toBe(true);
    await expect(pool.evaluate('b', {})).rejects.toMatchObject({ code: 'BoxClosed' });
  });
});

describe('why an evaluator ended', () => {
  test('memory: the heap limit, a V8 fatal size error, an abort', () => {
    expect(
      diedOfMemory(null, 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory'),
    ).toBe(true);
    expect(diedOfMemory(null, '# Fatal JavaScript invalid size error 169220804')).toBe(true);
    expect(diedOfMemory('SIGABRT', '')).toBe(true);
    expect(diedOfMemory('SIGKILL', '')).toBe(false);
  });
  test('anything else says how it ended', () => {
    const e = exitError('x', 3, null, 'boom\nmore', DEFAULT_BOX_LIMITS);
    expect(e.code).toBe('EvaluatorExited');
    expect(e.message).toBe("expression evaluator ended (exit code 3: boom) while evaluating 'x'");
  });
});
