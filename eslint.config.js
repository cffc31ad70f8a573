// Who may import whom (DESIGN.md, "The parts"): core/ imports nothing of ours and no node:,
// DOM or electron; renderer/, electron/ and server/ import core/ and never each other.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Bare names are matched exactly (`paths`), so a folder of ours called `events/` is not a builtin.
const nodeBuiltins = ['fs', 'path', 'os', 'crypto', 'http', 'https', 'net', 'child_process', 'url', 'events', 'stream', 'util', 'worker_threads'];
const noNode = (message) => nodeBuiltins.map((name) => ({ name, message }));
const banParts = (...parts) => parts.flatMap((p) => [`../${p}/*`, `../../${p}/*`, `../../../${p}/*`, `../${p}`, `../../${p}`]);

export default tseslint.config(
  { ignores: ['**/dist/**', 'bench/out/**', 'node_modules/**', 'test-results/**', '.data/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/consistent-type-definitions': ['error', 'type'],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-expect-error': 'allow-with-description' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-syntax': ['error',
        { selector: "CallExpression[callee.property.name='only']", message: 'No .only in committed tests.' },
        { selector: "MemberExpression[property.name=/^(skip|skipIf|runIf|todo|fixme)$/][object.name=/^(it|test|describe|suite)$/]", message: 'No skipped test: fix it, or remove it and say why in an issue.' },
        // Playwright's test.describe.skip / test.describe.fixme, and vitest's describe.each(...).skip.
        { selector: "MemberExpression[property.name=/^(skip|skipIf|runIf|todo|fixme)$/][object.type='MemberExpression']", message: 'No skipped test: fix it, or remove it and say why in an issue.' }],
    },
  },
  {
    // Type-aware checks: a promise nobody awaits (a sync or a print that fails unseen), a switch
    // that forgets a case, an API its library has deprecated.
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-deprecated': 'error',
    },
  },
  {
    files: ['core/**/*.ts'],
    ignores: ['core/**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', { paths: noNode('core/ is pure: no Node modules.'), patterns: [
        { group: ['node:*'], message: 'core/ is pure: no Node modules.' },
        { group: ['electron', 'react', 'react-dom', 'dexie', 'fastify', 'pg', '@electric-sql/*'], message: 'core/ imports no platform library.' },
        { group: banParts('renderer', 'electron', 'server', 'test', 'bench'), message: 'core/ imports nothing of ours outside core/.' },
      ] }],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'fetch', 'setTimeout', 'setInterval', 'localStorage', 'indexedDB', 'crypto', 'process'],
      'no-restricted-properties': ['error',
        { object: 'Date', property: 'now', message: 'Pass the time in: core/ has no clock.' },
        { object: 'Math', property: 'random', message: 'Pass randomness in: core/ is deterministic.' }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { paths: noNode('The renderer runs sandboxed: no Node.'), patterns: [
      { group: banParts('electron', 'server'), message: 'renderer/ imports core/ only.' },
      { group: ['electron', 'node:*'], message: 'The renderer runs sandboxed: no Node or electron.' },
    ] }] },
  },
  {
    files: ['electron/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: banParts('renderer', 'server'), message: 'electron/ imports core/ only.' }] }] },
  },
  {
    files: ['server/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [
      { group: banParts('renderer', 'electron'), message: 'server/ imports core/ only.' },
      { group: ['electron', 'react', 'dexie'], message: 'server/ has no UI and no Electron.' },
    ] }] },
  },
);
