/**
 * How many workflow tasks a worker takes at once (src/workflow-task-slots.ts): 8 unless
 * FLOWSTATE_WORKFLOW_TASK_SLOTS says otherwise; a value the SDK cannot take is refused by name.
 */
import { DEFAULT_WORKFLOW_TASK_SLOTS, workflowTaskSlotsFromEnv } from '../../../src/workflow-task-slots';

describe('workflowTaskSlotsFromEnv', () => {
  it('is 8 when the variable is unset or empty', () => {
    expect(DEFAULT_WORKFLOW_TASK_SLOTS).toBe(8);
    expect(workflowTaskSlotsFromEnv({})).toBe(8);
    expect(workflowTaskSlotsFromEnv({ FLOWSTATE_WORKFLOW_TASK_SLOTS: ' ' })).toBe(8);
  });

  it('takes a whole number from 2 to 1000', () => {
    expect(workflowTaskSlotsFromEnv({ FLOWSTATE_WORKFLOW_TASK_SLOTS: '2' })).toBe(2);
    expect(workflowTaskSlotsFromEnv({ FLOWSTATE_WORKFLOW_TASK_SLOTS: ' 40 ' })).toBe(40);
    expect(workflowTaskSlotsFromEnv({ FLOWSTATE_WORKFLOW_TASK_SLOTS: '1000' })).toBe(1000);
  });

  it.each(['1', '0', '1001', '4.5', '-3', 'eight', '8 tasks'])(
    'refuses %p, naming the variable and the range',
    (value) => {
      expect(() => workflowTaskSlotsFromEnv({ FLOWSTATE_WORKFLOW_TASK_SLOTS: value })).toThrow(
        `FLOWSTATE_WORKFLOW_TASK_SLOTS must be a whole number of workflow tasks (2-1000); got '${value}'`,
      );
    },
  );
});
