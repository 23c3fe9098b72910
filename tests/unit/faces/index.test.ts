import { test } from 'node:test';
import assert from 'node:assert/strict';
import { restoreFaces, faceMask, PASTE_MASK, type Face } from '../../../electron/engine/faces/index.js';
import { loadPortrait, readTem, temFivePoints } from './fixtures.js';

test('restoreFaces runs align → restorer → paste-back for each face and leaves the background alone', async () => {
  const img = await loadPortrait('042');
  const five = temFivePoints(readTem('042'));
  const face: Face = { box: { x: 0, y: 0, w: 1, h: 1 }, score: 1, landmarks68: [], landmarks5: five };
  const seen: number[] = [];
  const { rgb, faces } = await restoreFaces(img, (crop, size) => {
    seen.push(size);
    return crop.map((v) => 1 - v); // a "restorer" that inverts the face
  }, { faces: [face], size: 256, paste: { colorMatch: 'none' } });
  assert.deepEqual(seen, [256]);
  assert.equal(faces.length, 1);
  const mask = faceMask(img.width, img.height, [face], PASTE_MASK);
  const nose = Math.round(five[2]![1]) * img.width + Math.round(five[2]![0]);
  assert.equal(mask[nose], 1);
  assert.ok(Math.abs(rgb[nose * 3]! - (1 - img.rgb[nose * 3]!)) < 0.05, 'the face was replaced');
  for (let p = 0; p < mask.length; p += 97) if (mask[p] === 0) assert.equal(rgb[p * 3], img.rgb[p * 3]);
  await assert.rejects(restoreFaces(img, () => new Float32Array(3), { faces: [face], size: 64 }), /expected 64×64×3/);
});
