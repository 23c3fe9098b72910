/**
 * The engine's face stage on a large photo: findFaces detects on a
 * downscaled copy for big faces and on full-resolution tiles for small ones,
 * so the small faces of a 4000×3000 group photo are not lost.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import sharp from 'sharp';
import { findFaces } from '../../../electron/engine/face-stage.js';
import { OLD_PHOTOS, PORTRAITS } from './fixtures.js';

test('faces about 40 px wide in a 4000×3000 photo are found, each once, where they are', async () => {
  const W = 4000, H = 3000;
  const ids = ['005', '014', '024', '033', '066', '091', '102', '120'];
  // An FRL face is about 430 px wide in its 1350 px portrait: scale portraits so faces come out about 40 px.
  const k = 40 / 430;
  const side = Math.round(1350 * k);
  const spots = ids.map((_, i) => ({ x: 300 + (i % 4) * 950, y: 500 + Math.floor(i / 4) * 1400 }));
  const background = await sharp(path.join(OLD_PHOTOS, '1880Paris.jpg')).resize(W, H, { fit: 'fill' }).toColourspace('srgb').jpeg().toBuffer();
  const portraits = await Promise.all(ids.map(async (id, i) => ({ input: await sharp(path.join(PORTRAITS, `${id}_03.jpg`)).resize(side, side).jpeg().toBuffer(), left: spots[i]!.x, top: spots[i]!.y })));
  const { data, info } = await sharp(background).composite(portraits).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual([info.width, info.height, info.channels], [W, H, 3]);
  const t = performance.now();
  const faces = await findFaces(new Uint8Array(data.buffer, data.byteOffset, data.length), W, H);
  const found = spots.filter((s) => faces.filter((f) => {
    const cx = f.box.x + f.box.w / 2, cy = f.box.y + f.box.h / 2;
    return cx > s.x && cx < s.x + side && cy > s.y && cy < s.y + side;
  }).length === 1);
  console.log(`4000×3000 with 8 faces ~40 px: ${found.length} found, ${faces.length} detections, ${((performance.now() - t) / 1000).toFixed(1)} s`);
  // A whole-photo pass at 1600 px found 1 of these 8; the tiled pass finds 6 (two are at the detector's limit).
  // Speed work on this pass must not cost recall: 6 is the floor.
  assert.ok(found.length >= 6, `found ${found.length} of 8`);
  assert.ok(faces.length <= found.length + 1, `no more than one stray detection (${faces.length} in all)`);
});
