/** `restora finetune` and `restora adapters` as a user runs them: train on plain files, list, export, refuse a bad import, restore with --adapter. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { sharedDataDir } from '../../devkit/shared-data.js';
import { requireBuild, runCli, tempDir } from '../../devkit/services.js';
import { writeTestPhoto } from '../../devkit/images.js';

requireBuild();
const home = tempDir();
const work = tempDir('restora-cli-ft-');
after(() => {
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});
const faces = path.join(sharedDataDir(), 'faces-flr');

function restora(...args: string[]) {
  return runCli(home, args, 180_000);
}

test('finetune on reference files, list, export, bad import, restore with --adapter', async () => {
  const refs = path.join(work, 'refs');
  fs.mkdirSync(refs);
  for (const [sub, f] of [['neutral_front', '004_03.jpg'], ['smiling_front', '004_08.jpg'], ['neutral_front', '005_03.jpg']]) {
    await sharp(path.join(faces, sub!, f!)).resize(256, 256).toFile(path.join(refs, f!));
  }
  const ft = restora('finetune', refs, '--name', 'Uncle Bob', '--steps', '4', '--json');
  assert.equal(ft.status, 0, ft.stderr);
  const r = JSON.parse(ft.stdout);
  assert.equal(r.adapter.name, 'Uncle Bob');
  assert.equal(r.steps, 4);
  assert.equal(r.evaluation.n, 2);

  const list = restora('adapters', 'list');
  assert.equal(list.status, 0, list.stderr);
  assert.match(list.stdout, /^Uncle Bob {2}4 steps, 3 photo\(s\), 0 pick\(s\) {2}(helped|no clear|did not|hurt|no-change)/m);

  const file = path.join(work, 'bob.radapter');
  assert.equal(restora('adapters', 'export', 'Uncle Bob', '-o', file).status, 0);
  assert.ok(fs.statSync(file).size > 40_000);
  const notAdapter = path.join(work, 'photo.png');
  await writeTestPhoto(notAdapter, 64, 64);
  const bad = restora('adapters', 'import', notAdapter);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /photo\.png is not a usable Restora adapter: it does not start like an adapter file/);
  assert.equal(restora('adapters', 'import', file, '--name', 'Bob copy').status, 0);

  const out = path.join(work, 'out');
  const rest = restora('restore', path.join(refs, '005_03.jpg'), '-o', out, '--adapter', 'Bob copy', '--json');
  assert.equal(rest.status, 0, rest.stderr);
  assert.ok(fs.existsSync(JSON.parse(rest.stdout)[0].output));
  const few = restora('finetune', path.join(refs, '004_03.jpg'), '--name', 'Lonely');
  assert.notEqual(few.status, 0);
  assert.match(few.stderr, /Too few usable reference photos \(1\)/);
});
