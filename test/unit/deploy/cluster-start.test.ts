import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lastFatal, lowPortRange } from '../../../scripts/cluster/cluster';
import { unreachableAncestor } from '../../../scripts/cluster/postgres';

describe('cluster start: ports and failure reasons', () => {
  test('service ports are drawn below the kernel ephemeral range, and below 32768 (a smallint)', () => {
    expect(lowPortRange('32768\t60999\n')).toEqual([20_000, 32_768]);
    expect(lowPortRange('28000 60999')).toEqual([20_000, 28_000]);
    // No room below the ephemeral range: the whole smallint-safe range (start retries cover collisions).
    expect(lowPortRange('1024 65535')).toEqual([20_000, 32_768]);
    expect(lowPortRange(undefined)).toEqual([20_000, 32_768]);
  });

  test("a service that exits says why, from its log's last fatal line", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-lastfatal-'));
    const file = path.join(dir, 'history.log');
    fs.writeFileSync(
      file,
      [
        '{"level":"warn","msg":"slow"}',
        '{"level":"error","msg":"an error","error":"e1"}',
        '{"level":"fatal","msg":"Failed to start service","error":"listen tcp 127.0.0.1:21000: bind: address already in use"}',
        '',
      ].join('\n'),
    );
    expect(lastFatal(file)).toBe(
      'Failed to start service: listen tcp 127.0.0.1:21000: bind: address already in use',
    );
    fs.writeFileSync(file, '{"level":"error","msg":"no database","error":"dial tcp: refused"}\n');
    expect(lastFatal(file)).toBe('no database: dial tcp: refused');
    expect(lastFatal(path.join(dir, 'missing.log'))).toBeUndefined();
  });

  test('a cluster folder under a folder others cannot pass through is named before initdb runs', () => {
    const top = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-reach-'));
    fs.chmodSync(top, 0o755);
    const closed = path.join(top, 'closed');
    const cluster = path.join(closed, 'inner', 'flowstate-cluster-x');
    fs.mkdirSync(cluster, { recursive: true });
    fs.chmodSync(closed, 0o700);
    expect(unreachableAncestor(cluster)).toEqual({ folder: closed, mode: '0700' });
    // What scripts/jest-scratch.mjs gives its scratch folder: others may pass, not list.
    fs.chmodSync(closed, 0o711);
    fs.chmodSync(path.join(closed, 'inner'), 0o711);
    // Now only the machine's folders above the test's own can be in the way, as they are for `top`.
    expect(unreachableAncestor(cluster)).toEqual(unreachableAncestor(path.join(top, 'x')));
  });
});
