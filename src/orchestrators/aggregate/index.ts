import type { Orchestrator } from '../../contract/orchestrator';
import { done } from '../shared';
import { aggregateFields, type AggregateSpec } from './schema';

/**
 * aggregate: its output is its rendered `outputs`. `createTaskState` renders `outputs` for every
 * task type (over the raw result), so this orchestrator's raw result is simply null.
 */
export const aggregate: Orchestrator<AggregateSpec> = {
  type: 'aggregate',
  summary: 'Computes its output from `outputs` (templates over earlier tasks).',
  fields: aggregateFields,
  local: true,
  start: async () => done(null),
};
