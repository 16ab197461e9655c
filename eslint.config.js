// ESLint flat config. The per-folder `no-restricted-imports` rules enforce ARCHITECTURE.md rule 1:
// one runtime per folder (a convention only in people's heads erodes; a failing lint does not).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'net', 'dgram', 'http', 'https', 'crypto', 'child_process', 'dns', 'tls', 'url', 'util', 'events', 'stream', 'zlib', 'buffer', 'process'];

const restrict = (groups, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'dist-web/**', 'tests/e2e/artifacts/**', 'coverage/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: restrict([...nodeBuiltins, 'electron', 'electron/*', 'react', 'react-dom', 'react/*', 'react-dom/*', '@mantine/*', 'axios', 'ws'], 'shared/ is plain TypeScript: no node:*, DOM, electron or react (ARCHITECTURE.md rule 1).'),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      ...restrict([...nodeBuiltins, 'electron', 'electron/*'], 'renderer/ runs in the browser sandbox: no electron or node:* (talk to window.api).'),
    },
  },
  {
    files: ['electron/services/**/*.ts', 'electron/simulator/**/*.ts', 'electron/core/**/*.ts', 'electron/server/**/*.ts', 'electron/cli/**/*.ts'],
    rules: restrict(['electron', 'electron/*'], 'Services, simulator, core, web host and CLI are plain Node: never import electron (ARCHITECTURE.md rule 2).'),
  },
  {
    files: ['electron/**/*.ts', 'renderer/**/*.{ts,tsx}', 'shared/**/*.ts'],
    ignores: ['electron/main/ipc.ts', 'electron/preload/**', 'electron/main/**/*.test.ts', 'electron/preload/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "ImportSpecifier[imported.name='ipcMain']", message: 'Raw ipcMain only in electron/main/ipc.ts (the handle() wrapper).' },
        { selector: "ImportSpecifier[imported.name='ipcRenderer']", message: 'Raw ipcRenderer only in the preload.' },
      ],
    },
  },
);
