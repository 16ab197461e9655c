// ESLint flat config. The per-folder `no-restricted-imports` rules enforce one runtime per folder
// (docs/architecture.md §2.1); the `local/import-direction` layers enforce the direction of imports between our own
// folders (§3.18). A convention only in people's heads erodes; a failing lint does not. Import cycles are checked by
// madge in `npm test` (scripts/check-cycles.mjs).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import importDirection from './scripts/eslint-import-direction.mjs';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'net', 'dgram', 'http', 'https', 'crypto', 'child_process', 'dns', 'tls', 'url', 'util', 'events', 'stream', 'zlib', 'buffer', 'process'];

/** The services layer: plain Node capabilities that know no host, no composition and no contract. */
const servicesLayer = {
  from: ['electron/services/', 'electron/simulator/'],
  deny: ['electron/main/', 'electron/preload/', 'electron/server/', 'electron/cli/', 'electron/composition/', 'shared/ipc/channels/', 'shared/ipc/contract', 'shared/ipc/define', 'shared/ipc/build-api'],
  message: 'services import neither the hosts, the composition nor the contract channels; emit an in-process event and let electron/composition map it (types the UI also needs go to shared/domain).',
};

/** Which of our folders may import which (scripts/eslint-import-direction.mjs). */
const importLayers = [
  { from: 'shared/', allow: ['shared/'], message: 'shared/ imports nothing of ours outside shared/: it is the plain-TypeScript base every runtime shares.' },
  // vite.config.ts is build tooling that runs in Node, not renderer code.
  { from: 'renderer/', except: ['renderer/vite.config.ts'], allow: ['renderer/', 'shared/'], message: 'the renderer imports only shared/ and its own files; it reaches the machine side through window.api.' },
  servicesLayer,
  { from: 'electron/composition/', deny: ['electron/main/', 'electron/preload/', 'electron/server/', 'electron/cli/'], message: 'the composition is what hosts call; it never imports a host.' },
  { from: 'electron/cli/', except: ['electron/cli/commands/serve.ts'], deny: ['electron/server/'], message: 'the CLI does not import the web host (only `sarix serve` starts it); shared helpers belong in electron/services/common.' },
];

const restrict = (groups, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'dist-web/**', 'dist-cli/**', 'dist-cli.tmp-*/**', 'tests/e2e/artifacts/**', 'coverage/**', '.tmp/**'] },
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
    rules: restrict([...nodeBuiltins, 'electron', 'electron/*', 'react', 'react-dom', 'react/*', 'react-dom/*', '@mantine/*', 'axios', 'ws'], 'shared/ is plain TypeScript: no node:*, DOM, electron or react (docs/architecture.md §2.1).'),
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
    files: ['electron/services/**/*.ts', 'electron/simulator/**/*.ts', 'electron/composition/**/*.ts', 'electron/server/**/*.ts', 'electron/cli/**/*.ts'],
    rules: restrict(['electron', 'electron/*'], 'Services, simulator, composition, web host and CLI are plain Node: never import electron (docs/architecture.md §2.2).'),
  },
  {
    // Imports point one way: renderer → shared; hosts → composition → services → shared (docs/architecture.md §3.18).
    files: ['**/*.{ts,tsx}'],
    plugins: { local: importDirection },
    rules: { 'local/import-direction': ['error', { layers: importLayers }] },
  },
  {
    // A test may drive a whole host (a service's end-to-end test through the CLI); product code may not.
    files: ['**/*.test.{ts,tsx}'],
    rules: { 'local/import-direction': ['error', { layers: importLayers.filter((l) => l !== servicesLayer) }] },
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
