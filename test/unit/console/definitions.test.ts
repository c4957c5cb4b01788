import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { definitionGraph } from '../../../src/console/server/definitions';
import { builtinTaskTypes } from '../../../src/orchestrators/registry';

test("the console's definition graph reads the registry only, never a file the id and version spell", async () => {
  // `/api/definitions/:id/:version/graph` decodes both: together they can spell a path on this disk.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-console-defs-'));
  fs.mkdirSync(path.join(dir, 'sub@x'));
  fs.writeFileSync(
    path.join(dir, 'outside.yaml'),
    'id: outside\nversion: 1.0.0\ntasks:\n  - { id: a, tool: echo, with: { v: 1 } }\n',
  );
  expect(fs.existsSync(`${dir}/sub@x/../outside.yaml`)).toBe(true);
  await expect(definitionGraph(`${dir}/sub`, 'x/../outside.yaml', builtinTaskTypes())).rejects.toThrow(
    /invalid definition ref/,
  );
});
