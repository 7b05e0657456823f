import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';

const nodeOnly = ['electron', 'keytar', 'auth0', 'undici', 'fastify', 'ws', 'fs', 'path', 'child_process'];
const rendererOnly = {
  paths: nodeOnly.map((name) => ({ name, message: 'The renderer only knows preload/contract.' })),
  patterns: [
    { group: ['node:*'], message: 'The renderer never imports Node.' },
    { group: ['**/main/**', '**/emulator/**'], message: 'The renderer only knows preload/contract.' },
  ],
};

export default tseslint.config(
  {
    ignores: [
      '.tmp/**',
      'node_modules/**',
      'out/**',
      'dist/**',
      'release/**',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // No import cycle anywhere: a module never (even through others) imports itself.
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [
        createNodeResolver({
          extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'],
          // Node's ESM imports name the .js a .ts file compiles to.
          extensionAlias: { '.js': ['.ts', '.tsx', '.js'] },
        }),
      ],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  // Only main/electron/ and the preload may import electron.
  {
    files: ['main/**/*.ts', 'emulator/**/*.ts'],
    ignores: ['main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'Only main/electron/ imports electron.' }] },
      ],
    },
  },
  // The contract imports nothing but zod and its own slices; its rules module nothing but zod.
  {
    files: ['preload/contract.ts', 'preload/contract/**/*.ts'],
    ignores: ['preload/contract/rules.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!zod$|\\./contract/[a-z-]+\\.js$|\\./[a-z-]+\\.js$).*',
              message: 'The contract imports nothing but zod and its own slices.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['preload/contract/rules.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!zod$).*', message: "Auth0's rules import nothing but zod." }] },
      ],
    },
  },
  // The renderer knows the contract, never Node, secrets or main/.
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { paths: rendererOnly.paths, patterns: rendererOnly.patterns }],
    },
  },
  // Only stores talk to main: the shared ones (renderer/src/stores/) and each feature's (features/<name>/store.ts,
  // features/<name>/<what>-store.ts). Components call a store's action; they never import the bridge, nor send a
  // guarded write, a download or an upload themselves.
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: [
      'renderer/src/stores/**',
      'renderer/src/features/*/store.{ts,tsx}',
      'renderer/src/features/*/*-store.{ts,tsx}',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: rendererOnly.paths,
          patterns: [
            ...rendererOnly.patterns,
            {
              group: ['**/bridge'],
              message: "Only stores talk to main: call an action of the feature's store.",
            },
            {
              group: ['**/stores/guard', '**/stores/downloads', '**/stores/uploads'],
              importNames: ['guardedInvoke', 'guardedWrite', 'saveDownload', 'saveAndTell', 'uploadFile'],
              message: "Only stores talk to main: call an action of the feature's store.",
            },
          ],
        },
      ],
    },
  },
);
