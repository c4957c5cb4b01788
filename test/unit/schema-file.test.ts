/** The committed flowstate.schema.json (which the example definitions point editors at) matches the code. */
import fs from 'node:fs';
import path from 'node:path';
import { schemaText } from '../../src/dsl/commands';
import { builtinTaskTypes } from '../../src/orchestrators/registry';

test('flowstate.schema.json is current (regenerate with: npx flowstate schema > flowstate.schema.json)', () => {
  const committed = fs.readFileSync(path.resolve(__dirname, '../../flowstate.schema.json'), 'utf8');
  expect(committed.trim()).toBe(schemaText(builtinTaskTypes()).trim());
});
