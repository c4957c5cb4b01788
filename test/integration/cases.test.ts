/**
 * Every cases file in definitions/ (`flowstate test definitions/*.cases.yaml`) runs here, one Jest
 * test per case, on the harness's dev server and workflow bundle (FLOWSTATE_TEST_ADDRESS and
 * FLOWSTATE_TEST_BUNDLE, which `describeCases` reads).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describeCases } from '../../src/testkit';
import { loadExample } from '../harness/definitions';
import { exampleNames } from '../../src/client/definitions';

const DEFINITIONS = path.resolve(__dirname, '../../definitions');
const files = fs
  .readdirSync(DEFINITIONS)
  .filter((f) => f.endsWith('.cases.yaml'))
  .sort();

test('every example in definitions/ has a cases file', async () => {
  const examples = exampleNames(DEFINITIONS);
  expect(
    examples
      .filter((e) => !files.includes(`${e}.cases.yaml`))
      .map((e) => `definitions/${e}.yaml has no ${e}.cases.yaml`),
  ).toEqual([]);
  // The examples whose only integration test is their cases file (examples.test.ts looks for these).
  const own = await Promise.all([
    loadExample('document-approval-escalation'),
    loadExample('etl-paged'),
    loadExample('map-reduce'),
    loadExample('scheduled-report'),
  ]);
  expect(own.map((d) => d.id)).toEqual([
    'document-approval-escalation',
    'etl-paged',
    'map-reduce',
    'scheduled-report',
  ]);
});

for (const file of files) describeCases(path.join(DEFINITIONS, file), { name: `definitions/${file}` });
