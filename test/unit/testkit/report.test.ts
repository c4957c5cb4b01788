/** The report: a line per case; a failed case lists what differs, where, and the diff. */
import { formatCase, summary } from '../../../src/testkit/report';
import type { CaseResult } from '../../../src/testkit/runner';

const base: CaseResult = {
  name: 'greets',
  file: '/repo/definitions/hello.cases.yaml',
  line: 5,
  ok: true,
  failures: [],
  durationMs: 412,
  paths: [],
  time: [],
  calls: [],
};

test('a passing case is one line, with the durations it changed', () => {
  expect(formatCase(base, { cwd: '/repo' })).toBe('✓ greets (412 ms)');
  expect(
    formatCase({ ...base, time: ['reply timeout 7d → 1s (time_scale 7d -> 1s)'] }, { cwd: '/repo' }),
  ).toBe('✓ greets (412 ms)\n    time: reply timeout 7d → 1s (time_scale 7d -> 1s)');
});

test('a failing case names the file and line, each failure its task path and where the case says it', () => {
  const failed: CaseResult = {
    ...base,
    ok: false,
    durationMs: 1_234,
    failures: [
      {
        message: 'output differs',
        path: 'report',
        where: '/repo/definitions/hello.cases.yaml:8:15',
        diff: '- Expected\n+ Received',
      },
    ],
  };
  expect(formatCase(failed, { cwd: '/repo' })).toBe(
    [
      '✗ greets (1.2 s)  definitions/hello.cases.yaml:5',
      "    1) at 'report': output differs",
      '       (definitions/hello.cases.yaml:8:15)',
      '       - Expected',
      '       + Received',
    ].join('\n'),
  );
});

test('the summary counts passed, failed, skipped and invalid files', () => {
  const results = [base, { ...base, ok: false }, { ...base, skipped: 'later' }];
  expect(
    summary([
      { file: 'a', errors: [], results },
      { file: 'b', errors: ['b:1:1: bad'], results: [] },
    ]),
  ).toEqual({
    text: '3 cases: 1 passed, 1 failed, 1 skipped, 1 invalid cases file',
    failed: 2,
  });
});
