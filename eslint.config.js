// @ts-check
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Imports a folder may not make, per ARCHITECTURE.md's dependency rule. */
const restrict = (files, patterns, message, ignores = []) => ({
  files,
  ignores,
  rules: {
    'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
  },
});

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'http', 'crypto', 'worker_threads'];

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'out/',
      'coverage/',
      'node_modules/',
      'src/neuron/network/proto/bittensor.ts',
      'src/ledger/abci/proto/abci.ts',
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
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**', 'src/main/**'],
    rules: { 'no-console': 'error' },
  },
  { files: ['src/renderer/**/*.ts'], languageOptions: { globals: { ...globals.browser } } },
  // The training window's page and its Worker run in a browser: no node:* there.
  { files: ['src/neuron/browser/**/*.ts'], languageOptions: { globals: { ...globals.browser } } },
  restrict(
    ['src/shared/**', 'src/ledger/mechanism/**'],
    [
      ...nodeBuiltins,
      'electron',
      '**/ledger/*',
      '!**/ledger/mechanism/*',
      '**/neuron/**',
      '**/main/**',
      '**/renderer/**',
      '**/cli/**',
      '**/wallet/**',
    ],
    'shared/ and ledger/mechanism/ are pure TypeScript: no I/O, no node:*, and they import only shared/.',
  ),
  restrict(
    ['src/ledger/**'],
    ['electron', '**/neuron/**', '**/main/**', '**/renderer/**', '**/cli/**'],
    'ledger/ depends only on shared/ (ARCHITECTURE.md dependency rule).',
    ['src/ledger/mechanism/**'],
  ),
  restrict(
    ['src/neuron/**'],
    ['electron', '**/main/**', '**/renderer/**', '**/cli/**'],
    'neuron/ depends on ledger (its client, wallet keys) and shared/ only, and never on electron.',
  ),
  // Repeats neuron/'s rule (a later no-restricted-imports replaces an earlier one) and adds Node's modules.
  restrict(
    ['src/neuron/browser/**', 'src/neuron/worker/training-worker.ts'],
    [...nodeBuiltins, 'electron', '**/main/**', '**/renderer/**', '**/cli/**', '**/ml/backend.js', '**/ml/webgpu.js'],
    'the training window and the runtime-neutral trainer run in a browser Worker too: no Node, no Node loaders.',
  ),
  restrict(
    ['src/renderer/**'],
    [
      ...nodeBuiltins,
      'electron',
      '**/ledger/*.js',
      '**/ledger/rpc/**',
      '**/neuron/**',
      '**/main/**',
      '**/cli/**',
      '**/wallet/**',
    ],
    'renderer/ talks only to the API in shared/ (and runs the pure mechanism for the what-if).',
  ),
  restrict(
    ['src/preload/**'],
    ['**/ledger/**', '**/neuron/**', '**/main/**', '**/renderer/**', '**/cli/**', '**/wallet/**'],
    'preload/ exposes the shared API and nothing else.',
  ),
  restrict(
    ['src/main/**'],
    ['**/renderer/**', '**/cli/**'],
    'main/ hosts neuron, ledger and wallet; it does not import the renderer or the CLI.',
  ),
  prettier,
  // Electron reaches main/ only through main/electron/, and its pure decisions (policy/) not at all, so plain-Node
  // tests cover them. These repeat main/'s rule above, since a later no-restricted-imports replaces an earlier one.
  restrict(
    ['src/main/**'],
    ['**/renderer/**', '**/cli/**', 'electron', 'electron-updater'],
    'only main/electron/ imports electron: the host runs in plain Node too (headless, tests).',
    ['src/main/electron/**'],
  ),
  restrict(
    ['src/main/electron/policy/**'],
    ['**/renderer/**', '**/cli/**', 'electron', 'electron-updater'],
    'main/electron/policy/ holds the pure decisions of the Electron adapters: no electron, so plain Node tests them.',
  ),
  // A sandboxed preload is CommonJS (`import x = require('electron')` in a .cts file).
  {
    files: ['src/preload/**/*.cts'],
    rules: { '@typescript-eslint/no-require-imports': ['error', { allowAsImport: true }] },
  },
);
