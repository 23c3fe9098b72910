#!/usr/bin/env node
/**
 * `npm start`: the desktop app when Electron's binary is available, browser
 * mode otherwise (or with --browser). Electron 45 fetches its binary on first
 * use; where that is impossible (offline, no binary for this platform) we say
 * so and serve the same app to the browser instead.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const require = createRequire(import.meta.url);

function electronBinary() {
  let pkgDir;
  try {
    pkgDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { ok: false, why: 'the electron package is not installed' };
  }
  const pathFile = path.join(pkgDir, 'path.txt');
  if (!fs.existsSync(pathFile)) {
    // Electron downloads its binary lazily; try once, briefly, without failing the start.
    const r = spawnSync(process.execPath, [path.join(pkgDir, 'install.js')], { stdio: 'ignore', timeout: 120_000 });
    if (r.status !== 0 || !fs.existsSync(pathFile)) return { ok: false, why: 'its binary could not be downloaded on this machine' };
  }
  const exe = path.join(pkgDir, 'dist', fs.readFileSync(pathFile, 'utf8'));
  return fs.existsSync(exe) ? { ok: true, exe } : { ok: false, why: 'its binary is missing' };
}

async function browserMode() {
  process.argv = [process.argv[0], process.argv[1], ...args.filter((a) => a !== '--browser')];
  await import(pathToFileURL(path.join(root, 'dist', 'host', 'browser-main.js')).href);
}

if (args.includes('--browser')) {
  await browserMode();
} else {
  const e = electronBinary();
  if (e.ok) {
    const child = spawn(e.exe, [root, ...args], { stdio: 'inherit' });
    child.on('exit', (code) => process.exit(code ?? 0));
  } else {
    process.stdout.write(`Electron is not available (${e.why}); starting Restora in browser mode instead.\n`);
    await browserMode();
  }
}
