/**
 * The layering of src/, written as rules and checked by `npm test` (test/unit/layering.test.ts) and
 * `npm run lint:deps`. docs/architecture.md draws the same picture. Type-only imports count: a type
 * that two layers share belongs in src/contract.
 */
const folder = (name) => `^src/${name}/`;
const otherThan = (...names) => `^src/(?!(?:${names.join('|')})/)`;

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycle between files.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'contract-is-a-leaf',
      severity: 'error',
      comment: 'src/contract is the shared vocabulary: it imports nothing of the project.',
      from: { path: folder('contract') },
      to: { path: otherThan('contract') },
    },
    {
      name: 'workflows-are-deterministic',
      severity: 'error',
      comment:
        'Workflow code is replayed: it imports only @temporalio/workflow, src/contract and its own files ' +
        '(CONTRIBUTING.md).',
      from: { path: folder('workflows') },
      to: {
        path: otherThan('workflows', 'contract'),
        pathNot: '^node_modules/@temporalio/(workflow|common)/',
      },
    },
    {
      name: 'workflows-import-no-packages',
      severity: 'error',
      comment:
        "The workflow bundle holds only the workflow SDK, and zod for the decide update's validator " +
        '(its messages are what clients see; moving it out of the bundle is a speed item).',
      from: { path: folder('workflows') },
      to: { path: '^node_modules/', pathNot: '^node_modules/(@temporalio/(workflow|common)|zod)/' },
    },
    {
      name: 'orchestrators-below-the-walk',
      severity: 'error',
      comment:
        'Task types see the contract (and expressions, sources), never the interpreter, the DSL or the ' +
        'activities that call them.',
      from: { path: folder('orchestrators') },
      to: { path: '^src/(workflows|dsl|activities|client|testkit|server|worker)' },
    },
    {
      name: 'dsl-knows-no-type',
      severity: 'error',
      comment: 'The DSL is handed the registry of task types; it never imports them.',
      from: { path: folder('dsl') },
      to: { path: '^src/(orchestrators|activities|workflows|client|testkit|server|worker)' },
    },
    {
      name: 'expressions-are-low',
      severity: 'error',
      comment: 'Expressions depend on the contract only.',
      from: { path: folder('expressions') },
      to: { path: otherThan('expressions', 'contract') },
    },
    {
      name: 'cli-is-the-top',
      severity: 'error',
      comment: 'Nothing imports the CLI: it is the top layer, above the client API and the test kit.',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'testkit-below-the-cli-only',
      severity: 'error',
      comment: 'Only the CLI imports the test kit.',
      from: { path: '^src/', pathNot: '^src/(cli|testkit)/' },
      to: { path: '^src/testkit/' },
    },
    {
      name: 'client-above-the-library',
      severity: 'error',
      comment: 'The library folders do not reach up into the client API.',
      from: { path: '^src/', pathNot: '^src/((cli|testkit|client|console/server)/|index\\.ts$)' },
      to: { path: '^src/client/' },
    },
    {
      name: 'console-page-is-a-page',
      severity: 'error',
      comment:
        "The console's page runs in the browser: it imports its own files and the contract's types, never " +
        'workflow, worker, client or server code (it talks to the console server over HTTP).',
      from: { path: folder('console/web') },
      to: { path: otherThan('console/web', 'contract') },
    },
    {
      name: 'console-server-below-the-cli',
      severity: 'error',
      comment: "Only the CLI (and npm start's script) starts the console's server.",
      from: { path: '^src/', pathNot: '^src/(cli|console)/' },
      to: { path: '^src/console/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.d\\.ts$' },
  },
};
