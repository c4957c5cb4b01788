/**
 * How every CLI command prints and ends: results on stdout (text or JSON), notes and errors as lines on
 * stderr, and the exit codes of DESIGN.md section 6: 0 success, 1 the workflow failed or input was
 * invalid, 2 usage or connection error. Light on purpose (commander only): the mapping of the other
 * errors is ./exit-codes.ts, which the CLI loads when a command fails.
 */
import { CommanderError } from 'commander';

/** An error with the exit code it ends the CLI with and one clear line. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}

/** Print a result on stdout (a final newline added when missing). */
export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Print a value as indented JSON on stdout. */
export function outJson(value: unknown): void {
  out(JSON.stringify(value, null, 2));
}

/** Print a line for the human on stderr (progress, "no runs"), keeping stdout for results. */
export function note(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** Exit code and line of the errors the CLI raises itself (usage, commander's own); undefined for others. */
export function usageExitCode(e: unknown): { code: number; message: string } | undefined {
  if (e instanceof CliError) return { code: e.exitCode, message: e.message };
  if (e instanceof CommanderError) return { code: e.exitCode === 0 ? 0 : 2, message: '' };
  return undefined;
}
