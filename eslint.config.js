import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import layers from './scripts/eslint-layers.mjs';

const electronPaths = [{ name: 'electron', message: 'Only the shell (src/main/index.ts, src/main/shell) and the preload may import electron.' }];
const electronPatterns = [{ group: ['electron/*', 'electron-store'], message: 'Only the shell and the preload may use Electron modules.' }];
const processPaths = ['child_process', 'node:child_process'].map((name) => ({
  name,
  message: 'Only src/main/core/media/ffmpeg starts processes (FfmpegProcess, the one runner).',
}));
const noElectron = {
  'no-restricted-imports': ['error', { paths: [...electronPaths, ...processPaths], patterns: electronPatterns }],
};
/** The ffmpeg folder may start processes; the Electron rule still holds there. */
const noElectronButProcesses = {
  'no-restricted-imports': ['error', { paths: electronPaths, patterns: electronPatterns }],
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  // The guest page: a browser bundle of its own.
  { files: ['src/guest/**/*.ts'], languageOptions: { globals: { ...globals.browser } } },
  // Arrows only down the layers: which folder may import which (LAYERS in scripts/eslint-layers.mjs).
  { files: ['src/**/*.{ts,tsx}'], plugins: { onair: layers }, rules: { 'onair/layers': 'error' } },
  // The core, the shared contract, the renderer and the CLI stay free of Electron.
  { files: ['src/main/core/**', 'src/main/harness/**', 'src/shared/**', 'src/renderer/**', 'src/guest/**', 'src/cli/**'], rules: noElectron },
  { files: ['src/main/core/media/ffmpeg/**'], rules: noElectronButProcesses },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../main/*', '../renderer/*', '../preload/*', 'electron', 'react'], message: 'src/shared imports nothing but libraries.' }] },
      ],
    },
  },
  {
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
