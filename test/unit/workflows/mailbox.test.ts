/**
 * The signal inbox: signals are kept by name in arrival order, and what is left crosses a
 * continue-as-new ahead of what arrives after it; pause and resume report only real changes.
 */
import type { EventStream } from '../../../src/workflows/events';
import { Mailbox } from '../../../src/workflows/mailbox';

function mailbox() {
  const emitted: unknown[][] = [];
  const events = { emit: (...args: unknown[]) => void emitted.push(args) } as unknown as EventStream;
  const pauseChanged = jest.fn();
  return { box: new Mailbox(events, () => undefined, pauseChanged), emitted, pauseChanged };
}

test('a received signal is reported and kept by name, in arrival order', () => {
  const { box, emitted } = mailbox();
  box.receive('paid', { amount: 1 });
  box.receive('shipped', null);
  box.receive('paid', { amount: 2 });
  expect(emitted).toEqual([
    ['signal.received', undefined, { name: 'paid' }],
    ['signal.received', undefined, { name: 'shipped' }],
    ['signal.received', undefined, { name: 'paid' }],
  ]);
  expect(box.unconsumed()).toEqual({ paid: [{ amount: 1 }, { amount: 2 }], shipped: [null] });
});

test('what is carried over is a copy: later signals do not change it', () => {
  const { box } = mailbox();
  box.receive('paid', 1);
  const carried = box.unconsumed();
  box.receive('paid', 2);
  expect(carried).toEqual({ paid: [1] });
});

test('carried-over signals go back ahead of those that arrived in the new run', () => {
  const { box } = mailbox();
  box.receive('paid', 'new');
  box.restore({ paid: ['old-1', 'old-2'], other: ['x'] });
  expect(box.unconsumed()).toEqual({ paid: ['old-1', 'old-2', 'new'], other: ['x'] });
});

test('nothing to carry over: no names with empty queues, and restoring nothing changes nothing', () => {
  const { box } = mailbox();
  box.restore(undefined);
  box.restore({ empty: [] });
  expect(box.unconsumed()).toEqual({});
  expect(box.waits()).toEqual([]);
});

test('pause and resume: reported when they change something, the status refreshed every time', () => {
  const { box, emitted, pauseChanged } = mailbox();
  box.setPaused(true);
  box.setPaused(true);
  expect(box.paused).toBe(true);
  box.setPaused(false);
  expect(box.paused).toBe(false);
  expect(emitted).toEqual([['run.paused'], ['run.resumed']]);
  expect(pauseChanged).toHaveBeenCalledTimes(3);
});

test('whileUnpaused resolves at once when the run is not paused', async () => {
  const { box } = mailbox();
  await expect(box.whileUnpaused()).resolves.toBeUndefined();
});
