import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FACE_MASK, PASTE_MASK, faceMask, pasteFaces, templateMask } from '../../../electron/engine/faces/paste-back.js';
import { alignFace, FFHQ_TEMPLATE_512 } from '../../../electron/engine/faces/align.js';
import type { Point, RgbImage } from '../../../electron/engine/types.js';
import { blank, loadPortrait, readTem, temFivePoints } from './fixtures.js';
import { blurRgb } from '../../../electron/engine/faces/resample.js';

/** The portrait at half size (675²) keeps these tests quick. */
async function halfPortrait(id: string): Promise<{ img: RgbImage; five: Point[] }> {
  const full = await loadPortrait(id);
  const w = full.width >> 1, h = full.height >> 1;
  const rgb = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) {
    let s = 0;
    for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) s += full.rgb[((2 * y + dy!) * full.width + 2 * x + dx!) * 3 + c]!;
    rgb[(y * w + x) * 3 + c] = s / 4;
  }
  return { img: { rgb, width: w, height: h }, five: temFivePoints(readTem(id)).map(([x, y]): Point => [x / 2, y / 2]) };
}

function weightedMean(rgb: Float32Array, weight: Float32Array): number[] {
  const m = [0, 0, 0];
  let ws = 0;
  for (let p = 0; p < weight.length; p++) {
    ws += weight[p]!;
    for (let c = 0; c < 3; c++) m[c]! += weight[p]! * rgb[p * 3 + c]!;
  }
  return m.map((v) => v / ws);
}

test('pasting back an unmodified crop changes the image by < 1/255 and leaves the outside bit-identical', async () => {
  const { img, five } = await halfPortrait('001');
  const a = alignFace(img, five, 512);
  const mask = faceMask(img.width, img.height, [{ landmarks5: five }], PASTE_MASK);
  for (const colorMatch of ['none', 'mean-std', 'low-freq'] as const) {
    const out = pasteFaces(img, [a], { colorMatch });
    let diff = 0, inside = 0, insideN = 0;
    for (let p = 0; p < mask.length; p++) {
      for (let c = 0; c < 3; c++) {
        const d = Math.abs(out[p * 3 + c]! - img.rgb[p * 3 + c]!);
        diff += d;
        if (mask[p]! > 0) { inside += d; insideN++; }
        if (mask[p] === 0) assert.equal(out[p * 3 + c], img.rgb[p * 3 + c], `pixel ${p} outside the mask changed`);
      }
    }
    assert.ok(diff / img.rgb.length < 1 / 255, `${colorMatch}: mean change ${(diff / img.rgb.length) * 255} / 255`);
    assert.ok(inside / insideN < 2 / 255, `${colorMatch}: mean change inside the mask ${(inside / insideN) * 255} / 255`);
    assert.ok(insideN > 0.1 * img.rgb.length, 'the mask covers the face');
  }
});

test('colour matching moves a tinted restored crop back to the photo\'s colours', async () => {
  const { img, five } = await halfPortrait('010');
  const a = alignFace(img, five, 256);
  const tinted = a.crop.map((v, i) => (i % 3 === 0 ? 0.6 * v : i % 3 === 2 ? Math.min(1, v + 0.15) : v));
  // Colour statistics are taken over the face oval (faceMask's default shape), weighted by it.
  const inner = faceMask(img.width, img.height, [{ landmarks5: five }]);
  const want = weightedMean(img.rgb, inner);
  const matched = weightedMean(pasteFaces(img, [{ ...a, crop: tinted }], { colorMatch: 'mean-std' }), inner);
  const meanOnly = weightedMean(pasteFaces(img, [{ ...a, crop: tinted }], { colorMatch: 'mean' }), inner);
  const lowFreq = weightedMean(pasteFaces(img, [{ ...a, crop: tinted }], { colorMatch: 'low-freq' }), inner);
  const raw = weightedMean(pasteFaces(img, [{ ...a, crop: tinted }], { colorMatch: 'none' }), inner);
  for (let c = 0; c < 3; c++) {
    assert.ok(Math.abs(matched[c]! - want[c]!) < 0.01, `mean-std channel ${c}: ${matched[c]} vs ${want[c]}`);
    assert.ok(Math.abs(meanOnly[c]! - want[c]!) < 0.01, `mean channel ${c}: ${meanOnly[c]} vs ${want[c]}`);
    assert.ok(Math.abs(lowFreq[c]! - want[c]!) < 0.01, `low-freq channel ${c}: ${lowFreq[c]} vs ${want[c]}`);
  }
  assert.ok(Math.abs(raw[0]! - want[0]!) > 0.05, 'without matching the tint shows');
});

test('several faces: each region takes its restored crop, the rest stays untouched', async () => {
  const { img: face } = await halfPortrait('020');
  const five20 = temFivePoints(readTem('020')).map(([x, y]): Point => [x / 4, y / 4]);
  // Two copies of the face (at 1/4 size) side by side on a grey canvas.
  const img = blank(700, 360, 0.5);
  const placed: Point[][] = [];
  for (const [ox, oy] of [[10, 10], [360, 20]] as const) {
    for (let y = 0; y < 337; y++) for (let x = 0; x < 337; x++) for (let c = 0; c < 3; c++) {
      img.rgb[((y + oy) * img.width + x + ox) * 3 + c] = face.rgb[((2 * y) * face.width + 2 * x) * 3 + c]!;
    }
    placed.push(five20.map(([x, y]): Point => [x + ox, y + oy]));
  }
  const aligned = placed.map((p) => alignFace(img, p, 128));
  const flat = aligned.map((a, k) => ({ ...a, crop: new Float32Array(a.crop.length).fill(k === 0 ? 0.1 : 0.9) }));
  const out = pasteFaces(img, flat, { colorMatch: 'none' });
  const mask = faceMask(img.width, img.height, placed.map((landmarks5) => ({ landmarks5 })), PASTE_MASK);
  for (const [k, p] of placed.entries()) {
    const [nx, ny] = p[2]!.map(Math.round) as [number, number];
    assert.ok(Math.abs(out[(ny * img.width + nx) * 3]! - (k === 0 ? 0.1 : 0.9)) < 1e-5, `face ${k} replaced at its nose`);
    assert.ok(mask[ny * img.width + nx]! === 1);
  }
  for (let q = 0; q < mask.length; q++) {
    if (mask[q] === 0) for (let c = 0; c < 3; c++) assert.equal(out[q * 3 + c], img.rgb[q * 3 + c]);
    else assert.ok(mask[q]! > 0 && mask[q]! <= 1);
  }
});

test('the face mask is soft: 1 over the face, ramping to 0 with no hard box edge', () => {
  assert.equal(templateMask(0.5, 0.5), 1);
  assert.equal(templateMask(0.01, 0.5), 0);
  assert.equal(templateMask(0.03, 0.03), 0);
  // Along a line from the centre to the edge the mask never increases and steps by small amounts.
  let prev = 1;
  for (let u = 0.5; u >= 0; u -= 0.005) {
    const k = templateMask(u, 0.5);
    assert.ok(k <= prev + 1e-12 && prev - k < 0.1, `mask jumps at u=${u}`);
    prev = k;
  }
  // The face oval holds all five landmarks fully and lies inside the paste region.
  for (const [x, y] of FFHQ_TEMPLATE_512) assert.equal(templateMask(x / 512, y / 512, FACE_MASK), 1);
  for (let u = 0; u <= 1; u += 0.02) for (let v = 0; v <= 1; v += 0.02) assert.ok(templateMask(u, v, FACE_MASK) === 0 || templateMask(u, v, PASTE_MASK) > 0.3, `oval outside the paste region at ${u},${v}`);
  assert.equal(templateMask(0.1, 0.1, FACE_MASK), 0);
  const five: Point[] = [[40, 48], [62, 48], [51, 62], [42, 74], [60, 74]];
  const m = faceMask(100, 120, [{ landmarks5: five }]);
  assert.equal(m.length, 100 * 120);
  assert.equal(m[0], 0);
  assert.equal(m[62 * 100 + 51], 1, 'the nose is fully inside');
});

test('1×1 and 3×3 images: paste-back and masks do not crash', () => {
  for (const n of [1, 3]) {
    const img = blank(n, n, 0.3);
    const five: Point[] = [[0.3 * n, 0.4 * n], [0.7 * n, 0.4 * n], [0.5 * n, 0.55 * n], [0.35 * n, 0.75 * n], [0.65 * n, 0.75 * n]];
    const a = alignFace(img, five, 32);
    const out = pasteFaces(img, [{ ...a, crop: new Float32Array(a.crop.length).fill(0.6) }]);
    assert.equal(out.length, n * n * 3);
    assert.ok(out.every((v) => Number.isFinite(v) && v >= 0 && v <= 1));
    assert.equal(faceMask(n, n, [{ landmarks5: five }]).length, n * n);
    assert.deepEqual(Array.from(pasteFaces(img, [])), Array.from(img.rgb));
  }
});

test('low-frequency matching keeps the restored crop\'s fine detail', async () => {
  const { img, five } = await halfPortrait('030');
  const a = alignFace(img, five, 256);
  // A restorer that adds fine stripes (detail, 2 crop px ≈ 3 photo px wide) and a strong tint (drift).
  const restored = a.crop.map((v, i) => {
    const x = Math.floor(i / 3) % 256;
    return Math.min(1, Math.max(0, 0.7 * v + 0.2 + ((x >> 1) & 1 ? 0.08 : -0.08)));
  });
  const out = pasteFaces(img, [{ ...a, crop: restored }], { colorMatch: 'low-freq' });
  const mask = faceMask(img.width, img.height, [{ landmarks5: five }]);
  // Neighbouring pixels inside the face differ more than in the photo: the added detail survived.
  const roughness = (rgb: Float32Array) => {
    let s = 0, n = 0;
    for (let p = 0; p < mask.length - 1; p++) if (mask[p] === 1 && mask[p + 1] === 1) { s += Math.abs(rgb[p * 3 + 1]! - rgb[(p + 1) * 3 + 1]!); n++; }
    return s / n;
  };
  const unmatched = pasteFaces(img, [{ ...a, crop: restored }], { colorMatch: 'none' });
  assert.ok(roughness(out) > roughness(img.rgb) + 0.02, `detail lost: ${roughness(out)} vs ${roughness(img.rgb)}`);
  assert.ok(roughness(out) > 0.8 * roughness(unmatched), `detail weakened: ${roughness(out)} vs ${roughness(unmatched)}`);
});

test('the blur used for low frequencies keeps flat areas flat and spreads an impulse symmetrically', () => {
  const w = 21, h = 15;
  const flat = new Float32Array(w * h * 3).fill(0.4);
  assert.ok(blurRgb(flat, w, h, 3).every((v) => Math.abs(v - 0.4) < 1e-6));
  const dot = new Float32Array(w * h * 3);
  dot[(7 * w + 10) * 3] = 1;
  const b = blurRgb(dot, w, h, 2);
  const at = (x: number, y: number) => b[(y * w + x) * 3]!;
  assert.ok(at(10, 7) < 0.2 && at(10, 7) > at(12, 7) && Math.abs(at(8, 7) - at(12, 7)) < 1e-6 && Math.abs(at(10, 5) - at(10, 9)) < 1e-6);
  assert.ok(Math.abs(b.reduce((s, v) => s + v, 0) - 1) < 1e-4, 'energy preserved');
});

test('pasted as a change (before), an unmodified crop leaves the face exactly as it was: its detail is not resampled', async () => {
  const { img, five } = await halfPortrait('002');
  // a small face (as in a group photo) enlarged to the 512 crop: the round trip through the crop softens it
  const a = alignFace(img, five, 512);
  const hfInside = (rgb: Float32Array, mask: Float32Array) => {
    let s = 0, n = 0;
    for (let y = 1; y < img.height - 1; y++) for (let x = 1; x < img.width - 1; x++) {
      const p = y * img.width + x;
      if (mask[p]! < 1) continue;
      const g = (q: number) => rgb[q * 3 + 1]!;
      s += (4 * g(p) - g(p - 1) - g(p + 1) - g(p - img.width) - g(p + img.width)) ** 2;
      n++;
    }
    return s / n;
  };
  const inner = faceMask(img.width, img.height, [{ landmarks5: five }]);
  const resampled = pasteFaces(img, [a], { colorMatch: 'none' });
  const asChange = pasteFaces(img, [{ ...a, before: a.crop }], { colorMatch: 'none' });
  let maxDiff = 0;
  for (let i = 0; i < img.rgb.length; i++) maxDiff = Math.max(maxDiff, Math.abs(asChange[i]! - img.rgb[i]!));
  assert.ok(maxDiff < 1e-5, `pasted as a change, the face moved by ${maxDiff}`);
  assert.ok(hfInside(resampled, inner) < 0.97 * hfInside(img.rgb, inner), 'the plain paste resamples the face (the case this guards against)');
  // a change in the crop still arrives: a brighter crop brightens the face
  const brighter = pasteFaces(img, [{ ...a, crop: a.crop.map((v) => Math.min(1, v + 0.1)), before: a.crop }], { colorMatch: 'none' });
  assert.ok(weightedMean(brighter, inner)[1]! - weightedMean(img.rgb, inner)[1]! > 0.05, 'the restorer\'s change is pasted');
});
