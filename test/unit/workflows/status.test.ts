/** What a run shows about itself: its live status, and the Web UI's Current Details. */
import { acceptorsOf, currentDetails, liveStatus, type DetailsInput } from '../../../src/workflows/status';

describe('liveStatus', () => {
  test('a live run is paused before it waits for a gate, and waits for a gate before it runs', () => {
    expect(liveStatus('running', true, 1)).toBe('paused');
    expect(liveStatus('running', false, 2)).toBe('waiting_acceptance');
    expect(liveStatus('waiting_acceptance', false, 0)).toBe('running');
    expect(liveStatus('paused', false, 0)).toBe('running');
    expect(liveStatus('paused', false, 1)).toBe('waiting_acceptance');
  });

  test('a finished run keeps its status, paused or not', () => {
    expect(liveStatus('completed', true, 1)).toBe('completed');
    expect(liveStatus('failed', false, 1)).toBe('failed');
    expect(liveStatus('cancelled', true, 0)).toBe('cancelled');
  });
});

describe('acceptorsOf (FlowstateAcceptors)', () => {
  const pending = (...acceptors: string[]) => ({ acceptors, status: 'pending' as const });

  test('who may decide the pending gates, each once, in the order the gates opened', () => {
    const gates = [pending('alice', 'group:legal'), pending('bob', 'alice')];
    expect(acceptorsOf('waiting_acceptance', gates)).toEqual(['alice', 'group:legal', 'bob']);
    expect(acceptorsOf('paused', gates)).toEqual(['alice', 'group:legal', 'bob']);
  });

  test('a gate without acceptors is open to anyone: *', () => {
    expect(acceptorsOf('waiting_acceptance', [pending(), pending('alice')])).toEqual(['*', 'alice']);
  });

  test('none when no gate waits, a gate was just decided, or the run ended', () => {
    expect(acceptorsOf('running', [])).toEqual([]);
    expect(acceptorsOf('waiting_acceptance', [{ acceptors: ['alice'], status: 'approved' }])).toEqual([]);
    expect(acceptorsOf('failed', [pending('alice')])).toEqual([]);
    expect(acceptorsOf('cancelled', [pending('alice')])).toEqual([]);
  });
});

describe('currentDetails', () => {
  const quiet: DetailsInput = {
    status: 'running',
    done: 0,
    running: new Set(),
    gates: [],
    signals: [],
    updates: [],
  };

  test('status and progress on the first line', () => {
    expect(currentDetails(quiet)).toBe('**running** · 0 tasks done');
    expect(currentDetails({ ...quiet, status: 'completed', done: 3 })).toBe('**completed** · 3 tasks done');
    expect(currentDetails({ ...quiet, done: 1, running: new Set(['a', 'b/c']) })).toBe(
      '**running** · 1 tasks done · running: a, b/c',
    );
  });

  test('names at most five running paths and counts the rest', () => {
    const running = new Set(Array.from({ length: 8 }, (_, i) => `item[${i}]`));
    expect(currentDetails({ ...quiet, running })).toBe(
      '**running** · 0 tasks done · running: item[0], item[1], item[2], item[3], item[4] and 3 more',
    );
    const five = new Set(['a', 'b', 'c', 'd', 'e']);
    expect(currentDetails({ ...quiet, running: five })).not.toMatch(/more/);
  });

  test('one paragraph per wait: gates with their acceptors, then signals, then updates', () => {
    const details = currentDetails({
      ...quiet,
      status: 'waiting_acceptance',
      gates: [
        { gate: 'draft', acceptors: ['editor', 'lead'], revision: 1 },
        { gate: 'legal', acceptors: [], revision: 0 },
      ],
      signals: [{ task: 'wait-payment', signal: 'paid' }],
      updates: [{ task: 'session', update: 'complete-phase' }],
    });
    expect(details.split('\n\n')).toEqual([
      '**waiting_acceptance** · 0 tasks done',
      'gate `draft` waits for a decision by editor or lead (revision 1)',
      'gate `legal` waits for a decision (revision 0)',
      '`wait-payment` waits for signal `paid`',
      '`session` waits for update `complete-phase`',
    ]);
  });
});
