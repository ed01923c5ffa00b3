// A handful of rules that catch real bugs, type-aware: a promise nobody awaits (a lost database write, an
// activity that never ran), names left unused, `any` in production code, and Node built-ins in workflow code
// (the workflow sandbox has none, and they would break determinism); in the workspace, React's hook rules.
// Formatting is Prettier's business (prettier.config.js).
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const TESTS_AND_TOOLS = ['**/*.test.ts', 'test/**', 'bench/**', 'scripts/**', '**/testSupport.ts'];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'generated/**',
      'web/dist/**',
      '.data/**',
      '.tools/**',
      'test-results/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: {
        projectService: { allowDefaultProject: ['vitest.config.ts', 'web/vite.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrors: 'none',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  { files: TESTS_AND_TOOLS, rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  // The workspace: hooks called in a fixed order, and effects that list what they read.
  {
    files: ['web/src/**/*.tsx', 'web/src/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: ['workflows/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'crypto', 'os', 'child_process', 'http', 'https', 'net'],
              message: 'workflow code runs in the deterministic sandbox: no Node built-ins',
            },
          ],
        },
      ],
    },
  },
);
