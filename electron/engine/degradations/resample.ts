/**
 * Separable resampling the way Pillow does it (ImagingResample): each output
 * sample is a normalised weighted sum over a filter whose support widens with
 * the downscale factor, so shrinking is antialiased. The degradation pipeline
 * renders with Pillow in Python; matching its resampler keeps TypeScript
 * renders close to the training data's.
 */

export type ResampleFilter = 'bilinear' | 'bicubic';

const FILTERS: Record<ResampleFilter, { support: number; f: (x: number) => number }> = {
  bilinear: {
    support: 1,
    f: (x) => {
      x = Math.abs(x);
      return x < 1 ? 1 - x : 0;
    },
  },
  bicubic: {
    support: 2,
    f: (x) => {
      const a = -0.5;
      x = Math.abs(x);
      if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
      if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
      return 0;
    },
  },
};

interface Coeffs {
  start: Int32Array;
  count: Int32Array;
  weights: Float64Array[];
}

function coefficients(inSize: number, outSize: number, filter: ResampleFilter): Coeffs {
  const { support: base, f } = FILTERS[filter];
  const scale = inSize / outSize;
  const filterscale = Math.max(1, scale);
  const support = base * filterscale;
  const ss = 1 / filterscale;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights: Float64Array[] = [];
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    const xmin = Math.max(0, Math.trunc(center - support + 0.5));
    const xmax = Math.min(inSize, Math.trunc(center + support + 0.5)) - xmin;
    const k = new Float64Array(Math.max(0, xmax));
    let ww = 0;
    for (let x = 0; x < xmax; x++) {
      k[x] = f((x + xmin - center + 0.5) * ss);
      ww += k[x]!;
    }
    if (ww !== 0) for (let x = 0; x < xmax; x++) k[x]! /= ww;
    start[xx] = xmin;
    count[xx] = Math.max(0, xmax);
    weights.push(k);
  }
  return { start, count, weights };
}

/** Resizes an interleaved (HWC) float image with `ch` channels to nw × nh. */
export function resample(src: Float32Array, w: number, h: number, ch: number, nw: number, nh: number, filter: ResampleFilter = 'bilinear'): Float32Array {
  let cur = src;
  let cw = w;
  if (nw !== w) {
    const c = coefficients(w, nw, filter);
    const out = new Float32Array(nw * h * ch);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < nw; x++) {
        const k = c.weights[x]!, x0 = c.start[x]!, n = c.count[x]!;
        for (let q = 0; q < ch; q++) {
          let s = 0;
          for (let i = 0; i < n; i++) s += k[i]! * cur[(y * w + x0 + i) * ch + q]!;
          out[(y * nw + x) * ch + q] = s;
        }
      }
    cur = out;
    cw = nw;
  }
  if (nh !== h) {
    const c = coefficients(h, nh, filter);
    const out = new Float32Array(cw * nh * ch);
    for (let y = 0; y < nh; y++) {
      const k = c.weights[y]!, y0 = c.start[y]!, n = c.count[y]!;
      for (let x = 0; x < cw; x++)
        for (let q = 0; q < ch; q++) {
          let s = 0;
          for (let i = 0; i < n; i++) s += k[i]! * cur[((y0 + i) * cw + x) * ch + q]!;
          out[(y * cw + x) * ch + q] = s;
        }
    }
    cur = out;
  }
  return cur === src ? src.slice() : cur;
}
