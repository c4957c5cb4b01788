/** The commands task types contribute (src/orchestrators/cli-commands.ts), given the CLI's client and output. */
import type { Command } from 'commander';
import { taskTypeCommands, type TaskTypeCli } from '../../orchestrators/cli-commands';
import { out } from '../output';
import { parseJson } from './args';
import { withClient } from './client';

const cli: TaskTypeCli = {
  query: (workflowId, name, ...args) => withClient((client) => client.query(workflowId, name, ...args)),
  update: (workflowId, name, payload) => withClient((client) => client.update(workflowId, name, payload)),
  print: out,
  parseJson,
};

/** Register every task type's commands. */
export function taskTypesCommands(program: Command): void {
  for (const register of taskTypeCommands) register(program, cli);
}
