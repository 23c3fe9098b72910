import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignFace, applyAffine, invertAffine, similarityTransform, templateFor, unwarpCrop, type Affine } from '../../../electron/engine/faces/align.js';
import { templateMask } from '../../../electron/engine/faces/paste-back.js';
import type { Point } from '../../../electron/engine/types.js';
import { blank, loadPortrait, psnr, readTem, temFivePoints } from './fixtures.js';

test('the least-squares similarity recovers a known rotation, scale and shift exactly', () => {
  const angle = 0.35, scale = 1.7, t: Point = [40, -12];
  const truth: Affine = [scale * Math.cos(angle), -scale * Math.sin(angle), t[0], scale * Math.sin(angle), scale * Math.cos(angle), t[1]];
  const src: Point[] = [[10, 20], [50, 22], [30, 40], [15, 60], [48, 58]];
  const m = similarityTransform(src, src.map((p) => applyAffine(truth, p)));
  m.forEach((v, i) => assert.ok(Math.abs(v - truth[i]!) < 1e-9, `coefficient ${i}: ${v} vs ${truth[i]}`));
  const back = invertAffine(m);
  for (const p of src) {
    const q = applyAffine(back, applyAffine(m, p));
    assert.ok(Math.hypot(q[0] - p[0], q[1] - p[1]) < 1e-9);
  }
});

test('a real face lands on the FFHQ template: eyes level, landmarks near their template spots', async () => {
  const img = await loadPortrait('001');
  const five = temFivePoints(readTem('001'));
  const a = alignFace(img, five, 512);
  const tpl = templateFor(512);
  five.forEach((p, i) => {
    const q = applyAffine(a.toCrop, p);
    assert.ok(Math.hypot(q[0] - tpl[i]![0], q[1] - tpl[i]![1]) < 20, `landmark ${i} at ${q} vs ${tpl[i]}`);
  });
  const [l, r] = [applyAffine(a.toCrop, five[0]!), applyAffine(a.toCrop, five[1]!)];
  const tilt = (Math.atan2(r[1] - l[1], r[0] - l[0]) * 180) / Math.PI;
  assert.ok(Math.abs(tilt) < 2, `eye line tilted ${tilt.toFixed(2)}° after alignment`);
  assert.equal(a.crop.length, 512 * 512 * 3);
  // Crop sizes other than 512 put the landmarks at the scaled template.
  const small = alignFace(img, five, 256);
  const q = applyAffine(small.toCrop, five[0]!);
  assert.ok(Math.abs(q[0] - applyAffine(a.toCrop, five[0]!)[0] / 2) < 1e-6);
});

test('align then inverse-align reproduces the face region (PSNR > 30 dB inside the paste mask)', async () => {
  const img = await loadPortrait('010');
  for (const size of [512, 256]) {
    const a = alignFace(img, temFivePoints(readTem('010')), size);
    const { region, rgb } = unwarpCrop(a, img.width, img.height);
    const orig = new Float32Array(region.w * region.h * 3), weight = new Float32Array(region.w * region.h);
    for (let j = 0; j < region.h; j++) {
      for (let i = 0; i < region.w; i++) {
        const p = j * region.w + i;
        for (let c = 0; c < 3; c++) orig[p * 3 + c] = img.rgb[((region.y + j) * img.width + region.x + i) * 3 + c]!;
        const [u, v] = applyAffine(a.toCrop, [region.x + i + 0.5, region.y + j + 0.5]);
        weight[p] = templateMask(u / size, v / size) >= 1 ? 1 : 0;
      }
    }
    const db = psnr(rgb, orig, weight);
    assert.ok(db > 30, `round trip at ${size}: ${db.toFixed(1)} dB`);
  }
});

test('faces at the border: the crop replicates edge pixels instead of reading out of bounds', async () => {
  const img = await loadPortrait('020');
  // Shift the landmarks so the face hangs 40% off the left edge.
  const five = temFivePoints(readTem('020')).map(([x, y]): Point => [x - 600, y]);
  const a = alignFace(img, five, 256);
  assert.ok(a.crop.every((v) => Number.isFinite(v) && v >= 0 && v <= 1));
});

test('1×1 and 3×3 images align without crashing', () => {
  for (const n of [1, 3]) {
    const img = blank(n, n, 0.25);
    const a = alignFace(img, [[0.3, 0.4], [0.7, 0.4], [0.5, 0.55], [0.35, 0.75], [0.65, 0.75]], 64);
    assert.ok(a.crop.every((v) => Math.abs(v - 0.25) < 1e-6));
    const back = unwarpCrop(a, n, n);
    assert.ok(back.rgb.every((v) => Math.abs(v - 0.25) < 1e-6));
  }
  assert.throws(() => alignFace(blank(4, 4), [[0, 0], [1, 1]]), /5 landmarks/);
});
