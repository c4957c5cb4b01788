/** Cases files: what a valid one resolves to, and every mistake reported at file:line:col. */
import path from 'node:path';
import { formatDiagnostic } from '../../../src/dsl/diagnostics';
import { loadCasesText, timeScale, type LoadCasesResult } from '../../../src/testkit/cases';

const FILE = path.join('/cases', 'flow.cases.yaml');

function errors(text: string): string[] {
  const r = loadCasesText(text, FILE);
  if (r.ok) throw new Error('expected the cases file to be invalid');
  return r.errors.map(formatDiagnostic);
}

function ok(text: string): Extract<LoadCasesResult, { ok: true }>['cases'] {
  const r = loadCasesText(text, FILE);
  if (!r.ok) throw new Error(r.errors.map(formatDiagnostic).join('\n'));
  return r.cases;
}

describe('a valid cases file', () => {
  const cases = ok(`definition: flow.yaml
tool_modules: [examples, ./tools.ts]
tools:
  scan: { output: { items: [] } }
  echo: { output: file-level }
time_scale: 7d -> 1s
cases:
  - name: first
    input: { a: 1 }
    tools:
      echo: { output: case-level }
    expect:
      output: null
  - name: second
    definition: other.yaml
    timeout: 5s
    time_scale: 0.5
    skip: not yet
`);

  test('paths resolve against the cases file; examples stays a name', () => {
    expect(cases.toolModules).toEqual(['examples', '/cases/tools.ts']);
    expect(cases.cases.map((c) => c.definition)).toEqual(['/cases/flow.yaml', '/cases/other.yaml']);
  });

  test("file-level stubs are merged, the case's own win; own names are kept apart", () => {
    const [first] = cases.cases;
    expect(first.tools).toEqual({ scan: { output: { items: [] } }, echo: { output: 'case-level' } });
    expect(first.ownTools).toEqual(['echo']);
  });

  test('defaults: input {}, timeout 60s, the file time_scale; a case overrides them', () => {
    const [first, second] = cases.cases;
    expect(first.input).toEqual({ a: 1 });
    expect(second.input).toEqual({});
    expect(first.timeoutMs).toBe(60_000);
    expect(second.timeoutMs).toBe(5_000);
    expect(first.timeScale).toEqual({ factor: 1_000 / 604_800_000, text: '7d -> 1s' });
    expect(second.timeScale).toEqual({ factor: 0.5, text: '0.5' });
    expect(second.skip).toBe('not yet');
  });

  test('`output: null` is an expectation (kept), and each case knows its line and field positions', () => {
    const [first, second] = cases.cases;
    expect(Object.prototype.hasOwnProperty.call(first.expect, 'output')).toBe(true);
    expect(first.line).toBe(8);
    expect(second.line).toBe(14);
    expect(first.where(['expect', 'output'])).toBe('/cases/flow.cases.yaml:13:15');
  });

  test('time scales: a factor, or "<duration> -> <duration>"', () => {
    expect(timeScale(0.01).factor).toBe(0.01);
    expect(timeScale('5m -> 500ms').factor).toBe(500 / 300_000);
  });
});

test('cancel, start and when: an interaction cancels the run, starts a peer, or waits for a predicate over the state', () => {
  const [c] = ok(`definition: f.yaml
cases:
  - name: a
    peers:
      ping: { definition: g.yaml, start: interaction }
    interactions:
      - { at: hold, signal: pause, when: "'hold' in waiting.task" }
      - { at: hold, start: ping }
      - { at: hold, cancel: true }
    expect: { status: cancelled }
`).cases;
  expect(c.interactions).toEqual([
    { at: 'hold', signal: 'pause', when: "'hold' in waiting.task" },
    { at: 'hold', start: 'ping' },
    { at: 'hold', cancel: true },
  ]);
  expect(c.peers.ping.start).toBe('interaction');
  expect(c.expect.status).toBe('cancelled');
});

describe('mistakes are reported at file:line:col', () => {
  test('an unknown field, with a suggestion', () => {
    expect(errors('definition: f.yaml\ncases:\n  - name: a\n    expext: { status: completed }\n')).toEqual([
      "/cases/flow.cases.yaml:4:5: unknown field 'expext': did you mean 'expect'? (at cases[0].expext)",
    ]);
  });

  test('a case with no definition, here or at the top', () => {
    expect(errors('cases:\n  - name: a\n')).toEqual([
      "/cases/flow.cases.yaml:2:5: missing field 'definition': give it here or at the top of the file (at cases[0])",
    ]);
  });

  test('the same case name twice', () => {
    expect(errors('definition: f.yaml\ncases:\n  - name: a\n  - name: a\n')).toEqual([
      "/cases/flow.cases.yaml:4:11: case name 'a' is used twice (also cases[0]) (at cases[1].name)",
    ]);
  });

  test('an interaction that does two things, or nothing, or takes a field of another kind', () => {
    expect(
      errors(`definition: f.yaml
cases:
  - name: a
    interactions:
      - { at: x, decide: approve, signal: go }
      - { at: y }
      - { at: z, signal: go, by: editor }
`),
    ).toEqual([
      '/cases/flow.cases.yaml:5:43: an interaction does one thing: decide or signal, not both (at cases[0].interactions[0].signal)',
      '/cases/flow.cases.yaml:6:9: an interaction needs one of decide (approve|reject), signal (a name), update (a name), cancel (true) or start (a peer) (at cases[0].interactions[1])',
      '/cases/flow.cases.yaml:7:34: by goes with decide, not signal (at cases[0].interactions[2].by)',
    ]);
  });

  test('peers started by interactions: a peer that exists and waits for one, started once, and every such peer started', () => {
    expect(
      errors(`definition: f.yaml
cases:
  - name: a
    peers:
      late: { definition: g.yaml, start: interaction }
      early: { definition: g.yaml }
      never: { definition: g.yaml, start: interaction }
    interactions:
      - { at: x, start: late }
      - { at: x, start: late }
      - { at: x, start: early }
      - { at: x, start: nobody }
`),
    ).toEqual([
      "/cases/flow.cases.yaml:7:43: no interaction starts peer 'never' (start: never) (at cases[0].peers.never.start)",
      "/cases/flow.cases.yaml:10:25: peer 'late' is started twice (at cases[0].interactions[1].start)",
      "/cases/flow.cases.yaml:11:25: start: no peer 'early' with start: interaction (those: late, never) (at cases[0].interactions[2].start)",
      "/cases/flow.cases.yaml:12:25: start: no peer 'nobody' with start: interaction (those: late, never) (at cases[0].interactions[3].start)",
    ]);
  });

  test('a stub with output and error, a bad duration, a bad time_scale, a negative call count', () => {
    expect(
      errors(`definition: f.yaml
cases:
  - name: a
    time_scale: fast
    tools:
      scan: { output: 1, error: { type: X } }
      ship: { delay: 5 minutes }
    expect:
      calls: { scan: -1 }
`),
    ).toEqual([
      "/cases/flow.cases.yaml:4:17: time_scale 'fast': expected a number (0.001) or '<duration> -> <duration>', e.g. '7d -> 1s' (at cases[0].time_scale)",
      '/cases/flow.cases.yaml:6:33: a stub has output or error, not both (at cases[0].tools.scan.error)',
      "/cases/flow.cases.yaml:7:22: delay '5 minutes': expected a duration such as 250ms, 30s, 5m, 2h or 7d (at cases[0].tools.ship.delay)",
      '/cases/flow.cases.yaml:9:22: scan must be ≥ 0, not -1 (at cases[0].expect.calls.scan)',
    ]);
  });

  test('an unknown event type', () => {
    const [e] = errors(
      'definition: f.yaml\ncases:\n  - name: a\n    expect:\n      events: [{ type: task.finished }]\n',
    );
    expect(e).toMatch(
      /^\/cases\/flow\.cases\.yaml:5:24: type must be one of .*, not 'task\.finished': did you mean 'task\.failed'\? \(at cases\[0\]\.expect\.events\[0\]\.type\)$/,
    );
  });

  test('a YAML syntax error gives a few lines, not one per token after it', () => {
    const all = errors(
      'definition: f.yaml\ncases:\n  - name: a\n    expect: { paths: [a[0]/b, c] }\n    x: [1, 2\n',
    );
    expect(all.length).toBeLessThanOrEqual(3);
    expect(all[0]).toMatch(/^\/cases\/flow\.cases\.yaml:4:\d+: YAML syntax: /);
  });

  test('no cases at all', () => {
    expect(errors('definition: f.yaml\ncases: []\n')).toEqual([
      '/cases/flow.cases.yaml:2:8: a cases file needs at least one case under cases (at cases)',
    ]);
  });
});
