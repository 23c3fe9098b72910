/** PSNR and SSIM (RGB and BT.601 Y) and high-frequency energy: exact values on cases worked by hand. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { psnr, psnrY, ssimRgb, ssimY, ssimPlane, lumaY, hfEnergy } from '../../../devkit/metrics/index.js';
import { gaussianBlock } from '../../../electron/engine/degradations/index.js';

const fill = (n: number, v: number) => new Float32Array(n).fill(v);
function photo(w: number, h: number): Float32Array {
  const a = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) a[(y * w + x) * 3 + c] = 0.5 + 0.3 * Math.sin(x / (3 + c)) * Math.cos(y / 4);
  return a;
}
function noisy(a: Float32Array, sigma: number, seed: number): Float32Array {
  const z = gaussianBlock(seed, a.length);
  return a.map((v, i) => Math.min(1, Math.max(0, v + sigma * z[i]!)));
}

test('PSNR: identical images are Infinity; a uniform 0.1 error is exactly 20 dB', () => {
  const a = photo(13, 9);
  assert.equal(psnr(a, a.slice()), Infinity);
  assert.ok(Math.abs(psnr(fill(30, 0.2), fill(30, 0.3)) - 20) < 1e-5);
  assert.ok(Math.abs(psnr(fill(30, 0), fill(30, 0.01)) - 40) < 1e-4);
  assert.throws(() => psnr(fill(3, 0), fill(6, 0)), /differ in size/);
});

test('PSNR-Y uses studio-range BT.601 luma: an equal shift d in R, G, B moves Y by d·219/255', () => {
  assert.ok(Math.abs(lumaY(Float32Array.of(0, 0, 0))[0]! - 16 / 255) < 1e-7);
  assert.ok(Math.abs(lumaY(Float32Array.of(1, 1, 1))[0]! - 235 / 255) < 1e-6);
  const d = 0.1;
  const expected = -10 * Math.log10((d * 219 / 255) ** 2);
  assert.ok(Math.abs(psnrY(fill(12, 0.4), fill(12, 0.4 + d)) - expected) < 1e-4);
  // A pure chroma change that keeps Y: weights (65.481, 128.553, 24.966) → ΔR·65.481 = −ΔB·24.966.
  const b = Float32Array.of(0.5, 0.5, 0.5), c = Float32Array.of(0.5 + 0.024966, 0.5, 0.5 - 0.065481);
  assert.equal(psnrY(b, c) > 80, true);
  assert.ok(psnr(b, c) < 40);
});

test('SSIM: identical = 1; flat images follow the luminance term exactly; symmetric; falls with noise', () => {
  const a = photo(40, 30);
  assert.ok(Math.abs(ssimRgb(a, a.slice(), 40, 30) - 1) < 1e-12);
  assert.ok(Math.abs(ssimY(a, a.slice(), 40, 30) - 1) < 1e-12);
  const C1 = 0.01 ** 2;
  const flat = ssimPlane(fill(400, 0.5), fill(400, 0.6), 20, 20);
  assert.ok(Math.abs(flat - (2 * 0.5 * 0.6 + C1) / (0.5 ** 2 + 0.6 ** 2 + C1)) < 1e-6); // 0.6 is stored as float32
  const n1 = noisy(a, 0.02, 1), n2 = noisy(a, 0.1, 2);
  assert.ok(Math.abs(ssimRgb(a, n1, 40, 30) - ssimRgb(n1, a, 40, 30)) < 1e-12);
  assert.ok(ssimRgb(a, n1, 40, 30) > ssimRgb(a, n2, 40, 30));
  assert.ok(ssimY(a, n2, 40, 30) < 0.9);
});

test('SSIM works on images smaller than its 11×11 window, down to 1×1', () => {
  for (const [w, h] of [[5, 5], [1, 9], [2, 2], [1, 1]] as const) {
    const a = photo(w, h);
    assert.ok(Math.abs(ssimRgb(a, a.slice(), w, h) - 1) < 1e-12, `${w}×${h}`);
    assert.ok(Number.isFinite(ssimRgb(a, noisy(a, 0.1, 3), w, h)));
  }
});

test('HF energy: 0 on a flat image, grows with noise, shrinks when detail is smoothed', () => {
  assert.equal(hfEnergy(fill(48, 0.3), 4, 4), 0);
  const a = photo(32, 32);
  const e0 = hfEnergy(a, 32, 32);
  assert.ok(hfEnergy(noisy(a, 0.03, 4), 32, 32) > 10 * e0);
  // 1-pixel checkerboard in luma: Laplacian ±8·0.5 = ±4 everywhere inside → energy near 16.
  const chk = new Float32Array(16 * 16 * 3);
  for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) chk.fill((x + y) % 2, (y * 16 + x) * 3, (y * 16 + x) * 3 + 3);
  const e = hfEnergy(chk, 16, 16);
  assert.ok(e > 12 && e <= 16, `${e}`);
});
