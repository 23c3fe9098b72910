/**
 * The photo's global tone (fading, sepia, colour casts), judged once per photo:
 * the tone model reads a small copy of the whole photo and the integrator's
 * latent queries ("keep the sepia", "leave the fading", "gently") and returns
 * one 3×4 colour matrix; every tile and face crop is corrected with that same
 * matrix before the restorer sees it, so tiles agree and a tile never has to
 * guess the colour of a photo it sees a corner of. Python twin:
 * models/restora_models/tone_arch.py (thumbnail, apply_tone).
 */
import { ort } from '../ort.js';
import type { LoadedModel } from '../session-cache.js';
import { RestoraError } from '../../shared/errors.js';
import { resizeBilinear } from './integrator.js';
import { toUnitFloat } from '../pipeline/image-buffer.js';

/**
 * A size×size HWC copy of a whole HWC RGB image, aspect ignored: area averages
 * (each output pixel the mean of the input rectangle adaptive average pooling
 * assigns it) when both sides are at least `size`, bilinear otherwise.
 */
export function toneThumbnail(rgb: Float32Array | Uint8Array, w: number, h: number, size: number): Float32Array {
  const scale = rgb instanceof Uint8Array ? 1 / 255 : 1;
  if (w < size || h < size) {
    return resizeBilinear(rgb instanceof Uint8Array ? toUnitFloat(rgb) : rgb, w, h, size, size);
  }
  const out = new Float32Array(size * size * 3);
  // Rows first: sum each output row band, then columns within it.
  for (let oy = 0; oy < size; oy++) {
    const y0 = Math.floor((oy * h) / size), y1 = Math.ceil(((oy + 1) * h) / size);
    const band = new Float64Array(w * 3);
    for (let y = y0; y < y1; y++) {
      const base = y * w * 3;
      for (let i = 0; i < w * 3; i++) band[i]! += rgb[base + i]!;
    }
    for (let ox = 0; ox < size; ox++) {
      const x0 = Math.floor((ox * w) / size), x1 = Math.ceil(((ox + 1) * w) / size);
      const n = (y1 - y0) * (x1 - x0);
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let x = x0; x < x1; x++) s += band[x * 3 + c]!;
        out[(oy * size + ox) * 3 + c] = (s / n) * scale;
      }
    }
  }
  return out;
}

/** y = clamp(M[:, :3]·rgb + M[:, 3], 0, 1) in place on HWC floats; m is row-major 3×4. */
export function applyTone(rgb: Float32Array, m: Float32Array): Float32Array {
  for (let p = 0; p < rgb.length; p += 3) {
    const r = rgb[p]!, g = rgb[p + 1]!, b = rgb[p + 2]!;
    for (let c = 0; c < 3; c++) {
      const v = m[c * 4]! * r + m[c * 4 + 1]! * g + m[c * 4 + 2]! * b + m[c * 4 + 3]!;
      rgb[p + c] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  }
  return rgb;
}

/** True when the matrix leaves colours as they are (to within 8-bit rounding). */
export function isIdentityTone(m: Float32Array): boolean {
  for (let i = 0; i < 12; i++) if (Math.abs(m[i]! - (i % 5 === 0 ? 1 : 0)) > 1e-3) return false;
  return true;
}

export class ToneEstimator {
  readonly size: number;

  constructor(private readonly loaded: LoadedModel) {
    const shape = loaded.model.manifest?.inputs.find((i) => i.name === 'image')?.shape;
    const s = shape?.[2];
    if (typeof s !== 'number' || s < 16) throw new RestoraError('CorruptInput', `Model ${loaded.model.id}: its manifest gives no fixed image size`);
    this.size = s;
  }

  get model() {
    return this.loaded.model;
  }

  /** The 3×4 matrix (row-major) for a photo, from its thumbnail (HWC size×size) and queries [K, dq]. */
  async estimate(thumb: Float32Array, queries: Float32Array, K: number, dq: number): Promise<Float32Array> {
    const s = this.size, plane = s * s;
    if (thumb.length !== plane * 3) throw new RestoraError('Internal', `Tone thumbnail has ${thumb.length} values, expected ${plane * 3}`);
    const chw = new Float32Array(3 * plane);
    for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) chw[c * plane + p] = thumb[p * 3 + c]!;
    const out = await this.loaded.session.run({
      image: new ort.Tensor('float32', chw, [1, 3, s, s]),
      queries: new ort.Tensor('float32', queries, [1, K, dq]),
    });
    const m = out.matrix?.data as Float32Array | undefined;
    if (!m || m.length !== 12 || !m.every(Number.isFinite)) throw new RestoraError('Internal', `Tone model ${this.loaded.model.id} returned no usable 3×4 matrix`);
    return Float32Array.from(m);
  }
}
