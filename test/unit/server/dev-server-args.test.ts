/** The dev server's command line: every user of startDevServer gets the pace of src/server/dynamic-config.ts. */
import { devServerArgs, SQLITE_PRAGMAS } from '../../../src/server/dev-server';
import {
  CLUSTER_DYNAMIC_CONFIG,
  DEV_SERVER_DYNAMIC_CONFIG,
  EMBEDDED_ONLY_DYNAMIC_CONFIG,
  dynamicConfigFlags,
} from '../../../src/server/dynamic-config';
import { SEARCH_ATTRIBUTES } from '../../../src/workflows/api';

const base = {
  port: 7233,
  namespace: 'default',
  searchAttributes: false,
  dynamicConfig: DEV_SERVER_DYNAMIC_CONFIG,
};

/** The values of every `--dynamic-config-value` flag, as the CLI reads them (KEY=JSON). */
function dynamicConfigOf(args: string[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  args.forEach((arg, i) => {
    if (arg !== '--dynamic-config-value') return;
    const [, key, json] = /^([\w.]+)=(.*)$/.exec(args[i + 1])!;
    values[key] = JSON.parse(json);
  });
  return values;
}

test('the default dynamic config is the cluster values plus the embedded-only ones, with no key in both', () => {
  expect(DEV_SERVER_DYNAMIC_CONFIG).toEqual({ ...CLUSTER_DYNAMIC_CONFIG, ...EMBEDDED_ONLY_DYNAMIC_CONFIG });
  const shared = Object.keys(CLUSTER_DYNAMIC_CONFIG).filter((k) => k in EMBEDDED_ONLY_DYNAMIC_CONFIG);
  expect(shared).toEqual([]);
  expect(DEV_SERVER_DYNAMIC_CONFIG).toMatchObject({
    'history.transferProcessorMaxPollRPS': expect.any(Number),
    'history.timerProcessorMaxPollRPS': expect.any(Number),
    'history.timerProcessorMaxTimeShift': expect.stringMatching(/^\d+ms$/),
  });
});

test('the argument list carries every dynamic config value as a --dynamic-config-value flag', () => {
  const args = devServerArgs(base);
  expect(dynamicConfigOf(args)).toEqual(DEV_SERVER_DYNAMIC_CONFIG);
  expect(args.slice(0, 2)).toEqual(['server', 'start-dev']);
});

test('flags are KEY=JSON: numbers bare, durations and strings quoted, booleans bare', () => {
  expect(dynamicConfigFlags({ 'a.rps': 10, 'b.shift': '10ms', 'c.on': true })).toEqual([
    '--dynamic-config-value',
    'a.rps=10',
    '--dynamic-config-value',
    'b.shift="10ms"',
    '--dynamic-config-value',
    'c.on=true',
  ]);
});

test('a dynamicConfig given replaces the default one (the bench compares against other values)', () => {
  expect(dynamicConfigOf(devServerArgs({ ...base, dynamicConfig: {} }))).toEqual({});
  expect(dynamicConfigOf(devServerArgs({ ...base, dynamicConfig: { 'x.y': 1 } }))).toEqual({ 'x.y': 1 });
});

test("a database file gets SQLite's write-ahead log; a server in memory gets no pragma", () => {
  const pragmas = (args: string[]) => args.flatMap((a, i) => (a === '--sqlite-pragma' ? [args[i + 1]] : []));
  expect(pragmas(devServerArgs({ ...base, dbFile: '/tmp/t.db' }))).toEqual([
    'journal_mode=wal',
    'synchronous=normal',
  ]);
  expect(pragmas(devServerArgs(base))).toEqual([]);
  expect(Object.keys(SQLITE_PRAGMAS)).toEqual(['journal_mode', 'synchronous']);
});

test('ports, namespace, UI, database file and search attributes', () => {
  const headless = devServerArgs(base);
  expect(headless).toEqual(
    expect.arrayContaining(['--ip', '127.0.0.1', '--port', '7233', '--namespace', 'default', '--headless']),
  );
  expect(headless).not.toContain('--search-attribute');
  expect(headless).not.toContain('--db-filename');
  const full = devServerArgs({ ...base, uiPort: 8233, dbFile: '/tmp/t.db', searchAttributes: true });
  expect(full).not.toContain('--headless');
  expect(full.join(' ')).toContain('--ui-port 8233');
  expect(full.join(' ')).toContain('--db-filename /tmp/t.db');
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES))
    expect(full.join(' ')).toContain(`--search-attribute ${name}=${type}`);
});
