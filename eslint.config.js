/**
 * `npm run lint` (and the lint step of `npm test`): ESLint with
 * typescript-eslint, the layer table of STYLE.md as import rules, no import
 * cycles (type-only imports included), and the house conventions. Local rules
 * live in build/lint-rules.js; tests/unit/lint checks that the table bites.
 */
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import restora from './build/lint-rules.js';

/**
 * Who may import whom: each folder, and the project folders it may import
 * (itself always; npm packages and node: built-ins are the next table's
 * business). Anything not listed is forbidden, so a new edge between layers
 * is a decision made here, not an accident.
 */
const LAYERS = {
  // Pure TypeScript every process shares: the contract, errors, recipes.
  'electron/shared': [],
  // Node-side helpers any process may use: paths, data folder, versions, atomic writes, the worker runtime.
  'electron/node': ['electron/shared'],
  // Electron main stays thin and native-free: it reaches the workers only through the broker.
  'electron/main': ['electron/shared', 'electron/node', 'electron/broker', 'electron/queue'],
  'electron/preload': ['electron/shared'],
  // The broker routes to the workers by contract, never by importing their internals.
  'electron/broker': ['electron/shared', 'electron/node'],
  'electron/host': ['electron/shared', 'electron/node', 'electron/broker', 'electron/queue'],
  // The CLI shares the broker and the child-process spawner with browser mode, nothing else of the host.
  'electron/cli': ['electron/shared', 'electron/node', 'electron/broker', 'electron/queue', 'electron/host/node-worker.ts'],
  // The restore queue (Redis): submits through the broker, runs queue workers with the same spawner.
  'electron/queue': ['electron/shared', 'electron/node', 'electron/broker', 'electron/host/node-worker.ts'],
  // The two workers never import each other.
  'electron/library': ['electron/shared', 'electron/node'],
  'electron/engine': ['electron/shared', 'electron/node'],
  // The renderer takes types and pure helpers from shared, nothing else of electron/.
  renderer: ['electron/shared'],
  // Helpers that tests and benchmarks share; neither imports the other.
  devkit: ['electron'],
  tests: ['electron', 'renderer', 'devkit'],
  bench: ['electron', 'devkit'],
};

/** Every folder the table speaks about (a zone's `from` is any of these not allowed for the target). */
const ALL = ['electron/shared', 'electron/node', 'electron/main', 'electron/preload', 'electron/broker', 'electron/host', 'electron/cli', 'electron/queue', 'electron/library', 'electron/engine', 'renderer', 'devkit', 'tests', 'bench', 'build', 'bin', 'models'];

const covers = (outer, inner) => inner === outer || inner.startsWith(`${outer}/`);

/** import-x/no-restricted-paths zones: for each layer, every other folder it may not import (except any allowed part of it). */
const layerZones = Object.entries(LAYERS).flatMap(([target, allowed]) => {
  const may = [target, ...allowed];
  const message = `${target} may import only ${may.join(', ')} (the layer table in eslint.config.js)`;
  return ALL.filter((from) => !covers(from, target) && !covers(target, from) && !may.some((m) => covers(m, from))).map((from) => {
    const parts = may.filter((m) => covers(from, m)).map((m) => `./${m.slice(from.length + 1)}`);
    return { target: `./${target}`, from: `./${from}`, ...(parts.length ? { except: parts } : {}), message };
  });
});

const NATIVE = ['better-sqlite3', 'sharp', 'onnxruntime-node'];
const native = { paths: NATIVE.map((name) => ({ name, message: 'Native modules load only in the library and engine workers (a crash or a blocking call elsewhere freezes the app).' })) };

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'models/**', '.restora-home/**'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    plugins: { 'import-x': importX, restora },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })] },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
      'restora/no-import-cycle': 'error',
      'import-x/no-self-import': 'error',
      'import-x/no-duplicates': 'error',
      'restora/file-name': 'error',
      // Sequences of assignments, `(a = x), (b = y)`, are house style in numeric loops.
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // A `let` that a cleanup closure reads before its one assignment is deliberate.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    files: ['electron/**', 'renderer/**', 'bench/**', 'devkit/**', 'build/**'],
    rules: { 'restora/opening-doc': 'error' },
  },
  {
    files: ['electron/shared/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!zod$|\\.)', message: 'electron/shared is pure TypeScript: zod and its own files only (no node:, electron, DOM or native modules).' }] }],
    },
  },
  {
    files: ['electron/main/**', 'electron/broker/**', 'electron/node/**', 'electron/queue/**'],
    rules: { 'no-restricted-imports': ['error', native] },
  },
  {
    files: ['electron/preload/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!electron$|\\.)', message: 'The preload is sandboxed: electron and shared code only.' }] }] },
  },
  {
    files: ['renderer/**'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'import-x/no-nodejs-modules': 'error',
      'no-restricted-imports': ['error', { paths: [...native.paths, { name: 'electron', message: 'The renderer reaches the app only through its API client.' }] }],
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    // Tests read loosely typed JSON (CLI output, wire messages) and say so.
    files: ['tests/**', 'bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
