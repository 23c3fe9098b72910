/**
 * Pixel sampling shared by the face modules: bilinear lookups with replicated
 * borders, and an anti-aliased crop-and-resize. Images are HWC RGB Float32
 * in 0..1 (DecodedImage's layout). Coordinates are continuous: pixel (i, j)
 * covers [i, i+1) × [j, j+1), so its centre is (i + 0.5, j + 0.5).
 */

export interface RgbImage {
  rgb: Float32Array;
  width: number;
  height: number;
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Bilinear sample at continuous (x, y), writing 3 channels to out[o..o+2].
 * Outside the image the nearest edge pixel is repeated.
 */
export function sampleBilinear(img: RgbImage, x: number, y: number, out: Float32Array, o: number): void {
  const { rgb, width: w, height: h } = img;
  let fx = x - 0.5, fy = y - 0.5;
  if (fx < 0) fx = 0; else if (fx > w - 1) fx = w - 1;
  if (fy < 0) fy = 0; else if (fy > h - 1) fy = h - 1;
  const x0 = Math.floor(fx), y0 = Math.floor(fy);
  const x1 = x0 + 1 < w ? x0 + 1 : x0, y1 = y0 + 1 < h ? y0 + 1 : y0;
  const ax = fx - x0, ay = fy - y0;
  const p00 = (y0 * w + x0) * 3, p01 = (y0 * w + x1) * 3, p10 = (y1 * w + x0) * 3, p11 = (y1 * w + x1) * 3;
  const w00 = (1 - ax) * (1 - ay), w01 = ax * (1 - ay), w10 = (1 - ax) * ay, w11 = ax * ay;
  for (let c = 0; c < 3; c++) out[o + c] = rgb[p00 + c]! * w00 + rgb[p01 + c]! * w01 + rgb[p10 + c]! * w10 + rgb[p11 + c]! * w11;
}

/**
 * Resamples the region `r` of `img` (may extend past the edges: replicated)
 * to outW × outH. When shrinking, each output pixel averages a k×k grid of
 * bilinear samples over its footprint, so small faces in a big photo do not
 * alias into noise before detection.
 */
export function cropResize(img: RgbImage, r: Rect, outW: number, outH: number): Float32Array {
  const out = new Float32Array(outW * outH * 3);
  const sx = r.w / outW, sy = r.h / outH;
  const kx = Math.min(8, Math.max(1, Math.ceil(sx))), ky = Math.min(8, Math.max(1, Math.ceil(sy)));
  const inv = 1 / (kx * ky);
  const tmp = new Float32Array(3);
  for (let j = 0; j < outH; j++) {
    for (let i = 0; i < outW; i++) {
      let r0 = 0, g0 = 0, b0 = 0;
      for (let b = 0; b < ky; b++) {
        const y = r.y + (j + (b + 0.5) / ky) * sy;
        for (let a = 0; a < kx; a++) {
          sampleBilinear(img, r.x + (i + (a + 0.5) / kx) * sx, y, tmp, 0);
          r0 += tmp[0]!; g0 += tmp[1]!; b0 += tmp[2]!;
        }
      }
      const o = (j * outW + i) * 3;
      out[o] = r0 * inv; out[o + 1] = g0 * inv; out[o + 2] = b0 * inv;
    }
  }
  return out;
}
