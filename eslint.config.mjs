// ESLint for the whole repository (npm run lint runs it after Prettier, with no warning allowed).
// Syntax-level rules only: type-aware linting would double the time of a check tsc already does.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'client/dist/',
      'coverage/',
      'test-results/',
      'playground/build/',
      'playground/.strapi/',
      'playground/.tmp/',
      'playground/dist/',
      'playground/types/',
      'playground/public/',
      'playground/database/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['admin/**/*.{ts,tsx}', 'client/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['playground/storefront/**/*.ts', 'client/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    rules: {
      // Prettier owns the layout, and it breaks `app.http()[method](path)` across lines.
      'no-unexpected-multiline': 'off',
      // Unused arguments named _x say "deliberately unused".
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrors: 'none',
          // `const { page, ...rest } = query` takes fields out of `rest` on purpose.
          ignoreRestSiblings: true,
        },
      ],
    },
  }
);
