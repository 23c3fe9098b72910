/**
 * High-frequency energy: the mean squared response of the 4-neighbour
 * Laplacian on luma (0..1, BT.601 weights, edge-replicated borders). Noise,
 * grain and sharpening raise it; blur and denoising lower it — the probe for
 * "keep the grain" versus "remove all noise".
 */
export function hfEnergy(rgb: Float32Array, w: number, h: number): number {
  const y = new Float32Array(w * h);
  for (let p = 0; p < w * h; p++) y[p] = 0.299 * rgb[p * 3]! + 0.587 * rgb[p * 3 + 1]! + 0.114 * rgb[p * 3 + 2]!;
  let s = 0;
  for (let r = 0; r < h; r++) {
    const up = Math.max(0, r - 1) * w, dn = Math.min(h - 1, r + 1) * w, row = r * w;
    for (let c = 0; c < w; c++) {
      const l = y[row + Math.max(0, c - 1)]!, rt = y[row + Math.min(w - 1, c + 1)]!;
      const lap = l + rt + y[up + c]! + y[dn + c]! - 4 * y[row + c]!;
      s += lap * lap;
    }
  }
  return s / (w * h);
}
