/**
 * Real-server registry tests (docker-registry, and oras for interop). Run from the repo root:
 *   npx jest -c test/registry/jest.config.js
 * @type {import('jest').Config}
 */
module.exports = {
  rootDir: '../..',
  displayName: 'registry',
  testMatch: ['<rootDir>/test/registry/**/*.test.ts'],
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  // The first run may install docker-registry or build oras inside beforeAll.
  testTimeout: 60_000,
};
