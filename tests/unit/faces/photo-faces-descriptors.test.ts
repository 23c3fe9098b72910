/**
 * Identity descriptors in the one face search per photo (photo-faces.ts):
 * asked for, they are made once per photo content on the view the search
 * saw (landmarks taken back from the photo's pixels to the view's), kept with
 * the answer on disk, and a search answered before without them is not
 * searched again, only described.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { PhotoFaces, type DescribeFace, type SearchFaces } from '../../../electron/engine/faces/photo-faces.js';
import type { Face } from '../../../electron/engine/types.js';

test('descriptors are made once per content, on the searched view, and read back by a new engine', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-descriptors-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'big.jpg');
  // 4096×2048: searched (and described) on a 2048×1024 view.
  await sharp({ create: { width: 4096, height: 2048, channels: 3, background: '#808080' } }).jpeg().toFile(file);
  let searches = 0;
  const search: SearchFaces = async (img) => {
    searches++;
    const face: Face = { box: { x: 100, y: 100, w: 50, h: 60 }, score: 0.9, landmarks68: Array.from({ length: 68 }, (_, i) => [100 + i, 120] as [number, number]), landmarks5: [[110, 120], [140, 120], [125, 135], [112, 150], [138, 150]] };
    assert.deepEqual([img.width, img.height], [2048, 1024]);
    return [face];
  };
  const seen: Array<{ width: number; first: [number, number] }> = [];
  const describe: DescribeFace = async (img, face) => {
    seen.push({ width: img.width, first: face.landmarks68[0]! });
    return Float32Array.from({ length: 128 }, (_, i) => i / 3);
  };
  const cache = path.join(dir, 'cache');
  const faces = new PhotoFaces(cache, search, 32, describe);
  const plain = await faces.find(file);
  assert.equal(plain.descriptors, undefined, 'not made unless asked');
  assert.deepEqual(plain.faces[0]!.box, { x: 200, y: 200, w: 100, h: 120 }, 'faces in the photo’s pixels');
  const described = await faces.find(file, { descriptors: true });
  assert.equal(searches, 1, 'the search answered before is not run again');
  assert.deepEqual(seen, [{ width: 2048, first: [100, 120] }], 'described on the view, in its pixels');
  assert.equal(described.descriptors!.length, 1);
  assert.equal(described.descriptors![0]!.length, 128);
  assert.equal(described.descriptors![0]![1], 0.3333, 'rounded so a cached answer reads back exactly');

  const restarted = new PhotoFaces(cache, search, 32, describe);
  assert.deepEqual(await restarted.find(file, { descriptors: true }), described);
  assert.equal(searches, 1);
  assert.equal(seen.length, 1, 'a new engine reads the descriptors back');
});
