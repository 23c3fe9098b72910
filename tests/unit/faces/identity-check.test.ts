/**
 * The identity check on real faces: the descriptor of an aligned crop, as the
 * restore's face pass measures it, stays near for the same person restored
 * lightly and is far for another person standing in for a face that drifted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFaceDetector } from '../../../electron/engine/faces/detector.js';
import { alignFace } from '../../../electron/engine/faces/align.js';
import { alignedFaceOutline, descriptorDistance } from '../../../electron/engine/face-stage.js';
import { DRIFT_UNSURE } from '../../../electron/engine/stages/build-recipe.js';
import { gaussianFilterPlane } from '../../../electron/engine/degradations/filters.js';
import { loadPortrait } from './fixtures.js';

const SIZE = 512;

async function alignedCrop(id: string): Promise<Float32Array> {
  const img = await loadPortrait(id);
  const detector = await createFaceDetector();
  const [face] = await detector.detect(img.rgb, img.width, img.height, { tiles: 'off' });
  return alignFace(img, face!.landmarks5, SIZE).crop;
}

function blurred(crop: Float32Array, sigma: number): Float32Array {
  const out = new Float32Array(crop.length), plane = new Float32Array(SIZE * SIZE);
  for (let c = 0; c < 3; c++) {
    for (let p = 0; p < SIZE * SIZE; p++) plane[p] = crop[p * 3 + c]!;
    const b = gaussianFilterPlane(plane, SIZE, SIZE, sigma);
    for (let p = 0; p < SIZE * SIZE; p++) out[p * 3 + c] = b[p]!;
  }
  return out;
}

test('a restored face is "same person: likely" when it is the same person, "unsure" when it became another', async () => {
  const detector = await createFaceDetector();
  const describe = (crop: Float32Array) => detector.describe(crop, SIZE, SIZE, alignedFaceOutline(SIZE));
  const a = await alignedCrop('005'), b = await alignedCrop('011');
  const da = await describe(a);
  assert.equal(descriptorDistance(da, await describe(a)), 0, 'the same crop: no drift');
  const soft = descriptorDistance(da, await describe(blurred(a, 2)));
  const other = descriptorDistance(da, await describe(b));
  console.log(`drift: same face softened ${soft.toFixed(3)}, another person ${other.toFixed(3)} (unsure from ${DRIFT_UNSURE})`);
  assert.ok(soft < DRIFT_UNSURE, `the same face, softened: ${soft.toFixed(3)}`);
  assert.ok(other >= DRIFT_UNSURE, `another person: ${other.toFixed(3)}`);
});
