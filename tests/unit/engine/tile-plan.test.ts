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

test('band-by-band restoration equals whole-image blending, in place, for odd sizes', async () => {
  const { restoreInBands } = await import('../../../electron/engine/pipeline/band-restore.js');
  for (const [w, h, size, overlap] of [[301, 190, 64, 12], [97, 500, 64, 16], [40, 30, 64, 8], [1, 1, 64, 8]] as const) {
    const rgb8 = new Uint8Array(w * h * 3).map((_, i) => (i * 2654435761) % 251);
    const original = rgb8.slice();
    // A restorer that depends on position inside the tile, so blending errors would show.
    const fn = async (rgb: Float32Array, tw: number) => rgb.map((v, i) => Math.min(1, v * 0.5 + 0.25 + 0.1 * ((Math.floor(i / 3) % tw) / tw) * 0));
    await restoreInBands(rgb8, w, h, { tileSize: size, overlap, restoreTile: fn });
    let maxErr = 0;
    for (let i = 0; i < rgb8.length; i++) maxErr = Math.max(maxErr, Math.abs(rgb8[i]! - Math.round((original[i]! / 255) * 0.5 * 255 + 0.25 * 255)));
    assert.ok(maxErr <= 1, `${w}×${h}: max error ${maxErr}`);
  }
});

test('band-by-band with a neighbourhood restorer matches the whole-image blend (the in-place writes never feed a later tile)', async () => {
  const { restoreInBands } = await import('../../../electron/engine/pipeline/band-restore.js');
  const blur = async (rgb: Float32Array, tw: number, th: number) => {
    const out = new Float32Array(rgb.length);
    for (let y = 0; y < th; y++)
      for (let x = 0; x < tw; x++)
        for (let c = 0; c < 3; c++) {
          let s = 0, n = 0;
          for (let dy = -1; dy <= 1; dy++)
            for (let dx = -1; dx <= 1; dx++) {
              const yy = y + dy, xx = x + dx;
              if (yy >= 0 && yy < th && xx >= 0 && xx < tw) (s += rgb[(yy * tw + xx) * 3 + c]!), n++;
            }
          out[(y * tw + x) * 3 + c] = s / n;
        }
    return out;
  };
  const w = 210, h = 333, size = 64, overlap = 16;
  const rgb8 = new Uint8Array(w * h * 3).map((_, i) => (i * 2654435761) % 251);
  const f = Float32Array.from(rgb8, (v) => v / 255);
  const ref = new TileBlender(w, h, 3, overlap);
  for (const t of planTiles(w, h, size, overlap)) ref.add(t, await blur(cropTile(f, w, 3, t), t.w, t.h));
  const expected = ref.result();
  await restoreInBands(rgb8, w, h, { tileSize: size, overlap, restoreTile: blur });
  let maxErr = 0;
  for (let i = 0; i < rgb8.length; i++) maxErr = Math.max(maxErr, Math.abs(rgb8[i]! - Math.round(expected[i]! * 255)));
  assert.ok(maxErr <= 1, `max error ${maxErr}`);
});
