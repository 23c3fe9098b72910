/**
 * The damage detector (a model of task 'damage-detector', restora-damage in
 * models/zoo) run over a whole photo of any size in overlapping tiles. Each
 * tile writes only its core (the overlap split half and half between
 * neighbours), so no probabilities are blended or kept for the whole photo:
 * the result is one byte per pixel, a bit per kind of damage.
 *
 * Marking is by hysteresis, as edge detectors do: a pixel at or above the
 * threshold marks damage, and so does one at or above the lower threshold
 * that is connected to it (8-neighbours, same kind) — a long scratch whose
 * probability fades along its length is followed to its end, while faint,
 * isolated responses on texture stay unmarked. Probabilities are kept at
 * one byte per kind and pixel while the tiles run.
 */
import { ort } from '../ort.js';
import { RestoraError } from '../../shared/errors.js';
import type { LoadedModel } from '../session-cache.js';
import { planTiles } from '../pipeline/tile-plan.js';
import { damageSummary, DAMAGE_KINDS, repairMask, type DamageKind } from './mask.js';

export interface DetectOptions {
  /** Probability at or above which a pixel is marked, every kind; default: the manifest's semantics.kindThresholds for a kind, else its semantics.threshold, else 0.5. */
  threshold?: number;
  /** Lower probability at which a pixel connected to a marked one is marked too; default: the manifest's semantics.thresholdLow, else the threshold (no growth). */
  thresholdLow?: number;
  /**
   * What the lower threshold grows: 'all' (every kind, any shape) or 'lines' (scratches only, and only where
   * what is grown stays a line: a long scratch fading along its length is followed, a blob on texture is not).
   * Default: the manifest's semantics.growth, else 'all'.
   */
  growth?: 'all' | 'lines';
  /**
   * Also run each tile mirrored left to right and average the two probabilities (twice the time): damage has no
   * handedness, so what one view misses the other may find. Default: the manifest's semantics.flip, else off.
   */
  flip?: boolean;
  /** Called after each tile, with where a cancel takes effect. */
  onTile?(done: number, total: number): Promise<void> | void;
}

/** Grown around detected damage: its soft, half-dark rim is damage too. */
export const DETECTED_DILATE_PX = 2;

/**
 * The repair mask for the chosen kinds, as the repair stage and the mask the user edits both use it:
 * the detector's marks of those kinds grown by DETECTED_DILATE_PX, with what it found of every kind.
 */
export async function detectRepairMask(
  model: LoadedModel,
  rgb8: Uint8Array,
  width: number,
  height: number,
  kinds: Set<DamageKind>,
  opts: DetectOptions = {},
): Promise<{ mask: Uint8Array; found: Record<DamageKind | 'any', number> }> {
  const bits = await detectDamage(model, rgb8, width, height, opts);
  return { mask: repairMask(bits, width, height, kinds, DETECTED_DILATE_PX), found: damageSummary(bits) };
}

/** Kind bits per pixel (bit k = DAMAGE_KINDS[k]) for an 8-bit HWC RGB photo. */
export async function detectDamage(model: LoadedModel, rgb8: Uint8Array, width: number, height: number, opts: DetectOptions = {}): Promise<Uint8Array> {
  const tile = model.model.manifest?.tile ?? { size: 256, overlap: 32, multiple: 16 };
  const thr = opts.threshold ?? manifestThreshold(model, 'threshold') ?? 0.5;
  // A kind may have its own threshold (the manifest's semantics.kindThresholds); an explicit option sets every kind.
  const kindThr = DAMAGE_KINDS.map((k) => opts.threshold ?? manifestKindThreshold(model, k) ?? thr);
  const low = Math.min(thr, opts.thresholdLow ?? manifestThreshold(model, 'thresholdLow') ?? thr);
  const flip = opts.flip ?? (model.model.manifest?.semantics as Record<string, unknown> | undefined)?.flip === true;
  const n = width * height;
  const bits = new Uint8Array(n);
  /** Probability per kind and pixel, 0..255, kept only when there is a lower threshold to grow into. */
  const prob8 = low < thr ? new Uint8Array(DAMAGE_KINDS.length * n) : null;
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
    const run = async (input: Float32Array) => {
      const out = (await model.session.run({ image: new ort.Tensor('float32', input, [1, 3, t.h, t.w]) })).damage;
      if (!out || out.dims[1]! < DAMAGE_KINDS.length || out.dims[2] !== t.h || out.dims[3] !== t.w) {
        throw new RestoraError('Internal', `Damage detector ${model.model.id} returned ${out?.dims.join('×')} for a ${t.w}×${t.h} tile`);
      }
      return out.data as Float32Array;
    };
    const prob = await run(chw);
    if (flip) {
      const mirrored = await run(mirrorRows(chw, t.w, t.h, 3));
      for (let k = 0; k < DAMAGE_KINDS.length; k++) {
        for (let y = 0; y < t.h; y++) {
          const row = k * plane + y * t.w;
          for (let x = 0; x < t.w; x++) prob[row + x] = 0.5 * (prob[row + x]! + mirrored[row + t.w - 1 - x]!);
        }
      }
    }
    const half = Math.floor(Math.min(tile.overlap, Math.floor(tile.size / 2)) / 2);
    const x0 = t.x === 0 ? 0 : half, y0 = t.y === 0 ? 0 : half;
    const x1 = t.x + t.w >= width ? t.w : t.w - half, y1 = t.y + t.h >= height ? t.h : t.h - half;
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const q = y * t.w + x;
        let b = 0;
        const p = (t.y + y) * width + t.x + x;
        for (let k = 0; k < DAMAGE_KINDS.length; k++) {
          const v = prob[k * plane + q]!;
          if (v >= kindThr[k]!) b |= 1 << k;
          if (prob8) prob8[k * n + p] = Math.round(Math.max(0, Math.min(1, v)) * 255);
        }
        bits[p] = b;
      }
    }
    await opts.onTile?.(++done, tiles.length);
  }
  if (prob8) {
    const low8 = Math.ceil(low * 255 - 1e-6);
    const growth = opts.growth ?? (manifestGrowth(model) || 'all');
    if (growth === 'lines') growLines(bits, prob8, width, height, low8);
    else growMarks(bits, prob8, width, height, low8);
  }
  return bits;
}

/** Hysteresis: marks every pixel of probability ≥ low8 (of 255) connected to a marked pixel of the same kind. */
export function growMarks(bits: Uint8Array, prob8: Uint8Array, width: number, height: number, low8: number): void {
  for (let k = 0; k < DAMAGE_KINDS.length; k++) growKind(bits, prob8, width, height, low8, k);
}

/** A grown scratch is kept only when the grown shape is this many times longer than wide (second moments). */
export const LINE_ELONGATION = 4;

/**
 * Hysteresis for scratches that keeps only line-shaped growth: each connected shape the growth makes is kept
 * when it is at least LINE_ELONGATION times longer than wide; otherwise its grown pixels are taken back and
 * only the marks it grew from stay. Other kinds are not grown.
 */
export function growLines(bits: Uint8Array, prob8: Uint8Array, width: number, height: number, low8: number): void {
  const n = width * height;
  const k = DAMAGE_KINDS.indexOf('scratch');
  const bit = 1 << k;
  const seed = new Uint8Array(n);
  for (let p = 0; p < n; p++) if (bits[p]! & bit) seed[p] = 1;
  growKind(bits, prob8, width, height, low8, k);
  // Shapes of the grown mask, one at a time: their second moments say how line-like they are.
  const seen = new Uint8Array(n);
  const stack = new Int32Array(n);
  const shape: number[] = [];
  for (let start = 0; start < n; start++) {
    if (seen[start] || !(bits[start]! & bit)) continue;
    shape.length = 0;
    seen[start] = 1;
    stack[0] = start;
    flood8(stack, 1, width, height, (q) => {
      if (seen[q] || !(bits[q]! & bit)) return false;
      seen[q] = 1;
      return true;
    }, (p) => shape.push(p));
    const grown = shape.some((p) => !seed[p]);
    if (!grown) continue;
    let sx = 0, sy = 0;
    for (const p of shape) {
      sx += p % width;
      sy += Math.floor(p / width);
    }
    const mx = sx / shape.length, my = sy / shape.length;
    let cxx = 0, cyy = 0, cxy = 0;
    for (const p of shape) {
      const dx = (p % width) - mx, dy = Math.floor(p / width) - my;
      cxx += dx * dx;
      cyy += dy * dy;
      cxy += dx * dy;
    }
    // Eigenvalues of the covariance (a pixel's own extent, 1/12, keeps a one-pixel-wide line finite).
    const a = cxx / shape.length + 1 / 12, c = cyy / shape.length + 1 / 12, b = cxy / shape.length;
    const root = Math.sqrt(((a - c) / 2) ** 2 + b * b);
    const long = (a + c) / 2 + root, wide = Math.max(1e-9, (a + c) / 2 - root);
    if (Math.sqrt(long / wide) >= LINE_ELONGATION) continue;
    for (const p of shape) if (!seed[p]) bits[p]! &= ~bit;
  }
}

function growKind(bits: Uint8Array, prob8: Uint8Array, width: number, height: number, low8: number, k: number): void {
  const n = width * height;
  const stack = new Int32Array(n);
  const bit = 1 << k, plane = k * n;
  let top = 0;
  for (let p = 0; p < n; p++) if (bits[p]! & bit) stack[top++] = p;
  flood8(stack, top, width, height, (q) => {
    if (bits[q]! & bit || prob8[plane + q]! < low8) return false;
    bits[q]! |= bit;
    return true;
  });
}

/**
 * Depth-first flood over 8-neighbours from the `top` pixels on `stack` (sized for every pixel): `claim(q)` says
 * whether a neighbour joins (and marks it, so it is claimed once); `visit(p)` sees each pixel popped.
 */
function flood8(stack: Int32Array, top: number, width: number, height: number, claim: (q: number) => boolean, visit?: (p: number) => void): void {
  while (top > 0) {
    const p = stack[--top]!;
    visit?.(p);
    const x = p % width, y = (p - x) / width;
    for (let dy = -1; dy <= 1; dy++) {
      const yy = y + dy;
      if (yy < 0 || yy >= height) continue;
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx;
        if (xx < 0 || xx >= width || (dx === 0 && dy === 0)) continue;
        const q = yy * width + xx;
        if (claim(q)) stack[top++] = q;
      }
    }
  }
}

/** Each row of a CHW plane stack mirrored left to right. */
export function mirrorRows(chw: Float32Array, w: number, h: number, channels: number): Float32Array {
  const out = new Float32Array(chw.length);
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < h; y++) {
      const row = (c * h + y) * w;
      for (let x = 0; x < w; x++) out[row + x] = chw[row + w - 1 - x]!;
    }
  }
  return out;
}

function manifestGrowth(model: LoadedModel): 'all' | 'lines' | undefined {
  const g = (model.model.manifest?.semantics as Record<string, unknown> | undefined)?.growth;
  return g === 'lines' || g === 'all' ? g : undefined;
}

/** A manifest value that is a probability strictly between 0 and 1, else undefined (the default applies). */
function probability(t: unknown): number | undefined {
  return typeof t === 'number' && t > 0 && t < 1 ? t : undefined;
}

function manifestKindThreshold(model: LoadedModel, kind: DamageKind): number | undefined {
  const kinds = (model.model.manifest?.semantics as Record<string, unknown> | undefined)?.kindThresholds as Record<string, unknown> | undefined;
  return probability(kinds?.[kind]);
}

function manifestThreshold(model: LoadedModel, key: 'threshold' | 'thresholdLow'): number | undefined {
  return probability((model.model.manifest?.semantics as Record<string, unknown> | undefined)?.[key]);
}
