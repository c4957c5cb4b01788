/**
 * Reading the commands out of a doc: what the docs-run test (test/integration/docs-run.test.ts) runs
 * and which flags it checks against `--help` depend on it.
 */
import {
  extractCommands,
  flagRefs,
  helpCommands,
  helpFlags,
  placeholders,
  shellWords,
  stripComment,
} from '../harness/doc-commands';

const doc = [
  '# Title',
  '',
  'Run `flowstate list --status running` or `flowstate test <files...>` (`--filter <text>`).',
  '',
  '```bash',
  '$ npx flowstate run definitions/hello.yaml --input \'{"name":"Ada # not a comment"}\' --wait   # prints the result',
  '# a comment line',
  '',
  'FOO=bar BAZ="a b" npx flowstate status <workflow-id>',
  'oras push localhost:5000/x:1 \\',
  '  --annotation hash=<sha256 hex> \\',
  '  x.yaml',
  'export KEY=$(openssl rand -base64 32)',
  'flowstate worker &',
  '```',
  '',
  '```yaml',
  'id: not-a-command',
  '```',
  '',
  '````markdown',
  '```bash',
  'not run: inside a markdown example',
  '```',
  '````',
  '~~~sh',
  'npm test',
  '~~~',
].join('\n');

test('fenced bash/sh blocks give one command per logical line, with file, line and block', () => {
  const commands = extractCommands('doc.md', doc);
  expect(commands.map((c) => [c.line, c.block, c.kind, c.text])).toEqual([
    [
      6,
      5,
      'command',
      'npx flowstate run definitions/hello.yaml --input \'{"name":"Ada # not a comment"}\' --wait',
    ],
    [9, 5, 'command', 'FOO=bar BAZ="a b" npx flowstate status <workflow-id>'],
    [10, 5, 'command', 'oras push localhost:5000/x:1 --annotation hash=<sha256 hex> x.yaml'],
    [13, 5, 'export', 'export KEY=$(openssl rand -base64 32)'],
    [14, 5, 'command', 'flowstate worker &'],
    [27, 26, 'command', 'npm test'],
  ]);
});

test('leading assignments become env; words lose their quotes; `&` marks a background command', () => {
  const [run, status, oras, , worker] = extractCommands('doc.md', doc);
  expect(run!.words).toEqual([
    'npx',
    'flowstate',
    'run',
    'definitions/hello.yaml',
    '--input',
    '{"name":"Ada # not a comment"}',
    '--wait',
  ]);
  expect(status!.env).toEqual({ FOO: 'bar', BAZ: 'a b' });
  expect(status!.words).toEqual(['npx', 'flowstate', 'status', '<workflow-id>']);
  expect(oras!.words).toContain('hash=<sha256 hex>');
  expect(worker).toMatchObject({ background: true, words: ['flowstate', 'worker'] });
});

test('shell words keep $(...) and placeholders whole; comments are cut outside quotes only', () => {
  expect(shellWords('a "b c" \'d\'e $(x y) <some id> f\\ g')).toEqual([
    'a',
    'b c',
    'de',
    '$(x y)',
    '<some id>',
    'f g',
  ]);
  expect(stripComment('run "x # y" # z')).toBe('run "x # y"');
  expect(stripComment('echo a#b')).toBe('echo a#b');
  expect(placeholders('status <workflow-id> > out.txt <sha256 hex>')).toEqual(['workflow-id', 'sha256 hex']);
});

test('flag references come from commands and from inline code, lone flags joining their command', () => {
  const refs = flagRefs('doc.md', doc).map((r) => [r.line, r.command, r.flags]);
  expect(refs).toEqual([
    [6, 'run', ['--input', '--wait']],
    [9, 'status', []],
    [14, 'worker', []],
    [3, 'list', ['--status']],
    [3, 'test', []],
    [3, 'test', ['--filter']],
  ]);
});

test('help output gives the flags under Options and the commands under Commands', () => {
  const help = [
    'Usage: flowstate run [options] <definition>',
    '',
    'Options:',
    '  --input <json>       workflow input as JSON',
    '  -h, --help           display help for command',
    '',
    'Examples:',
    '  $ flowstate run x --not-an-option',
  ].join('\n');
  expect([...helpFlags(help)]).toEqual(['--input', '-h', '--help']);
  const top = [
    'Options:',
    '  -V, --version  v',
    '',
    'Commands:',
    '  server [options]  s',
    '  run <d>  r',
    '',
    'Connection: x',
  ].join('\n');
  expect([...helpCommands(top)]).toEqual(['server', 'run']);
});
