/** Every CLI command's --help says what it does and shows at least one example. */
import { buildProgram } from '../../src/cli/index';

test('--help of every command has a description and an example', () => {
  const program = buildProgram();
  const missing: string[] = [];
  for (const command of program.commands) {
    let text = '';
    command.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
    command.outputHelp();
    if (!command.description() || !/Examples?:\n\s+\$ (\w+=\S+ )*flowstate /.test(text))
      missing.push(command.name());
  }
  // DESIGN.md section 6
  const names = program.commands.map((c) => c.name());
  for (const name of [
    'server',
    'worker',
    'validate',
    'run',
    'status',
    'approve',
    'reject',
    'signal',
    'result',
    'cancel',
    'redrive',
    'list',
    'graph',
    'history',
  ]) {
    expect(names).toContain(name);
  }
  expect(missing).toEqual([]);
});
