/** Definitions for tests: the examples in `definitions/`, or YAML written inline in a test. */
import path from 'node:path';
import { compileOrThrow } from '../../src/dsl/loader';
import { loadFile } from '../../src/client/definitions';
import type { CompiledDefinition } from '../../src/contract/compiled';
import type { TaskTypeRegistry } from '../../src/contract/registry';
import { builtinTaskTypes } from '../../src/orchestrators/registry';

const DEFINITIONS = path.resolve(__dirname, '../../definitions');

/** Compile `definitions/<name>.yaml` (throws with every file:line:col error). */
export function loadExample(name: string): Promise<CompiledDefinition> {
  return loadFile(path.join(DEFINITIONS, `${name}.yaml`));
}

/** Compile YAML written in a test (tasks of `types`: default the built-ins); errors name the test file. */
export function compileYaml(
  text: string,
  file = 'inline.yaml',
  types: TaskTypeRegistry = builtinTaskTypes(),
): CompiledDefinition {
  return compileOrThrow(text, file, types);
}
