/**
 * The classical baseline restorer: a 3×3 median (removes dust, salt-and-pepper
 * and fine scratches' speckle) followed by an unsharp mask. It is what the
 * models must beat in the quality benchmark, and what the engine uses when no
 * restorer model is installed. Works on HWC float RGB tiles.
 */
import type { TileRestorer } from '../types.js';

export function median3(img: Float32Array, w: number, h: number, ch: number): Float32Array {
  const out = new Float32Array(img.length);
  const win = new Float32Array(9);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < ch; c++) {
        let n = 0;
        for (let dy = -1; dy <= 1; dy++) {
          const yy = Math.min(h - 1, Math.max(0, y + dy));
          for (let dx = -1; dx <= 1; dx++) {
            const xx = Math.min(w - 1, Math.max(0, x + dx));
            win[n++] = img[(yy * w + xx) * ch + c]!;
          }
        }
        out[(y * w + x) * ch + c] = sortedMiddle(win);
      }
    }
  }
  return out;
}

function sortedMiddle(a: Float32Array): number {
  // Insertion sort of 9 values: faster than a generic sort for this size.
  for (let i = 1; i < 9; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
  return a[4]!;
}

export function blur3(img: Float32Array, w: number, h: number, ch: number): Float32Array {
  const k = [0.25, 0.5, 0.25];
  const tmp = new Float32Array(img.length);
  const out = new Float32Array(img.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < ch; c++) {
        let s = 0;
        for (let d = -1; d <= 1; d++) s += k[d + 1]! * img[(y * w + Math.min(w - 1, Math.max(0, x + d))) * ch + c]!;
        tmp[(y * w + x) * ch + c] = s;
      }
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < ch; c++) {
        let s = 0;
        for (let d = -1; d <= 1; d++) s += k[d + 1]! * tmp[(Math.min(h - 1, Math.max(0, y + d)) * w + x) * ch + c]!;
        out[(y * w + x) * ch + c] = s;
      }
  return out;
}

/** Median then unsharp mask with the given amount. */
export function classicalRestore(img: Float32Array, w: number, h: number, ch: number, amount = 0.6): Float32Array {
  const med = median3(img, w, h, ch);
  const soft = blur3(med, w, h, ch);
  const out = new Float32Array(img.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.min(1, Math.max(0, med[i]! + amount * (med[i]! - soft[i]!)));
  return out;
}

/** The classical baseline as the pipeline's tile strategy, named as such in the recipe. */
export function classicalRestorer(): TileRestorer {
  return {
    models: [{ id: 'classical-median-unsharp', version: '1', sha256: '' }],
    semanticTokens: [],
    provider: 'cpu',
    tileSize: 256,
    overlap: 8,
    restoreTile: async (rgb, w, h) => classicalRestore(rgb, w, h, 3),
  };
}
