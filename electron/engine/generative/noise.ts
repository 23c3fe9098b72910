/**
 * Gaussian noise as a pure function of (seed, pixel position, channel): the
 * refiner's starting noise at a pixel does not depend on how the photo was
 * tiled, so overlapping tiles agree, memory stays bounded by one tile, and the
 * same seed gives bit-identical noise on every run.
 */

/** A 32-bit integer mix with good avalanche (Chris Wellons' lowbias32). */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

function hash(seed: number, x: number, y: number, k: number): number {
  return mix32(seed ^ mix32((x >>> 0) + mix32((y >>> 0) + mix32(k + 0x9e3779b9))));
}

/** One standard-normal draw for channel c of pixel (x, y) (Box–Muller over two hashed uniforms). */
export function gaussianAt(seed: number, x: number, y: number, c: number): number {
  const u1 = (hash(seed, x, y, 2 * c) + 0.5) / 4294967296;
  const u2 = hash(seed, x, y, 2 * c + 1) / 4294967296;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Noise for a w×h tile whose top-left pixel is (x0, y0) in the photo, NCHW (3 planes). */
export function noiseTile(seed: number, x0: number, y0: number, w: number, h: number): Float32Array {
  const plane = w * h;
  const out = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) out[c * plane + y * w + x] = gaussianAt(seed, x0 + x, y0 + y, c);
    }
  }
  return out;
}
