import {
  checkEvidence,
  normalizeCriterion,
  refusalMessage,
} from '../../../src/orchestrators/spec-session/evidence';

const gate = [
  'All data models created and tested',
  'SpecTasksParser parses the example tasks.md',
  'No linting errors',
].map((text, i) => ({
  text,
  done: false,
  line: 10 + i,
}));

describe('checkEvidence', () => {
  test('every criterion addressed by number or by text (retyped loosely) passes, with the notes in gate order', () => {
    const check = checkEvidence(gate, {
      criteria: {
        'no linting errors.': 'eslint: 0 problems',
        1: '18 model tests',
        '**SpecTasksParser** parses the example tasks.md': 'seeds test',
      },
      summary: ' phase done ',
    });
    expect(check).toEqual({
      ok: true,
      criteria: [
        { n: 1, text: gate[0]!.text, note: '18 model tests' },
        { n: 2, text: gate[1]!.text, note: 'seeds test' },
        { n: 3, text: gate[2]!.text, note: 'eslint: 0 problems' },
      ],
      summary: 'phase done',
    });
  });

  test('the list form works too', () => {
    const check = checkEvidence(gate, {
      criteria: [
        { criterion: 1, note: 'a' },
        { criterion: '2', note: 'b' },
        { criterion: 'No linting errors', note: 'c' },
      ],
    });
    expect(check.ok).toBe(true);
  });

  test('missing criteria and empty notes are listed, numbered, with their text', () => {
    const check = checkEvidence(gate, { criteria: { 1: 'done', 3: '   ' } });
    expect(check).toEqual({
      ok: false,
      problems: [],
      missing: [
        { n: 2, text: gate[1]!.text, reason: 'not addressed' },
        { n: 3, text: gate[2]!.text, reason: 'empty note' },
      ],
      unknown: [],
    });
    if (check.ok) return;
    const message = refusalMessage({ id: '1', name: 'Core' }, gate.length, check);
    expect(message).toBe(
      [
        "phase 1 'Core' cannot be completed:",
        '  2 of 3 gate criteria not addressed:',
        '    2. SpecTasksParser parses the example tasks.md',
        '    3. No linting errors (empty note)',
        '  address each criterion by number or text with a note: { "criteria": { "2": "how it was met" } }',
      ].join('\n'),
    );
  });

  test('keys that name no criterion are refused (usually a typo of a missing one)', () => {
    const check = checkEvidence(gate, { criteria: { 1: 'a', 2: 'b', 'No lint errors': 'c', 7: 'x' } });
    expect(check).toMatchObject({ ok: false, missing: [{ n: 3 }], unknown: ['7', 'No lint errors'] });
    if (!check.ok)
      expect(refusalMessage({ id: '1', name: 'Core' }, 3, check)).toContain(
        "evidence names criteria this gate does not have: '7', 'No lint errors'",
      );
  });

  test('unusable evidence says what shape it needs', () => {
    for (const evidence of [null, 'all good', ['1'], { criteria: 'all' }, { criteria: [{ note: 'x' }] }]) {
      const check = checkEvidence(gate, evidence);
      expect(check.ok).toBe(false);
      if (!check.ok) expect(check.problems[0]).toMatch(/evidence/);
    }
  });

  test('a phase with no gate takes any evidence, or none', () => {
    expect(checkEvidence([], undefined)).toEqual({ ok: true, criteria: [] });
    expect(checkEvidence([], { summary: 'ok' })).toEqual({ ok: true, criteria: [], summary: 'ok' });
  });

  test('normalizeCriterion', () => {
    expect(normalizeCriterion('  **Unit  tests** pass. ')).toBe('unit tests pass');
  });
});
