import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { scan } from '../../../electron/library/scan.js';
import { rmAfter, tempDir } from './helpers.js';

function touch(file: string, content = 'x'): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

test('scan walks folders in name order, follows links once, ignores non-images and hidden files, reports what it cannot read', async (t) => {
  const root = rmAfter(t, tempDir());
  const a = touch(path.join(root, 'lib', 'b.jpg'));
  const b = touch(path.join(root, 'lib', 'A.PNG'));
  const c = touch(path.join(root, 'lib', 'sub', 'c.tif'));
  touch(path.join(root, 'lib', 'notes.txt'));
  touch(path.join(root, 'lib', '.hidden.jpg'));
  touch(path.join(root, 'lib', '.thumbs', 'x.jpg'));
  // A folder outside the tree, linked in twice; and a loop back to the top.
  const outside = touch(path.join(root, 'elsewhere', 'd.webp'));
  fs.symlinkSync(path.join(root, 'elsewhere'), path.join(root, 'lib', 'link1'));
  fs.symlinkSync(path.join(root, 'elsewhere'), path.join(root, 'lib', 'link2'));
  fs.symlinkSync(path.join(root, 'lib'), path.join(root, 'lib', 'sub', 'loop'));
  // A file linked under a second name is one file.
  fs.symlinkSync(a, path.join(root, 'lib', 'z-alias.jpg'));
  fs.symlinkSync(path.join(root, 'nowhere.jpg'), path.join(root, 'lib', 'broken.jpg'));

  const res = await scan([path.join(root, 'lib')]);
  assert.deepEqual(res.files, [b, a, path.join(root, 'lib', 'link1', 'd.webp'), c]);
  assert.ok(fs.realpathSync(res.files[2]!) === outside);
  assert.deepEqual(res.skipped.map((s) => [path.basename(s.path), s.reason]), [['broken.jpg', 'Cannot read file: not found (or a broken link)']]);
});

test('explicit files are checked by extension and kind; missing roots are reported', async (t) => {
  const root = rmAfter(t, tempDir());
  const txt = touch(path.join(root, 'readme.txt'));
  const jpg = touch(path.join(root, 'photo.jpeg'));
  const res = await scan([txt, jpg, path.join(root, 'gone')]);
  assert.deepEqual(res.files, [jpg]);
  assert.deepEqual(res.skipped.map((s) => s.reason), ['Not an image type Restora imports (.txt)', 'Cannot read: not found (or a broken link)']);
});

test('a cancelled scan stops early', async (t) => {
  const root = rmAfter(t, tempDir());
  for (let i = 0; i < 20; i++) touch(path.join(root, `d${i}`, 'p.jpg'));
  const controller = new AbortController();
  controller.abort();
  const res = await scan([root], controller.signal);
  assert.equal(res.files.length, 0);
});
