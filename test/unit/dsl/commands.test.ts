import { join } from 'node:path';
import { graphFile, schemaText, validateFiles } from '../../../src/dsl/commands';
import { DefinitionError } from '../../../src/dsl/diagnostics';
import { FIXTURES, TYPES } from './helpers';

const valid = (name: string) => join(FIXTURES, 'valid', name);
const invalid = (name: string) => join(FIXTURES, 'invalid', name);

describe('validateFiles', () => {
  it('prints ok lines and exits 0 when every file compiles', async () => {
    expect(await validateFiles([valid('parallel.yaml'), valid('everything.json')], TYPES)).toEqual({
      exitCode: 0,
      lines: [
        `ok ${valid('parallel.yaml')} (parallel-analysis@1.2.0, 7 tasks)`,
        `ok ${valid('everything.json')} (json-definition@1.0.0, 2 tasks)`,
      ],
    });
  });

  it('prints file:line:col errors and exits 1 when any file fails', async () => {
    const result = await validateFiles([invalid('unknown-type.yaml'), valid('signal.yaml')], TYPES);
    expect(result).toEqual({
      exitCode: 1,
      lines: [
        `${invalid('unknown-type.yaml')}:6:11: unknown task type 'paralel': did you mean 'parallel'? (at tasks[0].type)`,
        `ok ${valid('signal.yaml')} (handshake@1.0.0, 2 tasks)`,
      ],
    });
  });

  it('prints warnings, prefixed, without failing', async () => {
    const file = invalid('unreachable-after-final.yaml');
    const result = await validateFiles([file], TYPES);
    expect(result.exitCode).toBe(0);
    expect(result.lines).toEqual([
      `${file}:8:9: warning: task 'never' is unreachable: it follows 'done', which is final, and no reachable task jumps to it (at tasks[1].id)`,
      `ok ${file} (unreachable-after-final@1.0.0, 2 tasks)`,
    ]);
  });

  it('fails with no files', async () => {
    expect(await validateFiles([], TYPES)).toEqual({ exitCode: 1, lines: ['no definition files given'] });
  });
});

describe('graphFile', () => {
  it('resolves to the Mermaid text', async () => {
    expect(await graphFile(valid('loop.yaml'), TYPES)).toMatch(/^flowchart TD\n/);
  });

  it('throws the diagnostics of a definition that does not compile', async () => {
    await expect(graphFile(invalid('dangling-next.yaml'), TYPES)).rejects.toThrow(DefinitionError);
    await expect(graphFile(invalid('dangling-next.yaml'), TYPES)).rejects.toThrow(
      /7:25: on_success.next names no task 'finsh'/,
    );
  });
});

describe('schemaText', () => {
  it('is the JSON Schema, as JSON', () => {
    expect(JSON.parse(schemaText(TYPES))).toMatchObject({ title: 'Flowstate workflow definition' });
  });
});
