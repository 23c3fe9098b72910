/**
 * Gaussian filtering for the degradation ops, with the boundary handling of
 * the Python reference: scipy.ndimage.gaussian_filter (truncate 4, "reflect"
 * = half-sample symmetric) for grain, numpy "reflect" padding (whole-sample
 * symmetric) for the blur kernel.
 */

/** Index into [0, n) mirrored about the edge samples (numpy pad 'reflect': d c b | a b c d | c b a). */
export function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  i = ((i % period) + period) % period;
  return i < n ? i : period - i;
}

/** Index into [0, n) mirrored about the edge (scipy 'reflect': c b a | a b c | c b a). */
export function symmetricIndex(i: number, n: number): number {
  const period = 2 * n;
  i = ((i % period) + period) % period;
  return i < n ? i : period - 1 - i;
}

function kernel1d(sigma: number, radius: number): Float64Array {
  const k = new Float64Array(2 * radius + 1);
  let s = 0;
  for (let i = -radius; i <= radius; i++) s += k[i + radius] = Math.exp((-0.5 * i * i) / (sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i]! /= s;
  return k;
}

/** scipy.ndimage.gaussian_filter on one plane (h × w), mode 'reflect', truncate 4. */
export function gaussianFilterPlane(src: Float32Array, w: number, h: number, sigma: number): Float32Array {
  if (sigma <= 0) return src.slice();
  const radius = Math.trunc(4 * sigma + 0.5);
  const k = kernel1d(sigma, radius);
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  const xi = Int32Array.from({ length: w + 2 * radius }, (_, i) => symmetricIndex(i - radius, w));
  const yi = Int32Array.from({ length: h + 2 * radius }, (_, i) => symmetricIndex(i - radius, h));
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let d = 0; d <= 2 * radius; d++) s += k[d]! * src[y * w + xi[x + d]!]!;
      tmp[y * w + x] = s;
    }
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let d = 0; d <= 2 * radius; d++) s += k[d]! * tmp[yi[y + d]! * w + x]!;
      out[y * w + x] = s;
    }
  return out;
}

/** The normalised Gaussian kernel of the blur op: σx, σy along axes rotated by theta, radius min(20, ceil(3 max σ)). */
export function orientedGaussianKernel(sx: number, sy: number, theta: number): { size: number; k: Float64Array } {
  const rad = Math.min(20, Math.ceil(3 * Math.max(sx, sy)));
  const size = 2 * rad + 1;
  const k = new Float64Array(size * size);
  const c = Math.cos(theta), s = Math.sin(theta);
  let sum = 0;
  for (let j = 0; j < size; j++)
    for (let i = 0; i < size; i++) {
      const xx = i - rad, yy = j - rad;
      const u = c * xx + s * yy, v = -s * xx + c * yy;
      sum += k[j * size + i] = Math.exp(-0.5 * ((u / sx) ** 2 + (v / sy) ** 2));
    }
  for (let i = 0; i < k.length; i++) k[i]! /= sum;
  return { size, k };
}

/**
 * Convolves HWC RGB with a square kernel under numpy-'reflect' padding. The
 * kernel is point-symmetric, so convolution equals correlation; when the
 * kernel is axis-aligned (theta = 0) it is separable and runs in two passes.
 */
export function convolveReflect(src: Float32Array, w: number, h: number, kernel: { size: number; k: Float64Array }, separable: boolean): Float32Array {
  const { size, k } = kernel;
  const rad = (size - 1) / 2;
  const xi = Int32Array.from({ length: w + 2 * rad }, (_, i) => reflectIndex(i - rad, w));
  const yi = Int32Array.from({ length: h + 2 * rad }, (_, i) => reflectIndex(i - rad, h));
  const out = new Float32Array(src.length);
  if (separable) {
    // k[j][i] = kx[i] * ky[j] up to normalisation: recover the factors from the centre row/column.
    const kx = new Float64Array(size), ky = new Float64Array(size);
    let sx = 0, sy = 0;
    for (let i = 0; i < size; i++) (sx += kx[i] = k[rad * size + i]!), (sy += ky[i] = k[i * size + rad]!);
    for (let i = 0; i < size; i++) (kx[i]! /= sx), (ky[i]! /= sy);
    const tmp = new Float32Array(src.length);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let c = 0; c < 3; c++) {
          let s = 0;
          for (let d = 0; d < size; d++) s += kx[d]! * src[(y * w + xi[x + d]!) * 3 + c]!;
          tmp[(y * w + x) * 3 + c] = s;
        }
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let c = 0; c < 3; c++) {
          let s = 0;
          for (let d = 0; d < size; d++) s += ky[d]! * tmp[(yi[y + d]! * w + x) * 3 + c]!;
          out[(y * w + x) * 3 + c] = s;
        }
    return out;
  }
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let r = 0, g = 0, b = 0;
      for (let j = 0; j < size; j++) {
        const row = yi[y + j]! * w;
        for (let i = 0; i < size; i++) {
          const kv = k[j * size + i]!;
          const p = (row + xi[x + i]!) * 3;
          r += kv * src[p]!;
          g += kv * src[p + 1]!;
          b += kv * src[p + 2]!;
        }
      }
      out[(y * w + x) * 3] = r;
      out[(y * w + x) * 3 + 1] = g;
      out[(y * w + x) * 3 + 2] = b;
    }
  return out;
}
