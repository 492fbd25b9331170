import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'tests/.build/**', '.reports/**', 'test-results/**', 'playwright-report/**', '.threadline-data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      // STYLE.md: no TypeScript enums, no `export *` from a package surface.
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use a string-literal union or an `as const` object (STYLE.md 7).' },
        { selector: 'ExportAllDeclaration[exported=null]', message: 'List public names explicitly (STYLE.md 2).' },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['debug', 'warn', 'error'] }],
    },
  },
  {
    files: ['scripts/**', 'tests/**', 'examples/**', '**/*.config.ts', 'packages/server/src/main.ts'],
    // Playwright fixtures that use no other fixture take `({}, use)`.
    rules: { 'no-console': 'off', 'no-empty-pattern': 'off' },
  },
);
