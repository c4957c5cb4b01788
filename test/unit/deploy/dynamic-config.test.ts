/**
 * The compose stack's Temporal dynamic config and the embedded dev server's (src/server/dynamic-config.ts)
 * agree: the values that suit a real cluster are in both, with the same value; the embedded-only ones
 * stay out of the cluster's file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  CLUSTER_DYNAMIC_CONFIG,
  DEV_SERVER_DYNAMIC_CONFIG,
  EMBEDDED_ONLY_DYNAMIC_CONFIG,
} from '../../../src/server/dynamic-config';

const FILE = path.resolve(__dirname, '../../../deploy/temporal/dynamicconfig/flowstate.yaml');
type Entry = Array<{ value: unknown; constraints?: Record<string, unknown> }>;
const compose = parse(fs.readFileSync(FILE, 'utf8')) as Record<string, Entry>;

test('every cluster value of the dev server is in the compose dynamic config, unconstrained, with the same value', () => {
  for (const [key, value] of Object.entries(CLUSTER_DYNAMIC_CONFIG)) {
    expect({ key, entries: compose[key] }).toEqual({ key, entries: [{ value, constraints: {} }] });
  }
});

test('a key in both files has the same value in both', () => {
  const shared = Object.keys(compose).filter((key) => key in DEV_SERVER_DYNAMIC_CONFIG);
  expect(shared.sort()).toEqual(Object.keys(CLUSTER_DYNAMIC_CONFIG).sort());
  for (const key of shared)
    expect({ key, value: compose[key][0].value }).toEqual({ key, value: DEV_SERVER_DYNAMIC_CONFIG[key] });
});

test('the embedded-only values stay out of the cluster', () => {
  for (const key of Object.keys(EMBEDDED_ONLY_DYNAMIC_CONFIG)) expect(compose).not.toHaveProperty([key]);
});
