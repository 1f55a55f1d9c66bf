import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', 'plugin/**', '**/coverage/**', 'dashboards/generated/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
  {
    // Functions passed to page.evaluate run in the browser.
    files: ['e2e/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    rules: { '@typescript-eslint/no-unused-vars': ['error', { varsIgnorePattern: '^_' }] },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': 'off',
    },
  },
  {
    // Only src/aws/ talks to AWS; nothing in src/ reaches into the simulator.
    files: ['exporter/src/**/*.ts'],
    ignores: ['exporter/src/aws/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@aws-sdk/*', '@smithy/*'], message: 'Only exporter/src/aws/ may import the AWS SDK.' },
            {
              group: ['**/simulator/**', '**/simulator'],
              message: 'Production code never imports the simulator.',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests read JSON answers whose shape they assert; typing every body would only restate the assertions.
    files: ['**/test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Configuration is parsed once, in src/config/load.ts; nothing else reads the environment.
    files: ['exporter/src/**/*.ts'],
    ignores: ['exporter/src/config/load.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through src/config/load.ts.' },
      ],
    },
  },
  {
    files: ['exporter/src/aws/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/simulator/**', '**/simulator'],
              message: 'Production code never imports the simulator.',
            },
          ],
        },
      ],
    },
  },
);
