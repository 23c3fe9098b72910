#!/usr/bin/env node
/**
 * Builds everything the app runs into dist/ with esbuild:
 *   dist/{library,engine}/worker.js  the worker processes (Node ESM)
 *   dist/host/browser-main.js        browser mode (HTTP + WebSocket host)
 *   dist/cli/cli.js                  the `restora` command
 *   dist/main/main.js                Electron main;  dist/preload/preload.cjs  its preload
 *   dist/renderer/                   the React UI (index.html, app.js, app.css)
 * Usage: node build/build.mjs [--if-stale] [--watch-free]
 * Type checking is separate (`npm run typecheck`): esbuild only strips types.
 */
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const stamp = path.join(dist, '.build-stamp');

function newestMtime(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

if (process.argv.includes('--if-stale') && fs.existsSync(stamp)) {
  const built = fs.statSync(stamp).mtimeMs;
  const sources = Math.max(newestMtime(path.join(root, 'electron')), newestMtime(path.join(root, 'renderer')), fs.statSync(path.join(root, 'package.json')).mtimeMs);
  if (sources < built) process.exit(0);
}

const nodeCommon = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  // ESM bundles still meet CommonJS dependencies that call require().
  banner: { js: "import { createRequire as __restoraCreateRequire } from 'node:module'; const require = __restoraCreateRequire(import.meta.url);" },
};

const started = Date.now();
fs.rmSync(dist, { recursive: true, force: true });
await Promise.all([
  build({ ...nodeCommon, entryPoints: { 'library/worker': './electron/library/worker.ts', 'engine/worker': './electron/engine/worker.ts', 'host/browser-main': './electron/host/browser-main.ts', 'cli/cli': './electron/cli/cli.ts', 'main/main': './electron/main/main.ts' }, outdir: dist, absWorkingDir: root }),
  // The preload runs sandboxed: one CommonJS file, everything but electron bundled in.
  build({ bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['electron'], entryPoints: ['electron/preload/preload.ts'], outfile: path.join(dist, 'preload/preload.cjs'), absWorkingDir: root, logLevel: 'warning' }),
  build({
    bundle: true,
    platform: 'browser',
    target: ['chrome120'],
    format: 'esm',
    jsx: 'automatic',
    entryPoints: { app: 'renderer/main.tsx' },
    outdir: path.join(dist, 'renderer'),
    absWorkingDir: root,
    minify: true,
    sourcemap: 'linked',
    loader: { '.svg': 'file', '.png': 'file' },
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  }),
]);
fs.copyFileSync(path.join(root, 'renderer/index.html'), path.join(dist, 'renderer/index.html'));
fs.writeFileSync(stamp, new Date().toISOString());
console.log(`built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
