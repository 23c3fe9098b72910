/** The one way the app writes files: whole or not at all, never through a planted symlink, never over a file it must keep. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { numberedNames, writeFileAtomic, writeFileAtomicSync, writeNewFile } from '../../../electron/node/atomic-write.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'restora-atomic-'));

test('a write replaces the file whole and leaves no temporary file beside it', async () => {
  const dir = tmp();
  const file = path.join(dir, 'state.json');
  await writeFileAtomic(file, 'one');
  await writeFileAtomic(file, new Uint8Array([116, 119, 111]));
  assert.equal(fs.readFileSync(file, 'utf8'), 'two');
  writeFileAtomicSync(file, 'three');
  assert.equal(fs.readFileSync(file, 'utf8'), 'three');
  assert.deepEqual(fs.readdirSync(dir), ['state.json']);
});

test('an encoder that fails half-way leaves the old file as it was and no temporary file', async () => {
  const dir = tmp();
  const file = path.join(dir, 'out.png');
  fs.writeFileSync(file, 'old');
  async function* failing() {
    yield new Uint8Array([1, 2, 3]);
    throw new Error('encoder died');
  }
  await assert.rejects(writeFileAtomic(file, failing()), /encoder died/);
  assert.equal(fs.readFileSync(file, 'utf8'), 'old');
  assert.deepEqual(fs.readdirSync(dir), ['out.png']);
});

test('a symlink at the target is replaced, never written through', async () => {
  const dir = tmp();
  const victim = path.join(dir, 'victim.txt');
  fs.writeFileSync(victim, 'keep me');
  const link = path.join(dir, 'thumb.jpg');
  fs.symlinkSync(victim, link);
  await writeFileAtomic(link, 'new');
  assert.equal(fs.readFileSync(victim, 'utf8'), 'keep me');
  assert.equal(fs.lstatSync(link).isSymbolicLink(), false);
  assert.equal(fs.readFileSync(link, 'utf8'), 'new');
});

test('writeNewFile takes the first free name and never replaces a file or follows a link', async () => {
  const dir = tmp();
  fs.writeFileSync(path.join(dir, 'a.jpg'), 'existing');
  fs.symlinkSync(path.join(dir, 'elsewhere.txt'), path.join(dir, 'a (2).jpg'));
  const names = ['a.jpg', 'a (2).jpg', 'a (3).jpg'];
  assert.equal(await writeNewFile(dir, names, 'fresh'), path.join(dir, 'a (3).jpg'));
  assert.equal(fs.readFileSync(path.join(dir, 'a.jpg'), 'utf8'), 'existing');
  assert.equal(fs.existsSync(path.join(dir, 'elsewhere.txt')), false);
  assert.equal(fs.readFileSync(path.join(dir, 'a (3).jpg'), 'utf8'), 'fresh');
  assert.equal(await writeNewFile(dir, names, 'more'), null);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['a (2).jpg', 'a (3).jpg', 'a.jpg']);
});

test('a file written with mode 0o600 (a setting holding a password) is private from its first byte', async () => {
  const dir = tmp();
  const file = path.join(dir, 'settings.json');
  writeFileAtomicSync(file, '{"queue":"redis://:secret@host"}', { mode: 0o600 });
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  await writeFileAtomic(file, '{}', { mode: 0o600 });
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
});

test('numbered names go on from a name that is already numbered, and two writers never share one', async () => {
  const first = (name: string, n: number) => [...numberedNames(name, n)];
  assert.deepEqual(first('a-restored.png', 3), ['a-restored.png', 'a-restored (2).png', 'a-restored (3).png']);
  assert.deepEqual(first('a-restored (2).png', 3), ['a-restored (2).png', 'a-restored (3).png', 'a-restored (4).png']);
  assert.deepEqual(first('notes', 2), ['notes', 'notes (2)']);
  const dir = tmp();
  const written = await Promise.all(Array.from({ length: 8 }, (_, i) => writeNewFile(dir, numberedNames('b.png'), `writer ${i}`)));
  assert.equal(new Set(written).size, 8);
  assert.deepEqual(written.map((f) => fs.readFileSync(f!, 'utf8')).sort(), Array.from({ length: 8 }, (_, i) => `writer ${i}`).sort());
});
