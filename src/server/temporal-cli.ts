/** Finds (building once if needed) the Temporal CLI through `scripts/temporal-cli.sh`. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The package's folder: the nearest one above this file with a package.json (from src/ and dist/src/). */
function packageRoot(dir = __dirname): string {
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

const SCRIPT = path.join(packageRoot(), 'scripts/temporal-cli.sh');

/** Path of the Temporal CLI; the build's progress goes to stderr. Rejects with the script's message. */
export function ensureTemporalCli(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [SCRIPT], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => {
      err += d;
      process.stderr.write(d);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0 && out.trim()) resolve(out.trim().split('\n').pop()!);
      else reject(new Error(lastLine(err) || `scripts/temporal-cli.sh exited with ${code}`));
    });
  });
}

function lastLine(text: string): string {
  const lines = text
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('flowstate:'));
  return (lines.pop() ?? text.trim().split('\n').pop() ?? '').replace(/^flowstate: /, '');
}
