/** The one "did you mean" helper: field names, task types, task ids, template fields, commands. */
import { closest, didYouMean } from '../../../src/contract/suggest';

const TYPES = [
  'basic',
  'router',
  'parallel',
  'collection',
  'composite',
  'aggregate',
  'wait',
  'signal',
  'loop',
];

describe('closest', () => {
  it.each([
    ['retires', ['retry', 'timeout', 'tool'], 'retry'],
    ['paralel', ['parallel', 'router'], 'parallel'],
    ['max_iteration', ['max_iterations', 'until'], 'max_iterations'],
    ['x', ['id', 'if'], undefined],
    ['banana', ['retry', 'timeout'], undefined],
  ])('%s → %s', (word, candidates, expected) => {
    expect(closest(word, candidates)).toBe(expected);
  });

  it.each([
    ['paralel', 'parallel'],
    ['colection', 'collection'],
    ['Router', 'router'],
    ['LOOP', 'loop'],
    ['wiat', 'wait'],
    ['aggregat', 'aggregate'],
    ['basci', 'basic'],
  ])('closest(%s) among the task types = %s', (word, hint) => {
    expect(closest(word, TYPES)).toBe(hint);
  });

  it.each(['kubernetes', 'x', 'http-call', ''])('closest(%p) is undefined: too far from any type', (word) => {
    expect(closest(word, TYPES)).toBeUndefined();
  });

  it('no candidates → undefined; the allowed distance grows with the word (40% of it)', () => {
    expect(closest('parallel', [])).toBeUndefined();
    expect(closest('abcdefghijkl', ['abcdefghixyz'])).toBe('abcdefghixyz'); // 3 edits, 12 letters
    expect(closest('abcdefghi', ['abcdefxyz'])).toBe('abcdefxyz'); // 3 edits, 9 letters
    expect(closest('abcdefgh', ['abcdefxyz'])).toBe('abcdefxyz'); // 3 edits, 8 letters: limit 4
  });

  it('ties go to the longest shared prefix; the word itself is never suggested', () => {
    expect(closest('tsk', ['ask', 'task'])).toBe('task');
    expect(closest('task', ['task'])).toBeUndefined();
  });

  it('two neighbouring letters swapped are one edit: gaol is goal, not gate', () => {
    expect(closest('gaol', ['gate', 'goal'])).toBe('goal');
    expect(closest('nmae', ['name', 'number'])).toBe('name');
  });

  it('didYouMean formats the hint, or nothing', () => {
    expect(didYouMean('retires', ['retry'])).toBe(": did you mean 'retry'?");
    expect(didYouMean('banana', ['retry'])).toBe('');
  });
});
