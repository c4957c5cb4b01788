/** Task-type registries: task types by name, typo hints, the non-retryable UnknownTaskType. */
import { ApplicationFailure } from '@temporalio/common';
import { builtinTaskTypes, TaskTypes } from '../../../src/orchestrators/registry';
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

const types = builtinTaskTypes();

describe('the built-in registry', () => {
  it('every built-in type is registered, first and in order, under its own name', () => {
    expect(types.names().slice(0, BUILTINS.length)).toEqual(BUILTINS);
    for (const type of BUILTINS) {
      const o = types.get(type);
      expect(o.type).toBe(type);
      expect(types.find(type)).toBe(o);
      expect(o.summary.length).toBeGreaterThan(0);
      expect(typeof o.start).toBe('function');
    }
    expect(types.list().map((o) => o.type)).toEqual(types.names());
  });

  it('the types that wait for children or signals have respond; the others need none', () => {
    const responds = BUILTINS.filter((t) => types.get(t).respond !== undefined);
    expect(responds.sort()).toEqual(['collection', 'composite', 'loop', 'parallel', 'router', 'wait']);
  });

  it('only basic runs as a remote activity (the others are compute-only)', () => {
    expect(BUILTINS.filter((t) => !types.get(t).local)).toEqual(['basic']);
  });

  it("unknown type: non-retryable UnknownTaskType with did you mean 'parallel'? for 'paralel'", () => {
    const e = thrown(() => types.get('paralel'));
    expect(e.type).toBe('UnknownTaskType');
    expect(e.nonRetryable).toBe(true);
    expect(e.message).toContain("unknown task type 'paralel'");
    expect(e.message).toContain("did you mean 'parallel'?");
    for (const t of BUILTINS) expect(e.message).toContain(t);
  });

  it('unknown type nothing like a known one: no hint, still lists the known types', () => {
    const e = thrown(() => types.get('kubernetes-job'));
    expect(e.type).toBe('UnknownTaskType');
    expect(e.nonRetryable).toBe(true);
    expect(e.message).not.toContain('did you mean');
    expect(e.message).toContain('known: basic, router');
  });

  it('find of an unknown type is undefined (no throw)', () => {
    expect(types.find('nope')).toBeUndefined();
  });

  it('is one shared value', () => {
    expect(builtinTaskTypes()).toBe(types);
  });
});

describe('registries are values', () => {
  const make = (summary: string): Orchestrator => ({
    type: 'test-only-type',
    summary,
    fields: () => ({}),
    local: true,
    start: async () => ({ kind: 'done', output: summary }),
  });

  it('with() adds a type in a new registry; a later type of the same name replaces it', () => {
    const more = types.with(make('first')).with(make('second'));
    expect(more.get('test-only-type').summary).toBe('second');
    expect(more.names().filter((t) => t === 'test-only-type')).toHaveLength(1);
    expect(more.names().slice(0, types.names().length)).toEqual(types.names());
    // The built-in registry is unchanged.
    expect(types.find('test-only-type')).toBeUndefined();
  });

  it('a replaced type keeps its place', () => {
    const replaced = new TaskTypes([make('a'), types.get('basic'), make('b')]);
    expect(replaced.names()).toEqual(['test-only-type', 'basic']);
    expect(replaced.get('test-only-type').summary).toBe('b');
  });

  it('an empty registry knows nothing and says so', () => {
    const e = thrown(() => new TaskTypes().get('basic'));
    expect(e.message).toBe("unknown task type 'basic' (known: )");
  });
});
