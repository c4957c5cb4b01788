/** Finds (building once if needed) the Temporal CLI through `scripts/temporal-cli.sh`. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { packageRoot } from './package-root';

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
