import { refusal } from '../../../src/client/redrive';

describe('which runs a redrive accepts', () => {
  test.each(['FAILED', 'TERMINATED', 'TIMED_OUT', 'CANCELLED'])('%s: accepted', (status) => {
    expect(refusal('r-1', status)).toBeUndefined();
  });

  test('a completed run is refused: nothing to redrive', () => {
    expect(refusal('r-1', 'COMPLETED')).toMatch(/^cannot redrive r-1: it completed: .*flowstate run/);
  });

  test('a running run is refused, naming the way out', () => {
    expect(refusal('r-1', 'RUNNING')).toMatch(/still running: .*flowstate cancel/);
  });
});
