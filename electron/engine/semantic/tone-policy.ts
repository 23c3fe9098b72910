/**
 * The tone stage's decision: one 3×4 colour matrix for the whole photo (or none), chosen by explicit
 * rules from what the words ask (tone-words.ts), what the integrator decoded and what the photo's own
 * statistics show. Do no harm first: with no words about colour the photo keeps its tone (sepia stays
 * sepia, a grey print stays grey, a colour photo keeps its colours); fading is corrected only when it is
 * clear (the integrator reads it as heavy *and* the tones are visibly compressed), and then only half way.
 * The learned tone model (restora-tone) runs only when the words ask for the colours back.
 */
import { readToneWords, type ToneWords } from './tone-words.js';

export type ToneAction = 'kept' | 'levels' | 'grey' | 'neutralised' | 'restored' | 'black-and-white' | 'warmer' | 'cooler';

export interface ToneDecision {
  /** Row-major 3×4, or null when the photo's colours are left exactly as they are. */
  matrix: Float32Array | null;
  actions: ToneAction[];
  /** Plain words for the Restore panel and the recipe. */
  because: string[];
  /** The learned tone model's matrix is part of `matrix`. */
  learned: boolean;
}

const LUMA = [0.299, 0.587, 0.114] as const;

function identity(): Float32Array {
  return Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]);
}

/** b ∘ a: first a, then b (both row-major 3×4). */
export function composeTone(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(12);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) out[r * 4 + c] = b[r * 4]! * a[c]! + b[r * 4 + 1]! * a[4 + c]! + b[r * 4 + 2]! * a[8 + c]!;
    out[r * 4 + 3] = b[r * 4]! * a[3]! + b[r * 4 + 1]! * a[7]! + b[r * 4 + 2]! * a[11]! + b[r * 4 + 3]!;
  }
  return out;
}

/** Luma percentiles of an HWC 0..1 thumbnail. */
export function lumaPercentiles(thumb: Float32Array, ps: number[]): number[] {
  const n = thumb.length / 3, y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = LUMA[0] * thumb[i * 3]! + LUMA[1] * thumb[i * 3 + 1]! + LUMA[2] * thumb[i * 3 + 2]!;
  y.sort();
  return ps.map((p) => y[Math.min(n - 1, Math.max(0, Math.floor(p * n)))]!);
}

/**
 * How far the photo's colours are from a single tint of grey: the standard deviation of what is left of
 * each pixel's chroma after the best per-channel tint t (rgb ≈ y·t) is taken out. A sepia, warm or cool
 * monochrome print has almost nothing left (< 0.02); a colour photo has a lot.
 */
export function chromaBeyondTint(thumb: Float32Array): { residual: number; tint: [number, number, number] } {
  const n = thumb.length / 3;
  const num = [0, 0, 0];
  let den = 0;
  for (let i = 0; i < n; i++) {
    const y = LUMA[0] * thumb[i * 3]! + LUMA[1] * thumb[i * 3 + 1]! + LUMA[2] * thumb[i * 3 + 2]!;
    den += y * y;
    for (let c = 0; c < 3; c++) num[c]! += y * thumb[i * 3 + c]!;
  }
  const t = num.map((v) => (den > 0 ? v / den : 1)) as [number, number, number];
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const y = LUMA[0] * thumb[i * 3]! + LUMA[1] * thumb[i * 3 + 1]! + LUMA[2] * thumb[i * 3 + 2]!;
    for (let c = 0; c < 3; c++) ss += (thumb[i * 3 + c]! - y * t[c]!) ** 2;
  }
  return { residual: Math.sqrt(ss / (3 * n)), tint: t };
}

const MONO_RESIDUAL = 0.02;

/** A levels stretch of the luma range [lo, hi] a fraction `amount` of the way to [0.02, 0.98], hue kept (same gain on every channel). */
export function levelsMatrix(lo: number, hi: number, amount: number): Float32Array | null {
  const lo2 = lo > 0.02 ? lo - amount * (lo - 0.02) : lo;
  const hi2 = hi < 0.98 ? hi + amount * (0.98 - hi) : hi;
  if (hi - lo < 0.05 || (lo2 === lo && hi2 === hi)) return null;
  const g = (hi2 - lo2) / (hi - lo), b = lo2 - lo * g;
  return Float32Array.from([g, 0, 0, b, 0, g, 0, b, 0, 0, g, b]);
}

/** Every pixel to its luma, times a tint (1,1,1 for neutral grey). */
function greyMatrix(tint: readonly [number, number, number] = [1, 1, 1]): Float32Array {
  const m = new Float32Array(12);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) m[r * 4 + c] = LUMA[c]! * tint[r]!;
  return m;
}

function tintMatrix(gains: readonly [number, number, number]): Float32Array {
  return Float32Array.from([gains[0], 0, 0, 0, 0, gains[1], 0, 0, 0, 0, gains[2], 0]);
}

export interface ToneInputs {
  /** The instruction the tone is decided for. */
  instruction: string;
  /** The whole photo as a small HWC 0..1 copy. */
  thumb: Float32Array;
  /** The integrator's decoded values (fade: off/low/high, …). */
  decoded: Record<string, string>;
  /** The learned tone model's matrix for this photo and instruction, computed only when asked for. */
  learned: (() => Promise<Float32Array>) | null;
}

export async function decideTone(inp: ToneInputs, words: ToneWords = readToneWords(inp.instruction)): Promise<ToneDecision> {
  const actions: ToneAction[] = [];
  const because = [...words.because];
  let m = identity();
  let learned = false;
  const { residual, tint } = chromaBeyondTint(inp.thumb);
  const mono = residual < MONO_RESIDUAL;
  const tone = words.tone ?? 'keep';

  if (tone === 'restore' || (tone === 'neutral' && !mono)) {
    if (inp.learned) {
      m = await inp.learned();
      learned = true;
      actions.push(tone === 'restore' ? 'restored' : 'neutralised');
    } else {
      // No tone model: a grey-world balance of the colour photo, half way.
      const mean = [0, 0, 0];
      const n = inp.thumb.length / 3;
      for (let i = 0; i < inp.thumb.length; i++) mean[i % 3]! += inp.thumb[i]! / n;
      const g = (mean[0]! + mean[1]! + mean[2]!) / 3;
      m = tintMatrix(mean.map((v) => 1 + 0.5 * (g / Math.max(v, 1e-3) - 1)) as [number, number, number]);
      actions.push('neutralised');
      because.push('no tone model installed: a grey-world balance instead');
    }
  } else if (tone === 'neutral' || tone === 'bw') {
    m = greyMatrix();
    actions.push(tone === 'bw' ? 'black-and-white' : 'grey');
  }

  // Fading: asked for, or clearly there; never against "leave the fading".
  if (words.fade !== 'leave' && !actions.includes('restored') && !actions.includes('neutralised')) {
    const [lo, hi] = lumaPercentiles(inp.thumb, [0.005, 0.995]) as [number, number];
    const asked = words.fade === 'fix';
    // Unasked, only a range squeezed from both ends: fading dims the whites as it lifts the blacks. A photo
    // whose whites still reach paper white (a portrait on a light backdrop, ~0.97+) is left alone even when
    // the integrator reads it as faded (it does on JPEG-damaged photos: faces-flr q20, 5 of 6).
    const clear = inp.decoded.fade === 'high' && (lo > 0.08 || hi < 0.88) && hi < 0.95;
    if (asked || clear) {
      const lv = levelsMatrix(lo, hi, asked ? 0.8 : 0.5);
      if (lv) {
        m = composeTone(lv, m);
        actions.push('levels');
        if (!asked) because.push(`faded: tones ${lo.toFixed(2)}–${hi.toFixed(2)} stretched half way`);
      }
    }
  }

  if (tone === 'warm' || tone === 'cool') {
    const a = 0.06;
    m = composeTone(m, tintMatrix(tone === 'warm' ? [1 + a, 1, 1 - a] : [1 - a, 1, 1 + a]));
    actions.push(tone === 'warm' ? 'warmer' : 'cooler');
  }

  if (actions.length === 0) {
    actions.push('kept');
    because.push(mono ? `tone kept (a toned monochrome print, tint ${tint.map((v) => v.toFixed(2)).join('/')})` : 'colours kept');
  }
  const isIdentity = m.every((v, i) => Math.abs(v - (i % 5 === 0 ? 1 : 0)) < 1e-6);
  return { matrix: isIdentity ? null : m, actions, because, learned };
}
