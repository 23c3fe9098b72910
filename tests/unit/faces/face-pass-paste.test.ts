/**
 * The face pass over a restored photo (face-stage.ts restoreFaces): what it pastes is the face restorer's output
 * minus the restored photo's own face, so the whole-photo restore's pixel-level work survives it. On a noisy
 * portrait whose noise the whole-photo restore removed, a face restorer that returns the clean face must not
 * bring the noise back; one that agrees with the whole-photo restore must leave the face as that restore made it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { restoreFaces, saveFaceRegions } from '../../../electron/engine/face-stage.js';
import { alignFace } from '../../../electron/engine/faces/align.js';
import { faceMask } from '../../../electron/engine/faces/paste-back.js';
import { readRegion } from '../../../electron/engine/pipeline/image-buffer.js';
import type { Face, Point, TileRestorer } from '../../../electron/engine/types.js';
import { loadPortrait, readTem, temFivePoints } from './fixtures.js';
import { gaussianBlock } from '../../../electron/engine/degradations/prng.js';


async function portrait() {
  const full = await loadPortrait('004');
  // a quarter-size portrait (337²): a face of about 150 px, quick to align
  const w = full.width >> 2, h = full.height >> 2;
  const clean = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) {
    let s = 0;
    for (let dy = 0; dy < 4; dy++) for (let dx = 0; dx < 4; dx++) s += full.rgb[((4 * y + dy) * full.width + 4 * x + dx) * 3 + c]!;
    clean[(y * w + x) * 3 + c] = Math.round((s / 16) * 255);
  }
  const five = temFivePoints(readTem('004')).map(([x, y]): Point => [x / 4, y / 4]);
  const xs = five.map((p) => p[0]), ys = five.map((p) => p[1]);
  const size = Math.max(...xs) - Math.min(...xs);
  const face: Face = {
    box: { x: Math.min(...xs) - size * 0.5, y: Math.min(...ys) - size * 0.6, w: size * 2, h: size * 2.2 },
    score: 0.99,
    landmarks68: [],
    landmarks5: five,
  };
  return { clean, w, h, face, five };
}

const insideError = (a: Uint8Array, b: Uint8Array, mask: Float32Array) => {
  let s = 0, n = 0;
  for (let p = 0; p < mask.length; p++) {
    if (mask[p]! < 1) continue;
    for (let c = 0; c < 3; c++) s += (a[p * 3 + c]! - b[p * 3 + c]!) ** 2;
    n += 3;
  }
  return Math.sqrt(s / n);
};

test('a face restorer that returns the clean face does not put back noise the whole-photo restore removed', async () => {
  const { clean, w, h, face, five } = await portrait();
  const g = gaussianBlock(3, clean.length);
  const noisy = Uint8Array.from(clean, (v, i) => Math.max(0, Math.min(255, Math.round(v + 20 * g[i]!))));
  const saved = saveFaceRegions(noisy, w, h, [face]);
  // the whole-photo restore removed the noise (here: exactly), in place
  const photo = Uint8Array.from(clean);
  // the face restorer returns the clean face, aligned as the engine aligns it
  const region = saved[0]!.region;
  const cleanRegion = readRegion(clean, w, region);
  const local = five.map(([x, y]): Point => [x - region.x, y - region.y]);
  const cleanCrop = alignFace({ rgb: cleanRegion, width: region.w, height: region.h }, local).crop;
  const perfect: TileRestorer = { restoreTile: async (rgb: Float32Array) => (rgb.length === cleanCrop.length ? Float32Array.from(cleanCrop) : rgb), tileSize: 512, overlap: 0 } as unknown as TileRestorer;
  await restoreFaces(photo, w, saved, perfect, { keepIdentity: false });
  const inner = faceMask(w, h, [{ landmarks5: five }]);
  const before = insideError(noisy, clean, inner), after = insideError(photo, clean, inner);
  assert.ok(after < 0.15 * before, `noise left in the face: ${after.toFixed(2)} of 255 (the noisy face: ${before.toFixed(2)})`);
});

test('a face restorer that agrees with the whole-photo restore leaves the face as that restore made it', async () => {
  const { clean, w, h, face, five } = await portrait();
  const saved = saveFaceRegions(clean, w, h, [face]);
  // the whole-photo restore brightened the photo a little
  const photo = Uint8Array.from(clean, (v) => Math.min(255, v + 6));
  const restoredNow = Uint8Array.from(photo);
  const region = saved[0]!.region;
  const local = five.map(([x, y]): Point => [x - region.x, y - region.y]);
  const agreeing: TileRestorer = {
    restoreTile: async () => {
      return alignFace({ rgb: readRegion(restoredNow, w, region), width: region.w, height: region.h }, local).crop;
    },
  } as unknown as TileRestorer;
  await restoreFaces(photo, w, saved, agreeing, { keepIdentity: false });
  let maxDiff = 0;
  for (let i = 0; i < photo.length; i++) maxDiff = Math.max(maxDiff, Math.abs(photo[i]! - restoredNow[i]!));
  assert.ok(maxDiff <= 1, `the face moved by ${maxDiff} of 255`);
});
