import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planTiles, TileBlender, cropTile } from '../../../electron/engine/pipeline/tile-plan.js';

test('tiles cover every pixel, including odd sizes and 1×1', () => {
  for (const [w, h] of [[1, 1], [17, 33], [256, 256], [257, 300], [1000, 613]] as const) {
    const tiles = planTiles(w, h, 128, 16);
    const covered = new Uint8Array(w * h);
    for (const t of tiles) {
      assert.ok(t.w <= 128 && t.h <= 128 && t.x >= 0 && t.y >= 0 && t.x + t.w <= w && t.y + t.h <= h);
      for (let y = t.y; y < t.y + t.h; y++) for (let x = t.x; x < t.x + t.w; x++) covered[y * w + x] = 1;
    }
    assert.ok(covered.every((v) => v === 1), `${w}×${h} fully covered`);
  }
  assert.deepEqual(planTiles(0, 10, 64, 8), []);
});

test('blending identity tiles reproduces the image exactly (no seams)', () => {
  const w = 301, h = 190, ch = 3;
  const img = new Float32Array(w * h * ch).map((_, i) => ((i * 2654435761) % 1000) / 1000);
  const tiles = planTiles(w, h, 64, 12);
  const blender = new TileBlender(w, h, ch, 12);
  for (const t of tiles) blender.add(t, cropTile(img, w, ch, t));
  const out = blender.result();
  let maxErr = 0;
  for (let i = 0; i < img.length; i++) maxErr = Math.max(maxErr, Math.abs(out[i]! - img[i]!));
  assert.ok(maxErr < 1e-5, `max error ${maxErr}`);
});

test('overlapping tiles cross-fade: a constant offset per tile blends smoothly', () => {
  const w = 200, h = 10;
  const tiles = planTiles(w, h, 120, 40);
  assert.equal(tiles.length, 2);
  const blender = new TileBlender(w, h, 1, 40);
  tiles.forEach((t, i) => blender.add(t, new Float32Array(t.w * t.h).fill(i)));
  const row = blender.result().slice(0, w);
  for (let x = 1; x < w; x++) assert.ok(Math.abs(row[x]! - row[x - 1]!) < 0.05, `jump at ${x}`);
  assert.equal(row[0], 0);
  assert.equal(row[w - 1], 1);
});
