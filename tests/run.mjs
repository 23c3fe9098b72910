#!/usr/bin/env node
/**
 * The test command (`npm test` runs it after building and type checking).
 *   node tests/run.mjs [unit|integration|e2e|models ...]
 * Runs the Python model tests (pytest, tiny configs) beside the TypeScript unit
 * tests, then the integration and end-to-end tests with Node's test runner, and
 * ends with one summary line: "N passed, N failed, N skipped".
 * Integration and e2e tests start real worker processes, real SQLite files,
 * real ONNX models and headless Chromium (/usr/bin/chromium, or $CHROMIUM_PATH).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const wanted = process.argv.slice(2);
const SUITES = ['models', 'unit', 'integration', 'e2e'];
const suites = wanted.length ? wanted : SUITES;
const totals = { passed: 0, failed: 0, skipped: 0 };
const concurrency = Math.max(1, Number(process.env.RESTORA_TEST_CONCURRENCY ?? 2) || 2);
let exitCode = 0;
// Every integration and end-to-end test starts from a fresh data folder; they share one folder of optimised graphs
// (electron/engine/handlers.ts), as the runs of one user's app share its data folder's cache. Opening the fine-tuning
// gradient graph takes ~13 s on 2 cores, ~1 s from that cache.
const graphCache = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-test-graphs-'));
process.on('exit', () => fs.rmSync(graphCache, { recursive: true, force: true }));

function find(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return find(p);
    return /\.test\.tsx?$/.test(e.name) ? [p] : [];
  }).sort();
}

function python() {
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(candidate, ['-c', 'import torch, onnx, pytest'], { stdio: 'ignore' });
    if (r.status === 0) return candidate;
  }
  return null;
}

/**
 * Starts the Python model tests and returns a function that waits for them and reports them. They run beside the
 * unit tests when both are asked for (measured on 2 cores: 304 s for both instead of 348 s one after the other);
 * their output goes to a file so a full pipe never stalls them.
 */
function startModels() {
  const tests = path.join(root, 'models', 'tests');
  if (!fs.existsSync(tests)) return async () => {};
  const py = python();
  if (!py) {
    return async () => {
      const msg = 'models: python3 with torch, onnx and pytest is not installed (apt-get install python3-torch python3-onnx python3-pytest)';
      if (process.env.CI) {
        console.error(`${msg}; CI requires them.`);
        totals.failed++;
        exitCode = 1;
      } else {
        console.log(`${msg}; skipping the model tests.`);
        totals.skipped++;
      }
    };
  }
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-pytest-'));
  const log = path.join(logDir, 'pytest.log');
  const fd = fs.openSync(log, 'w');
  const child = spawn(py, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests'], { cwd: path.join(root, 'models'), stdio: ['ignore', fd, fd], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  fs.closeSync(fd);
  const done = new Promise((resolve) => {
    child.once('error', (err) => resolve({ status: 1, error: err }));
    child.once('exit', (code, signal) => resolve({ status: code ?? 1, signal }));
  });
  return async () => {
    const r = await done;
    const out = fs.readFileSync(log, 'utf8');
    fs.rmSync(logDir, { recursive: true, force: true });
    console.log('\n== models (pytest) ==');
    process.stdout.write(out);
    if (r.error) console.error(`pytest could not be started: ${r.error.message}`);
    const count = (word) => Number(new RegExp(`(\\d+) ${word}`).exec(out)?.[1] ?? 0);
    totals.passed += count('passed');
    totals.failed += count('failed') + count('error');
    totals.skipped += count('skipped');
    if (r.status !== 0) {
      exitCode = 1;
      if (count('failed') + count('error') === 0) totals.failed++;
    }
  };
}

function runNode(name, files, concurrency) {
  if (!files.length) return;
  console.log(`\n== ${name} (${files.length} files) ==`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { RESTORA_TEST_GRAPH_CACHE: graphCache, ...process.env, NODE_NO_WARNINGS: '1' },
  });
  process.stdout.write(r.stdout ?? '');
  process.stderr.write(r.stderr ?? '');
  const num = (label) => Number(new RegExp(`ℹ ${label} (\\d+)`).exec(r.stdout ?? '')?.[1] ?? 0);
  totals.passed += num('pass');
  totals.failed += num('fail') + num('cancelled');
  totals.skipped += num('skipped') + num('todo');
  if (r.status !== 0) {
    exitCode = 1;
    if (num('fail') === 0) totals.failed++;
  }
}

const unknown = suites.find((s) => !SUITES.includes(s));
if (unknown) {
  // Before anything starts, so no model test is left running behind the exit.
  console.error(`unknown suite ${unknown}`);
  process.exit(2);
}

// The model tests start first and are reported when the next suite (or none) is done.
let models = null;
for (const s of suites) {
  if (s === 'models') {
    models = startModels();
    continue;
  }
  if (s === 'unit') runNode('unit', find(path.join(root, 'tests', 'unit')), 2);
  // Two integration and two end-to-end files at a time: much of their time is spent waiting on workers, browsers and
  // queue servers (measured on 2 cores: integration 636 s instead of 905 s, e2e 363 s instead of 457 s, the same tests
  // passing). RESTORA_TEST_CONCURRENCY=1 runs them one by one.
  else if (s === 'integration') runNode('integration', find(path.join(root, 'tests', 'integration')), concurrency);
  else if (s === 'e2e') runNode('e2e', find(path.join(root, 'tests', 'e2e')), concurrency);
  if (models) {
    await models();
    models = null;
  }
}
if (models) await models();
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(exitCode);
