/**
 * `npm run test:cluster` (scripts/cluster/test.sh): Flowstate on a PostgreSQL-backed Temporal
 * cluster whose services run as separate processes (scripts/cluster). Not part of `npm test`: the
 * default config (jest.config.js) does not list these projects.
 * @type {import('jest').Config}
 */
const common = require('./jest.common');

// Integration test files left out on the cluster, and why: most start (and some restart) a Temporal
// dev server of its own, or pack the package; one depends on a dev-server-only timer setting.
const NOT_ON_CLUSTER = {
  'retry-interval.test.ts':
    'asserts retry gaps under 900 ms, which need the dev server-only timer shift (history.timerProcessorMaxTimeShift 10ms); the cluster keeps 1 s, so gaps measured 1,002-1,006 ms (docs/operations.md)',
  'durability.test.ts':
    'restarts a dev server of its own on a SQLite file (test/cluster/ restarts the cluster instead)',
  'web-ui.test.ts': 'starts a dev server of its own with the Web UI',
  'flowstate-server.test.ts': '`flowstate server` starts a dev server of its own',
  'start-env.test.ts': '`flowstate server` / `npm start` start a dev server of their own',
  'installed-package.test.ts':
    '`npm pack` and an install into a new project (the user path; no server difference)',
  'docs-run.test.ts':
    'runs the docs in a scratch copy of the project (`npm pack`-like; no server difference)',
};

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'cluster-integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      testPathIgnorePatterns: Object.keys(NOT_ON_CLUSTER).map(
        (f) => `/test/integration/${f.replace('.', '\\.')}$`,
      ),
      globalSetup: '<rootDir>/test/cluster/global-setup.ts',
      globalTeardown: '<rootDir>/test/cluster/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/cluster/jest-setup.ts'],
    },
    // Faults and load: each file starts a cluster of its own (it restarts its pieces).
    {
      ...common,
      displayName: 'cluster',
      testMatch: ['<rootDir>/test/cluster/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/cluster/jest-setup.ts'],
    },
  ],
};
