#!/usr/bin/env node
/**
 * The static checks `npm test` runs before the tests: the type check (tsc) and the linter (eslint), side by
 * side (each is mostly one core), each with its own output printed when it ends. Exits non-zero if either fails.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

function run(label, cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.once('error', (err) => resolve({ label, status: 1, out: `${out}${label} could not be started: ${err.message}\n` }));
    child.once('close', (code) => resolve({ label, status: code ?? 1, out }));
  });
}

const results = await Promise.all([run('tsc', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']), run('eslint', bin('eslint'), [])]);
let failed = false;
for (const r of results) {
  if (r.out) process.stdout.write(r.out);
  if (r.status !== 0) {
    failed = true;
    console.error(`${r.label} failed (exit ${r.status})`);
  }
}
process.exit(failed ? 1 : 0);
