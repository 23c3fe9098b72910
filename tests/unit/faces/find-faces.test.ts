/**
 * The multi-scale face search with the real detector: small, faded, blurred
 * and noisy faces in a wide photo are found, at the right places; blank and
 * tiny images give no faces and no error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findAllFaces } from '../../../electron/engine/faces/find-faces.js';
import { blur, clamp01, fade, noise } from '../../../electron/engine/degradations/ops.js';
import { blank, loadPortrait, pasteScaled } from './fixtures.js';

test('five faded, blurred, noisy ~22 px faces in a 960×400 photo are all found, each where it was put, with landmarks inside its box', async () => {
  const canvas = blank(960, 400, 0.55);
  const ids = ['003', '006', '008', '011', '012'];
  // A portrait of side S holds a face box about a third of S wide: S = 66 gives faces of ~22 px.
  const S = 66;
  const places = ids.map((_, i) => ({ x: 60 + i * 180, y: 80 + (i % 2) * 150 }));
  for (const [i, id] of ids.entries()) pasteScaled(canvas, await loadPortrait(id), places[i]!.x, places[i]!.y, S);
  const faded = { ...canvas, rgb: clamp01(noise(fade(blur(canvas.rgb, 960, 400, 0.8, 0.8, 0), 0.6), 960, 400, 0.015, true, 5)) };
  const faces = await findAllFaces(faded);
  assert.equal(faces.length, ids.length, JSON.stringify(faces.map((f) => f.box)));
  for (const p of places) {
    const f = faces.find((q) => q.box.x + q.box.w / 2 > p.x && q.box.x + q.box.w / 2 < p.x + S && q.box.y + q.box.h / 2 > p.y && q.box.y + q.box.h / 2 < p.y + S);
    assert.ok(f, `a face in the portrait at ${p.x},${p.y}`);
    assert.ok(f.box.w > 12 && f.box.w < 45, `face-sized: ${JSON.stringify(f.box)}`);
    for (const [x, y] of f.landmarks5) assert.ok(x > f.box.x - 2 && x < f.box.x + f.box.w + 2 && y > f.box.y - 2 && y < f.box.y + f.box.h + 2);
  }
});

test('a blank photo and a tiny one have no faces', async () => {
  assert.deepEqual(await findAllFaces(blank(320, 200)), []);
  assert.deepEqual(await findAllFaces(blank(10, 8)), []);
});
