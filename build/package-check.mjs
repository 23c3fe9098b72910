#!/usr/bin/env node
/**
 * `npm run package:check`: assembles the unpacked app the way electron-builder
 * lays it out (resources/app.asar + app.asar.unpacked + resources/models),
 * using build/electron-builder.json, and verifies that everything the app
 * loads at run time is where it will look: main, preload, workers and renderer
 * inside the asar; native modules (.node files and their shared libraries)
 * unpacked; every shipped model with a manifest whose sha256 matches.
 * Needs no Electron download, so it runs where `npm run package` cannot.
 * Output: release/check/<platform>-unpacked/
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createPackageWithOptions, listPackage } from '@electron/asar';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const config = JSON.parse(fs.readFileSync(path.join(root, 'build', 'electron-builder.json'), 'utf8'));
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const out = path.join(root, 'release', 'check', `${process.platform}-unpacked`);
const stage = path.join(root, 'release', 'check', 'stage');
const problems = [];
const check = (ok, what) => {
  console.log(`${ok ? '✓' : '✗'} ${what}`);
  if (!ok) problems.push(what);
};

fs.rmSync(path.join(root, 'release', 'check'), { recursive: true, force: true });
fs.mkdirSync(stage, { recursive: true });

// 1. The app's own files.
fs.writeFileSync(path.join(stage, 'package.json'), JSON.stringify({ name: pkg.name, productName: pkg.productName, version: pkg.version, main: pkg.main, type: pkg.type, dependencies: pkg.dependencies }, null, 2));
fs.cpSync(path.join(root, 'dist'), path.join(stage, 'dist'), { recursive: true, filter: (src) => !src.endsWith('.map') && !src.endsWith('.build-stamp') });

// 2. Production dependencies and their dependencies (what electron-builder copies).
const seen = new Set();
function copyDep(name, fromDir) {
  // Node's lookup, by hand: package "exports" may hide package.json from require.resolve.
  let pkgJson = null;
  for (let d = fromDir; ; d = path.dirname(d)) {
    const candidate = path.join(d, 'node_modules', name, 'package.json');
    if (fs.existsSync(candidate)) {
      pkgJson = candidate;
      break;
    }
    if (path.dirname(d) === d) break;
  }
  if (!pkgJson) return; // an optional dependency for another platform
  const dir = path.dirname(pkgJson);
  if (seen.has(dir)) return;
  seen.add(dir);
  const rel = path.relative(root, dir);
  fs.cpSync(dir, path.join(stage, rel), { recursive: true, dereference: true });
  const meta = JSON.parse(fs.readFileSync(pkgJson, 'utf8'));
  for (const d of Object.keys({ ...meta.dependencies, ...meta.optionalDependencies })) copyDep(d, dir);
}
for (const d of Object.keys(pkg.dependencies)) copyDep(d, root);
check(seen.size >= Object.keys(pkg.dependencies).length, `${seen.size} production packages staged`);

// 3. Pack the asar, unpacking what config.asarUnpack names.
const resources = path.join(out, 'resources');
fs.mkdirSync(resources, { recursive: true });
const unpack = `{${config.asarUnpack.map((g) => `**/${g}`).join(',')}}`;
await createPackageWithOptions(stage, path.join(resources, 'app.asar'), { unpack });
const listed = new Set(listPackage(path.join(resources, 'app.asar')).map((p) => p.replace(/\\/g, '/').replace(/^\//, '')));

// 4. Extra resources: the shipped models.
for (const r of config.extraResources) {
  const from = path.join(root, r.from);
  if (fs.existsSync(from)) fs.cpSync(from, path.join(resources, r.to), { recursive: true, filter: (src) => fs.statSync(src).isDirectory() || /\.(onnx|json)$|MODEL_CARD\.md$/.test(src) });
}

// 5. Verify the layout.
for (const f of [pkg.main, 'dist/preload/preload.cjs', 'dist/library/worker.js', 'dist/engine/worker.js', 'dist/renderer/index.html', 'dist/renderer/app.js', 'dist/renderer/app.css', 'package.json']) {
  check(listed.has(f), `app.asar contains ${f}`);
}
const unpacked = path.join(resources, 'app.asar.unpacked');
const nodeFiles = [];
(function walk(d) {
  if (!fs.existsSync(d)) return;
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.node')) nodeFiles.push(path.relative(unpacked, p));
  }
})(unpacked);
for (const mod of ['better-sqlite3', 'sharp', 'onnxruntime-node']) {
  const platformDir = mod === 'onnxruntime-node' ? `${process.platform}${path.sep}${process.arch}` : '';
  const hits = nodeFiles.filter((f) => (f.includes(`node_modules${path.sep}${mod}${path.sep}`) || (mod === 'sharp' && f.includes(`node_modules${path.sep}@img${path.sep}sharp-${process.platform}`))) && f.includes(platformDir));
  check(hits.length > 0, `native module ${mod} is unpacked (${hits[0] ?? 'no .node file'})`);
}
for (const [what, rel] of [['face detector weights', 'node_modules/@vladmandic/face-api/model/ssd_mobilenetv1_model.bin'], ['face landmark weights', 'node_modules/@vladmandic/face-api/model/face_landmark_68_model.bin'], ['tfjs WASM backend', 'node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm']]) {
  check(fs.existsSync(path.join(unpacked, rel)), `${what} unpacked (${rel})`);
}
const ortLib = fs.existsSync(path.join(unpacked, 'node_modules/onnxruntime-node/bin')) && JSON.stringify(fs.readdirSync(path.join(unpacked, 'node_modules/onnxruntime-node/bin'), { recursive: true })).includes('onnxruntime');
check(ortLib, 'ONNX Runtime shared library is unpacked next to its binding');
check(!listed.has('node_modules/sharp/package.json') || fs.existsSync(path.join(unpacked, 'node_modules/sharp/package.json')), 'sharp is unpacked, not inside the asar');

const modelsDir = path.join(resources, 'models');
const manifests = fs.existsSync(modelsDir) ? fs.readdirSync(modelsDir).filter((d) => fs.existsSync(path.join(modelsDir, d, 'manifest.json'))) : [];
if (manifests.length === 0) console.log('• no shipped models in models/zoo yet (the engine falls back to the classical restorer)');
for (const id of manifests) {
  const m = JSON.parse(fs.readFileSync(path.join(modelsDir, id, 'manifest.json'), 'utf8'));
  const file = path.join(modelsDir, id, m.file);
  const ok = fs.existsSync(file) && createHash('sha256').update(fs.readFileSync(file)).digest('hex') === m.sha256;
  check(ok, `model ${m.id} ${m.version}: ${m.file} present with matching sha256`);
}

fs.rmSync(stage, { recursive: true, force: true });
console.log(problems.length ? `\npackage check failed: ${problems.length} problem(s)` : `\npackage check passed: ${out}`);
process.exit(problems.length ? 1 : 0);
