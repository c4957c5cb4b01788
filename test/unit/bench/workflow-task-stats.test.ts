/** The bench judges "no workflow task over 1 s, none failed or timed out" from histories: check it reads them right. */
import { temporal } from '@temporalio/proto';
import { workflowTaskRow, workflowTaskStats, type HistoryEvent } from '../../../bench/lib';

const { EventType } = temporal.api.enums.v1;

// The proto types want Long; the bench reads numbers through Number(), as the client's events give them.
const at = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 }) as never;
const started = (id: number, ms: number): HistoryEvent => ({
  eventId: id as never,
  eventTime: at(ms),
  eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
  workflowTaskStartedEventAttributes: {},
});
const ended = (
  id: number,
  ms: number,
  startedId: number,
  how: 'Completed' | 'Failed' | 'TimedOut',
): HistoryEvent => ({
  eventId: id as never,
  eventTime: at(ms),
  eventType:
    EventType[
      `EVENT_TYPE_WORKFLOW_TASK_${how === 'TimedOut' ? 'TIMED_OUT' : how.toUpperCase()}` as 'EVENT_TYPE_WORKFLOW_TASK_FAILED'
    ],
  [`workflowTask${how}EventAttributes`]: { startedEventId: startedId as never },
});

test('longest task, tasks over 1 s, failed and timed out tasks, across histories', () => {
  const parent = [
    started(3, 1_000),
    ended(4, 1_040, 3, 'Completed'),
    started(9, 5_000),
    ended(10, 6_500, 9, 'Failed'),
  ];
  const child = [
    started(3, 2_000),
    ended(4, 2_020, 3, 'Completed'),
    started(7, 3_000),
    ended(8, 13_000, 7, 'TimedOut'),
  ];
  const stats = workflowTaskStats([parent, child]);
  expect(stats).toEqual({ tasks: 4, maxMs: 10_000, over1s: 2, failed: 1, timedOut: 1 });
  expect(workflowTaskRow('fan-out', stats).ok).toBe(false);
  expect(workflowTaskRow('fan-out', workflowTaskStats([parent.slice(0, 2), child.slice(0, 2)])).ok).toBe(
    true,
  );
});
