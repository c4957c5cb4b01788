/**
 * Whether a worker may run a prebuilt workflow bundle: the decision from its manifest and the inputs
 * read again now (src/bundle-manifest.ts).
 */
import { bundleStaleness, manifestOf, packageOf } from '../../src/bundle-manifest';

const built = manifestOf(
  {
    'src/workflows/walker.ts': 'aaaa',
    'src/workflows/api.ts': 'bbbb',
    'pkg:@temporalio/workflow': '1.24.0',
  },
  [],
);

test('a bundle whose inputs are all unchanged is used', () => {
  expect(bundleStaleness(built, { ...built.inputs }, [])).toEqual({ stale: false, shipped: false });
});

test('an edited source file makes it stale, and the reason names the file', () => {
  const now = { ...built.inputs, 'src/workflows/walker.ts': 'cccc' };
  expect(bundleStaleness(built, now, [])).toEqual({
    stale: true,
    reason: 'src/workflows/walker.ts changed since it was built',
  });
});

test('a removed source file or another package version makes it stale', () => {
  const gone = { ...built.inputs, 'src/workflows/api.ts': undefined };
  expect(bundleStaleness(built, gone, [])).toMatchObject({
    stale: true,
    reason: expect.stringContaining('src/workflows/api.ts is gone'),
  });
  const upgraded = { ...built.inputs, 'pkg:@temporalio/workflow': '1.25.0' };
  expect(bundleStaleness(built, upgraded, [])).toMatchObject({
    stale: true,
    reason: expect.stringContaining('@temporalio/workflow 1.24.0 → 1.25.0'),
  });
});

test('an installed package (no source files at all) runs the bundle it ships', () => {
  const installed = {
    'src/workflows/walker.ts': undefined,
    'src/workflows/api.ts': undefined,
    'pkg:@temporalio/workflow': '1.24.0',
  };
  expect(bundleStaleness(built, installed, [])).toEqual({ stale: false, shipped: true });
});

test('other interceptor modules (tracing) or no bundle at all: rebuild', () => {
  expect(bundleStaleness(built, { ...built.inputs }, ['node_modules/tracing/workflow.js'])).toMatchObject({
    stale: true,
    reason: expect.stringContaining('other workflow interceptor modules'),
  });
  expect(bundleStaleness(undefined, {}, [])).toEqual({ stale: true, reason: 'there is no prebuilt bundle' });
});

test('a bundle built with other bundler options (an older Flowstate) is rebuilt', () => {
  const older = manifestOf({ ...built.inputs }, [], 'flowstate-0');
  expect(bundleStaleness(older, { ...built.inputs }, [])).toMatchObject({
    stale: true,
    reason: expect.stringContaining("it was built as 'flowstate-0'"),
  });
});

test('many changes are summed up after three', () => {
  const m = manifestOf(Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((f) => [`src/${f}.ts`, '1'])), []);
  const now = Object.fromEntries(Object.keys(m.inputs).map((k) => [k, '2']));
  expect(bundleStaleness(m, now, [])).toMatchObject({
    reason: expect.stringContaining('and 2 more since it was built'),
  });
});

test('the manifest hash depends on the inputs, not their order', () => {
  const a = manifestOf({ x: '1', y: '2' }, []);
  expect(manifestOf({ y: '2', x: '1' }, []).hash).toBe(a.hash);
  expect(manifestOf({ x: '1', y: '3' }, []).hash).not.toBe(a.hash);
});

test('files in node_modules are counted by package', () => {
  expect(packageOf('/p/node_modules/zod/v4/core/core.js')).toBe('zod');
  expect(packageOf('/p/node_modules/@temporalio/workflow/lib/index.js')).toBe('@temporalio/workflow');
  expect(packageOf('/p/src/workflows/walker.ts')).toBeUndefined();
});
