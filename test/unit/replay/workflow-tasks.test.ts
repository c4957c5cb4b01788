/** Reading a history's workflow tasks: times, the slow ones, failed and timed-out ones. */
import { temporal } from '@temporalio/proto';
import { scanWorkflowTasks } from '../../../src/replay/workflow-tasks';

const { EventType, WorkflowTaskFailedCause, TimeoutType } = temporal.api.enums.v1;
type Event = temporal.api.history.v1.IHistoryEvent;

let id = 0;
/** An event at `ms` after the epoch (ids and seconds as numbers, as JSON histories give them). */
const at = (ms: number, e: Omit<Event, 'eventId' | 'eventTime'>): Event =>
  ({
    ...e,
    eventId: ++id,
    eventTime: { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 },
  }) as unknown as Event;
const started = (ms: number) => at(ms, { eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED });
const completed = (ms: number, s: Event) =>
  at(ms, {
    eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
    workflowTaskCompletedEventAttributes: { startedEventId: s.eventId },
  });

test('each workflow task is timed from its start to its completion; those over the limit are slow', () => {
  const a = started(1_000);
  const b = started(5_000);
  const events = [a, completed(1_020, a), b, completed(6_500, b)];
  const scan = scanWorkflowTasks(events, 1000);
  expect(scan).toMatchObject({ tasks: 2, totalMs: 1520, maxMs: 1500 });
  expect(scan.issues).toEqual([{ startedEventId: Number(b.eventId), ms: 1500, kind: 'slow' }]);
  expect(scanWorkflowTasks(events, 2000).issues).toEqual([]);
});

test('failed and timed-out workflow tasks are reported with their cause, whatever their time', () => {
  const a = started(0);
  const b = started(100);
  const events = [
    a,
    at(10, {
      eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED,
      workflowTaskFailedEventAttributes: {
        startedEventId: a.eventId,
        cause: WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_FORCE_CLOSE_COMMAND,
        failure: { message: 'boom' },
      },
    }),
    b,
    at(10_100, {
      eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT,
      workflowTaskTimedOutEventAttributes: {
        startedEventId: b.eventId,
        timeoutType: TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE,
      },
    }),
  ];
  expect(scanWorkflowTasks(events).issues).toEqual([
    {
      startedEventId: Number(a.eventId),
      ms: 10,
      kind: 'failed',
      cause: 'WORKFLOW_TASK_FAILED_CAUSE_FORCE_CLOSE_COMMAND',
      message: 'boom',
    },
    {
      startedEventId: Number(b.eventId),
      ms: 10_000,
      kind: 'timed_out',
      cause: 'TIMEOUT_TYPE_START_TO_CLOSE',
    },
  ]);
});
