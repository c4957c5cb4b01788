import { findSourceParser, registerSourceParser, sourceParserNames } from '../../../src/sources/registry';
import { SpecTasksParser } from '../../../src/sources/spec-tasks';
import type { SourceParser } from '../../../src/sources/types';

describe('source parser registry', () => {
  it('knows spec-tasks', () => {
    expect(sourceParserNames()).toContain('spec-tasks');
    expect(findSourceParser('spec-tasks')).toBeInstanceOf(SpecTasksParser);
  });

  it('answers undefined for an unknown name', () => {
    expect(findSourceParser('no-such-parser')).toBeUndefined();
  });

  it('registers a parser under its name', () => {
    const parser: SourceParser = {
      name: 'test-only',
      parse: () => ({ ok: false, errors: [{ line: 1, message: 'nothing' }], warnings: [] }),
    };
    registerSourceParser(parser);
    expect(findSourceParser('test-only')).toBe(parser);
    expect(sourceParserNames()).toEqual(['spec-tasks', 'test-only']);
  });
});
