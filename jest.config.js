/** @type {import('jest').Config} */
const common = require('./jest.common');

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...common, displayName: 'replay', testMatch: ['<rootDir>/test/replay/**/*.test.ts'] },
    // Hostile input (issue 18): processes of their own, no server.
    // Real docker-registry (Debian package) and oras, installed by scripts/ensure-*.sh when missing.
    {
      ...common,
      displayName: 'registry',
      testMatch: ['<rootDir>/test/registry/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/harness/jest-integration-setup.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/harness/global-setup.ts',
      globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/harness/jest-integration-setup.ts'],
    },
    // Hostile input (issue 18): bombs against a worker run as a child process on the real server.
    {
      ...common,
      displayName: 'hostile',
      testMatch: ['<rootDir>/test/hostile/**/*.test.ts'],
      globalSetup: '<rootDir>/test/harness/global-setup.ts',
      globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/harness/jest-integration-setup.ts'],
    },
  ],
};
