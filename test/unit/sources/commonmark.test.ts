/**
 * Where markdown-it's CommonMark reading decides what a line is, and where the parser deliberately
 * keeps its own reading. The regex lexer it replaced read some of these inputs differently (noted
 * per case); the seeds, the malformed fixtures and the rules in spec-tasks.test.ts read the same.
 */
import { SpecTasksParser } from '../../../src/sources/spec-tasks';
import type { ParseResult } from '../../../src/sources/types';

const parse = (...lines: string[]): ParseResult => new SpecTasksParser().parse(lines.join('\n'));
const ok = (...lines: string[]) => {
  const result = parse(...lines);
  expect(result.errors).toEqual([]);
  return result;
};
const tasks = (result: ParseResult) => result.document!.phases.flatMap((p) => p.tasks);

describe('CommonMark decides', () => {
  it('a fence indented under a nested item is code (the lexer only saw fences indented 0-3)', () => {
    const result = ok(
      '# T',
      '## Phase 1: A',
      '- [ ] **Task 1.1**: x',
      '  - **Example**:',
      '    ```yaml',
      '    - [ ] not a criterion',
      '    # not a heading',
      '    ```',
      '  - **Acceptance Criteria**:',
      '    - [ ] real',
    );
    expect(tasks(result)).toEqual([
      expect.objectContaining({ id: '1.1', criteria: [expect.objectContaining({ text: 'real' })] }),
    ]);
    expect(tasks(result)[0]!.description).toBeUndefined();
    expect(result.warnings).toEqual([]);
  });

  it('a fence in a list item ends with its item: no error, the next item is read (the lexer ran it to the end)', () => {
    const result = ok(
      '# T',
      '## Phase 1: A',
      '- [ ] **Task 1.1**: x',
      '  ```bash',
      '  npm test',
      '- [ ] **Task 1.2**: y',
    );
    expect(tasks(result).map((t) => t.id)).toEqual(['1.1', '1.2']);
  });

  it('a fence still open at the end of the document is an error, in a list item too (trailing blanks included)', () => {
    const result = parse('# T', '## Phase 1: A', '- [ ] **Task 1.1**: x', '  ```bash', '  npm test', '  ');
    expect(result.errors).toEqual([{ line: 4, message: 'code fence is never closed' }]);
  });

  it('text indented four spaces outside a list is an indented code block (the lexer read it as markdown)', () => {
    const result = ok(
      '# T',
      '## Phase 1: A',
      '- [ ] **Task 1.1**: x',
      '',
      'Example:',
      '',
      '    - [ ] not a task',
      '    ## not a heading',
    );
    expect(tasks(result).map((t) => t.id)).toEqual(['1.1']);
  });

  it('a raw HTML block is opaque up to its blank line (the lexer read its lines as markdown)', () => {
    const result = ok(
      '# T',
      '## Phase 1: A',
      '- [ ] **Task 1.1**: x',
      '',
      '<details>',
      '- [ ] hidden',
      '</details>',
      '',
      '- [ ] **Task 1.2**: y',
    );
    expect(tasks(result).map((t) => [t.id, t.line])).toEqual([
      ['1.1', 3],
      ['1.2', 9],
    ]);
  });

  it('an ordered item not numbered 1 continues the paragraph before it (the lexer saw an item)', () => {
    const result = ok('# T', '## Phase 1: A', 'Intro', '2. [ ] still the intro', '', '- [ ] **Task 1.1**: x');
    expect(result.document!.phases[0]!.description).toBe('Intro 2. [ ] still the intro');
    expect(tasks(result).map((t) => t.id)).toEqual(['1.1']);
  });

  it('an HTML comment hides the lines up to its end, inside a list item too', () => {
    const result = ok(
      '# T',
      '## Phase 1: A',
      '- [ ] **Task 1.1**: x',
      '  <!-- later:',
      '  - [ ] not yet',
      '  -->',
      '  - [ ] now',
    );
    expect(tasks(result)[0]!.criteria.map((c) => c.text)).toEqual(['now']);
  });
});

describe('the parser keeps its own reading', () => {
  it('text over --- is prose and a rule, not a setext heading', () => {
    const result = ok('# T', '## Phase 1: A', 'Intro text', '---', '- [ ] **Task 1.1**: x');
    expect(result.document!.phases.map((p) => [p.id, p.description])).toEqual([['1', 'Intro text']]);
  });

  it('a line not indented under a task item ends it, though CommonMark continues the item lazily', () => {
    const result = ok(
      '# T',
      '## Phase 1: A',
      '- [ ] **Task 1.1**: x',
      '**Validation Gate:**',
      '- [ ] gate item',
    );
    expect(result.document!.phases[0]!.gate.map((g) => g.text)).toEqual(['gate item']);
    expect(tasks(result)[0]!.criteria).toEqual([]);
  });

  it('a line like a link reference definition is prose', () => {
    const result = ok('# T', '## Phase 1: A', '[x]: the first line', '- [ ] **Task 1.1**: x');
    expect(result.document!.phases[0]!.description).toBe('[x]: the first line');
  });

  it('a block quote is prose, whatever it quotes', () => {
    const result = ok(
      '# T',
      '## Phase 1: A',
      '> ```',
      '> - [ ] **Task 9.9**: quoted',
      '- [ ] **Task 1.1**: x',
    );
    expect(tasks(result).map((t) => t.id)).toEqual(['1.1']);
  });

  it('a line of Unicode spaces is blank', () => {
    const result = ok('# T', '## Phase 1: A', 'First', '\u00a0', 'Second', '- [ ] **Task 1.1**: x');
    expect(result.document!.phases[0]!.description).toBe('First');
  });
});
