/** JSON given on the command line (`--input`, `--input-file`, `--payload`): invalid JSON exits 1. */
import fs from 'node:fs';
import { CliError } from '../output';

/** Parse JSON; invalid JSON is a `CliError` (exit 1) naming `what` and showing the start of the text. */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(`${what} is not valid JSON (${(e as Error).message}): ${text.slice(0, 80)}`, 1);
  }
}

/** A run's input from `--input-file` (first) or `--input`; `{}` when neither is given. */
export function runInput(o: { input?: string; inputFile?: string }): unknown {
  if (o.inputFile) {
    // Required here, not imported: the DSL (yaml, zod) is not loaded by commands that never read a file.
    const { decodeUtf8 } = require('../../dsl/source') as typeof import('../../dsl/source');
    const decoded = decodeUtf8(fs.readFileSync(o.inputFile));
    if (!decoded.ok) {
      const { line, col, message } = decoded.problem;
      throw new CliError(`${o.inputFile}:${line}:${col}: ${message}`, 1);
    }
    return parseJson(decoded.text, `--input-file ${o.inputFile}`);
  }
  return o.input !== undefined ? parseJson(o.input, '--input') : {};
}
