/**
 * What every Jest project of Flowstate shares (jest.config.js, jest.cluster.config.js): TypeScript
 * through swc, Node's environment.
 */
const transform = { '^.+\\.(t|j)s$': ['@swc/jest', { jsc: { target: 'es2022' } }] };
// jose (verified deciders) is ESM only: transformed like our own code, so tests can sign tokens with it.
const transformIgnorePatterns = ['/node_modules/(?!jose/)'];

module.exports = {
  transform,
  transformIgnorePatterns,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
};
