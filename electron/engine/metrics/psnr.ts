/**
 * The image metric the app itself computes at run time: PSNR, with which
 * fine-tuning checks an adapter on held-out photos. The benchmarks' fuller
 * set (SSIM, PSNR-Y, NIQE, HF energy) lives in devkit/metrics and uses this
 * same PSNR.
 */

/** Throws unless both inputs hold the same, non-zero number of values. */
export function checkSameSize(a: Float32Array, b: Float32Array): void {
  if (a.length !== b.length || a.length === 0) throw new Error(`metric inputs differ in size (${a.length} vs ${b.length}) or are empty`);
}

/** Mean squared difference over all values. */
export function meanSquared(a: Float32Array, b: Float32Array): number {
  checkSameSize(a, b);
  let se = 0;
  for (let i = 0; i < a.length; i++) se += (a[i]! - b[i]!) ** 2;
  return se / a.length;
}

/** PSNR in dB over all values for a 0..1 signal; Infinity when identical. */
export function psnr(a: Float32Array, b: Float32Array): number {
  const mse = meanSquared(a, b);
  return mse === 0 ? Infinity : -10 * Math.log10(mse);
}
