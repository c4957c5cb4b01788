/**
 * CLI commands task types contribute to `flowstate`: one entry per type that has any, registering its
 * commands on the program. The modules listed import only commander's types and light names (no zod
 * schemas, no orchestrator code), so the CLI loads this list at startup; a command talks to runs
 * through the `TaskTypeCli` it is given.
 */
import type { Command } from 'commander';
import { registerSpecSessionCommands } from './spec-session/cli';

/** What the CLI lends a task type's commands. */
export interface TaskTypeCli {
  /** A query of a run (a view a waiting task publishes); arguments index into the view. */
  query(workflowId: string, name: string, ...args: string[]): Promise<unknown>;
  /** An update of a run; resolves to the task's reply, rejects (exit 1) with the reason it was refused. */
  update(workflowId: string, name: string, payload: unknown): Promise<unknown>;
  /** Print on stdout. */
  print(text: string): void;
  /** JSON from the command line; invalid JSON ends the command with exit 1, naming `what`. */
  parseJson(text: string, what: string): unknown;
}

/** Registers a task type's commands on the `flowstate` program. */
export type TaskTypeCommands = (program: Command, cli: TaskTypeCli) => void;

/** Every task type's commands, in the order `flowstate --help` lists them. */
export const taskTypeCommands: readonly TaskTypeCommands[] = [registerSpecSessionCommands];
