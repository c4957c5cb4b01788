// ESLint (flat config) with typescript-eslint. Workflow code gets extra rules: it is replayed, so it
// may not reach Node built-ins, randomness outside Temporal's, or activity code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import globals from 'globals';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'coverage/**', 'test/histories/**', 'bin/**', '.flowstate/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['**/*.js', '**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: globals.node } },
  { files: ['**/*.mjs'], languageOptions: { globals: globals.node } },
  // The console's page runs in the browser.
  { files: ['src/console/web/**/*.{ts,tsx}'], languageOptions: { globals: globals.browser } },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: [
      'src/workflows/**/*.ts',
      'src/replay/task-check-interceptor.ts',
      'src/observability/workflow-interceptors.ts',
      'src/observability/gate-clock.ts',
      'src/observability/metric-names.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'workflow code is replayed in a sandbox: no Node built-ins',
          })),
          patterns: [
            {
              group: [
                '**/activities',
                '**/activities/**',
                '**/orchestrators/*/index',
                '**/orchestrators/factory',
                '**/worker',
                '**/client/**',
                '**/server/**',
              ],
              message: 'workflow code may import activity-side code only as types (import type)',
              allowTypeImports: true,
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Math',
          property: 'random',
          message: 'use uuid4() from @temporalio/workflow: replay needs the same values',
        },
        { object: 'process', message: 'workflow code may not read the process environment' },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'use sleep() or condition() from @temporalio/workflow' },
        { name: 'setInterval', message: 'use sleep() from @temporalio/workflow' },
        { name: 'process', message: 'workflow code may not read the process environment' },
        { name: 'require', message: 'workflow code is bundled: use import' },
      ],
    },
  },
);
