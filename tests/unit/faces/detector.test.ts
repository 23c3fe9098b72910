/**
 * The real detector (face-api SSD MobileNet v1 + 68 landmarks on the tfjs
 * WASM backend) on real faces. Landmark ground truth comes from the FRL .tem
 * files; see fixtures.ts for the points used.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createFaceDetector, type FaceDetector } from '../../../electron/engine/faces/detector.js';
import { alignFace, pasteFaces } from '../../../electron/engine/faces/index.js';
import { blank, loadPhoto, loadPortrait, OLD_PHOTOS, pasteScaled, readTem, temFivePoints } from './fixtures.js';
import type { Face, RgbImage } from '../../../electron/engine/types.js';

let detector: FaceDetector;
const detect = (img: RgbImage, opts?: Parameters<FaceDetector['detect']>[3]): Promise<Face[]> => detector.detect(img.rgb, img.width, img.height, opts);

before(async () => {
  const t = performance.now();
  detector = await createFaceDetector();
  console.log(`face detector loaded in ${(performance.now() - t).toFixed(0)} ms`);
});

test('one face per portrait, 5 landmarks within 5% of the face size of the annotation', async () => {
  for (const id of ['001', '010', '042']) {
    const img = await loadPortrait(id);
    const faces = await detect(img, { tiles: 'off' });
    assert.equal(faces.length, 1, `portrait ${id}: ${faces.length} faces`);
    const f = faces[0]!;
    const size = Math.sqrt(f.box.w * f.box.h);
    const truth = temFivePoints(readTem(id));
    const errors = f.landmarks5.map((p, i) => Math.hypot(p[0] - truth[i]![0], p[1] - truth[i]![1]) / size);
    errors.forEach((e, i) => assert.ok(e < 0.05, `portrait ${id} landmark ${i} off by ${(100 * e).toFixed(1)}% of the face`));
    assert.equal(f.landmarks68.length, 68);
    assert.ok(f.score > 0.8);
  }
});

test('the default (tiled) pass still finds one face in a portrait, not fragments of it', async () => {
  const faces = await detect(await loadPortrait('030'));
  assert.equal(faces.length, 1);
});

test('a group of six small faces on one canvas: all found, each where it was pasted', async () => {
  const ids = ['002', '005', '011', '017', '024', '031'];
  const portraits = await Promise.all(ids.map(loadPortrait));
  const img = blank(1600, 1000, 0.45);
  const size = 150; // each 150-px portrait holds a face about 50 px wide (3% of the long side)
  const spots = portraits.map((p, k) => {
    const x = 60 + (k % 3) * 520 + ((k * 37) % 90), y = 80 + Math.floor(k / 3) * 480 + ((k * 53) % 70);
    pasteScaled(img, p, x, y, size);
    return { x, y };
  });
  const t = performance.now();
  const faces = await detect(img);
  console.log(`group of 6 (1600×1000, faces ~50 px): ${faces.length} found in ${(performance.now() - t).toFixed(0)} ms`);
  assert.equal(faces.length, 6);
  for (const s of spots) {
    const hits = faces.filter((f) => {
      const nose = f.landmarks5[2]!;
      return nose[0] > s.x && nose[0] < s.x + size && nose[1] > s.y && nose[1] < s.y + size;
    });
    assert.equal(hits.length, 1, `portrait at ${s.x},${s.y}`);
  }
});

test('no faces: synthetic texture and a landscape photo give []', async () => {
  const noise = blank(800, 600);
  let seed = 7;
  for (let i = 0; i < noise.rgb.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    noise.rgb[i] = 0.3 + 0.4 * ((i / 3) % 800 / 800) + 0.2 * (seed / 2 ** 32 - 0.5);
  }
  assert.deepEqual(await detect(noise), []);
  const land = await loadPhoto(path.join(OLD_PHOTOS, 'AnselAdamsYosemite.jpg'));
  assert.deepEqual(await detect(land), []);
});

test('faces at the border: a face cut by the frame is handled, and align/paste work on it', async () => {
  const full = await loadPortrait('020');
  // Keep x ≥ 560: the face (about x 420..900) loses a third to the left edge.
  const x0 = 560, w = full.width - x0, h = full.height;
  const rgb = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) rgb.set(full.rgb.subarray((y * full.width + x0) * 3, (y * full.width + full.width) * 3), y * w * 3);
  const img = { rgb, width: w, height: h };
  const faces = await detect(img, { tiles: 'off' });
  assert.ok(faces.length <= 1, `${faces.length} faces in a cut portrait`);
  for (const f of faces) {
    assert.ok(f.landmarks68.every(([x, y]) => Number.isFinite(x) && Number.isFinite(y)));
    assert.ok(f.box.x >= -1 && f.box.x + f.box.w <= w + 1, 'box inside the image');
    const a = alignFace(img, f, 256);
    const out = pasteFaces(img, [a]);
    assert.ok(out.every((v) => v >= 0 && v <= 1));
  }
  // The same face touching the right edge but whole is still found.
  const whole = { ...img, rgb: new Float32Array(0), width: 0 };
  const x1 = 380, w1 = 560;
  whole.rgb = new Float32Array(w1 * h * 3);
  whole.width = w1;
  for (let y = 0; y < h; y++) whole.rgb.set(full.rgb.subarray((y * full.width + x1) * 3, (y * full.width + x1 + w1) * 3), y * w1 * 3);
  assert.equal((await detect(whole, { tiles: 'off' })).length, 1);
});

test('1×1 and 3×3 images give [] without crashing; a wrong buffer size is a clear error', async () => {
  assert.deepEqual(await detect(blank(1, 1)), []);
  assert.deepEqual(await detect(blank(3, 3)), []);
  await assert.rejects(detector.detect(new Float32Array(10), 4, 4), /expected 4×4×3/);
});

test('identity descriptors: the same person is closer than two different people', async () => {
  const a = await loadPortrait('005'), b = await loadPortrait('011');
  const t = performance.now();
  const [fa] = await detect(a, { tiles: 'off', descriptors: true });
  console.log(`detect + descriptor on one portrait: ${(performance.now() - t).toFixed(0)} ms`);
  const [fb] = await detect(b, { tiles: 'off' });
  assert.equal(fa!.descriptor!.length, 128);
  const da = fa!.descriptor!, db = await detector.describe(b.rgb, b.width, b.height, fb!);
  // The same photo shifted by (9, 9) px stands in for "same person, another photo"; reuse the landmarks, shifted.
  const shift = 9;
  const shifted = { ...a, rgb: new Float32Array(a.rgb.length).fill(0.5) };
  for (let y = shift; y < a.height; y++) shifted.rgb.set(a.rgb.subarray(((y - shift) * a.width) * 3, ((y - shift) * a.width + a.width - shift) * 3), (y * a.width + shift) * 3);
  const moved = { ...fa!, landmarks68: fa!.landmarks68.map(([x, y]): [number, number] => [x + shift, y + shift]) };
  const ds = await detector.describe(shifted.rgb, shifted.width, shifted.height, moved);
  const dist = (x: Float32Array, y: Float32Array) => Math.hypot(...Array.from(x, (v, i) => v - y[i]!));
  assert.ok(dist(da, ds) < 0.35, `same face: ${dist(da, ds).toFixed(3)}`);
  assert.ok(dist(da, db) > dist(da, ds) + 0.1, `different people: ${dist(da, db).toFixed(3)}`);
});

test('timing on a real old group portrait (measured, not asserted)', async () => {
  for (const name of ['royal_family.jpg']) {
    const d = await loadPhoto(path.join(OLD_PHOTOS, name));
    const t = performance.now();
    const faces = await detect(d);
    console.log(`${name} ${d.width}×${d.height}: ${faces.length} faces in ${(performance.now() - t).toFixed(0)} ms (scores ${faces.map((f) => f.score.toFixed(2)).join(' ')})`);
    assert.ok(faces.length >= 1);
  }
});
