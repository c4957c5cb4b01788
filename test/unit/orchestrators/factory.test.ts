/** The factory: task types by name, typo hints, the non-retryable UnknownTaskType. */
import { ApplicationFailure } from '@temporalio/common';
import {
  findOrchestrator,
  getOrchestrator,
  orchestrators,
  registerOrchestrator,
  taskTypes,
} from '../../../src/orchestrators/factory';
import type { Orchestrator } from '../../../src/contract/orchestrator';

const BUILTINS = [
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

function thrown(fn: () => unknown): ApplicationFailure {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApplicationFailure) return e;
    throw e;
  }
  throw new Error('expected a throw');
}

describe('factory', () => {
  it('every built-in type is registered, first and in order, under its own name', () => {
    expect(taskTypes().slice(0, BUILTINS.length)).toEqual(BUILTINS);
    for (const type of BUILTINS) {
      const o = getOrchestrator(type);
      expect(o.type).toBe(type);
      expect(findOrchestrator(type)).toBe(o);
      expect(o.summary.length).toBeGreaterThan(0);
      expect(typeof o.start).toBe('function');
    }
    expect(orchestrators().map((o) => o.type)).toEqual(taskTypes());
  });

  it('the types that wait for children or signals have respond; the others need none', () => {
    const responds = BUILTINS.filter((t) => getOrchestrator(t).respond !== undefined);
    expect(responds.sort()).toEqual(['collection', 'composite', 'loop', 'parallel', 'router', 'wait']);
  });

  it('only basic runs as a remote activity (the others are compute-only)', () => {
    expect(BUILTINS.filter((t) => !getOrchestrator(t).local)).toEqual(['basic']);
  });

  it("unknown type: non-retryable UnknownTaskType with did you mean 'parallel'? for 'paralel'", () => {
    const e = thrown(() => getOrchestrator('paralel'));
    expect(e.type).toBe('UnknownTaskType');
    expect(e.nonRetryable).toBe(true);
    expect(e.message).toContain("unknown task type 'paralel'");
    expect(e.message).toContain("did you mean 'parallel'?");
    for (const t of BUILTINS) expect(e.message).toContain(t);
  });

  it('unknown type nothing like a known one: no hint, still lists the known types', () => {
    const e = thrown(() => getOrchestrator('kubernetes-job'));
    expect(e.type).toBe('UnknownTaskType');
    expect(e.nonRetryable).toBe(true);
    expect(e.message).not.toContain('did you mean');
    expect(e.message).toContain('known: basic, router');
  });

  it('findOrchestrator of an unknown type is undefined (no throw)', () => {
    expect(findOrchestrator('nope')).toBeUndefined();
  });

  it('registerOrchestrator adds a type; a later registration of the same name replaces it', () => {
    const make = (summary: string): Orchestrator => ({
      type: 'test-only-type',
      summary,
      fields: () => ({}),
      local: true,
      start: async () => ({ kind: 'done', output: summary }),
    });
    registerOrchestrator(make('first'));
    registerOrchestrator(make('second'));
    expect(getOrchestrator('test-only-type').summary).toBe('second');
    expect(taskTypes().filter((t) => t === 'test-only-type')).toHaveLength(1);
  });
});
