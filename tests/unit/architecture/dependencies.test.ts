/**
 * The dependency rules of STYLE.md, enforced: shared is pure; main, library,
 * engine, host, broker and cli never import the renderer; the renderer only
 * imports shared code from electron/; main never loads a native module.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { appRoot } from '../../../electron/node/app-paths.js';

const root = appRoot();

function files(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return files(rel);
    return /\.tsx?$/.test(e.name) ? [rel] : [];
  });
}

function imports(file: string): string[] {
  const src = fs.readFileSync(path.join(root, file), 'utf8');
  return [...src.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!);
}

function resolved(file: string, spec: string): string {
  return spec.startsWith('.') ? path.normalize(path.join(path.dirname(file), spec)) : spec;
}

test('electron/shared has no node:, electron, DOM-only or native imports', () => {
  for (const f of files('electron/shared')) {
    for (const spec of imports(f)) {
      assert.ok(spec === 'zod' || spec.startsWith('.'), `${f} imports ${spec}`);
      assert.ok(resolved(f, spec).startsWith('electron/shared') || !spec.startsWith('.'), `${f} reaches outside shared: ${spec}`);
    }
  }
});

test('no process code imports the renderer', () => {
  for (const dir of ['electron/main', 'electron/library', 'electron/engine', 'electron/host', 'electron/broker', 'electron/cli', 'electron/node', 'electron/preload']) {
    if (!fs.existsSync(path.join(root, dir))) continue;
    for (const f of files(dir)) for (const spec of imports(f)) assert.ok(!resolved(f, spec).startsWith('renderer'), `${f} imports ${spec}`);
  }
});

test('the renderer imports only shared code from electron/ and no Node modules', () => {
  for (const f of files('renderer')) {
    for (const spec of imports(f)) {
      const r = resolved(f, spec);
      if (r.startsWith('electron')) assert.ok(r.startsWith('electron/shared'), `${f} imports ${spec}`);
      assert.ok(!spec.startsWith('node:') && !['electron', 'fs', 'path', 'sharp', 'better-sqlite3', 'onnxruntime-node'].includes(spec), `${f} imports ${spec}`);
    }
  }
});

test('Electron main loads no native modules, directly or through its imports', () => {
  const native = ['better-sqlite3', 'sharp', 'onnxruntime-node'];
  const seen = new Set<string>();
  const visit = (f: string) => {
    if (seen.has(f)) return;
    seen.add(f);
    for (const spec of imports(f)) {
      assert.ok(!native.includes(spec), `${f} (reached from main) imports ${spec}`);
      if (spec.startsWith('.')) visit(resolved(f, spec).replace(/\.js$/, '.ts'));
    }
  };
  visit('electron/main/main.ts');
  assert.ok(seen.size > 5);
});
