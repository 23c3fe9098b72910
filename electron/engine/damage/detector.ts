/**
 * The damage detector (a model of task 'damage-detector', restora-damage in
 * models/zoo) run over a whole photo of any size in overlapping tiles. Each
 * tile writes only its core (the overlap split half and half between
 * neighbours), so no probabilities are blended or kept for the whole photo:
 * the result is one byte per pixel, a bit per kind of damage.
 */
import { ort } from '../ort.js';
import { RestoraError } from '../../shared/errors.js';
import type { LoadedModel } from '../session-cache.js';
import { planTiles } from '../pipeline/tile-plan.js';
import { DAMAGE_KINDS } from './mask.js';

export interface DetectOptions {
  /** Probability at or above which a pixel is marked (per kind); default: the manifest's semantics.threshold, else 0.5. */
  threshold?: number;
  /** Called after each tile, with where a cancel takes effect. */
  onTile?(done: number, total: number): Promise<void> | void;
}

/** Kind bits per pixel (bit k = DAMAGE_KINDS[k]) for an 8-bit HWC RGB photo. */
export async function detectDamage(model: LoadedModel, rgb8: Uint8Array, width: number, height: number, opts: DetectOptions = {}): Promise<Uint8Array> {
  const tile = model.model.manifest?.tile ?? { size: 256, overlap: 32, multiple: 16 };
  const thr = opts.threshold ?? manifestThreshold(model) ?? 0.5;
  const bits = new Uint8Array(width * height);
  const tiles = planTiles(width, height, tile.size, tile.overlap);
  let done = 0;
  for (const t of tiles) {
    const plane = t.w * t.h;
    const chw = new Float32Array(3 * plane);
    for (let y = 0; y < t.h; y++) {
      for (let x = 0; x < t.w; x++) {
        const p = ((t.y + y) * width + t.x + x) * 3;
        const q = y * t.w + x;
        chw[q] = rgb8[p]! / 255;
        chw[plane + q] = rgb8[p + 1]! / 255;
        chw[2 * plane + q] = rgb8[p + 2]! / 255;
      }
    }
    const out = (await model.session.run({ image: new ort.Tensor('float32', chw, [1, 3, t.h, t.w]) })).damage;
    if (!out || out.dims[1]! < DAMAGE_KINDS.length || out.dims[2] !== t.h || out.dims[3] !== t.w) {
      throw new RestoraError('Internal', `Damage detector ${model.model.id} returned ${out?.dims.join('×')} for a ${t.w}×${t.h} tile`);
    }
    const prob = out.data as Float32Array;
    const half = Math.floor(Math.min(tile.overlap, Math.floor(tile.size / 2)) / 2);
    const x0 = t.x === 0 ? 0 : half, y0 = t.y === 0 ? 0 : half;
    const x1 = t.x + t.w >= width ? t.w : t.w - half, y1 = t.y + t.h >= height ? t.h : t.h - half;
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const q = y * t.w + x;
        let b = 0;
        for (let k = 0; k < DAMAGE_KINDS.length; k++) if (prob[k * plane + q]! >= thr) b |= 1 << k;
        bits[(t.y + y) * width + t.x + x] = b;
      }
    }
    await opts.onTile?.(++done, tiles.length);
  }
  return bits;
}

function manifestThreshold(model: LoadedModel): number | undefined {
  const t = (model.model.manifest?.semantics as { threshold?: unknown } | undefined)?.threshold;
  return typeof t === 'number' && t > 0 && t < 1 ? t : undefined;
}
