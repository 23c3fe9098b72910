/**
 * One face search per photo content (faces/photo-faces.ts): the analysis, the
 * previews and the restore ask for a photo's faces and get the same answer,
 * searched once, whether remembered in memory, read back from the cache
 * folder by a new engine, or searched afresh.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { PhotoFaces, type SearchFaces } from '../../../electron/engine/faces/photo-faces.js';
import type { Face } from '../../../electron/engine/types.js';

/** A fake search: one face in the middle of whatever it is shown, in the view's pixels, counting its calls. */
function countingSearch(): { search: SearchFaces; calls: Array<[number, number]> } {
  const calls: Array<[number, number]> = [];
  const search: SearchFaces = async (img) => {
    calls.push([img.width, img.height]);
    await new Promise((r) => setTimeout(r, 20));
    const cx = img.width / 2, cy = img.height / 2;
    const face: Face = {
      box: { x: cx - 10.04, y: cy - 12.01, w: 20.13, h: 24 },
      score: 0.91234,
      landmarks68: Array.from({ length: 68 }, (_, i) => [cx + (i % 9) - 4, cy + Math.floor(i / 9) - 4] as [number, number]),
      landmarks5: [[cx - 4, cy - 3], [cx + 4, cy - 3], [cx, cy], [cx - 3, cy + 5], [cx + 3, cy + 5]],
    };
    return [face];
  };
  return { search, calls };
}

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-photo-faces-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('a photo is searched once per content, at most 2048 px long, with faces in its own upright pixels', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'group.png');
  // 3000×1000 stored sideways (EXIF 6): upright it is 1000×3000, searched at 683×2048.
  await sharp({ create: { width: 3000, height: 1000, channels: 3, background: '#808080' } }).withMetadata({ orientation: 6 }).jpeg().toFile(file);
  const { search, calls } = countingSearch();
  const faces = new PhotoFaces(path.join(dir, 'cache'), search);
  const [a, b] = await Promise.all([faces.find(file), faces.find(file)]);
  const c = await faces.find(file);
  assert.deepEqual(calls, [[683, 2048]], 'two asking at once and one after: one search');
  assert.deepEqual([a.width, a.height], [1000, 3000]);
  assert.deepEqual(b, a);
  assert.deepEqual(c, a);
  const f = a.faces[0]!;
  assert.ok(Math.abs(f.box.x + f.box.w / 2 - 500) < 1 && Math.abs(f.box.y + f.box.h / 2 - 1500) < 1, `the face is in the middle of the upright photo: ${JSON.stringify(f.box)}`);
  assert.equal(f.score, 0.912);

  // A new engine (a restart after a cancel) reads the answer back instead of searching again: the same, exactly.
  const again = countingSearch();
  const restarted = await new PhotoFaces(path.join(dir, 'cache'), again.search).find(file);
  assert.deepEqual(again.calls, []);
  assert.deepEqual(restarted, a);

  // Other content is another photo; a broken cache file is searched again.
  const other = path.join(dir, 'other.png');
  await sharp({ create: { width: 300, height: 200, channels: 3, background: '#707070' } }).png().toFile(other);
  const mem = countingSearch();
  const fresh = new PhotoFaces(path.join(dir, 'cache'), mem.search);
  assert.deepEqual((await fresh.find(other)).faces.length, 1);
  assert.deepEqual(mem.calls, [[300, 200]]);
  for (const name of fs.readdirSync(path.join(dir, 'cache'))) fs.writeFileSync(path.join(dir, 'cache', name), '{"wid');
  const broken = countingSearch();
  assert.deepEqual(await new PhotoFaces(path.join(dir, 'cache'), broken.search).find(file), a);
  assert.equal(broken.calls.length, 1);
});

test('an unreadable photo fails clearly and is not remembered', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'broken.jpg');
  fs.writeFileSync(file, Buffer.from('not a picture at all'));
  const { search, calls } = countingSearch();
  const faces = new PhotoFaces(null, search);
  await assert.rejects(faces.find(file), /broken\.jpg/);
  await assert.rejects(faces.find(file), /broken\.jpg/);
  assert.deepEqual(calls, []);
});
