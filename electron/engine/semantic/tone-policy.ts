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

/** Under this chromaBeyondTint residual a photo is one tint of grey (monochrome, sepia, a toned print). */
export const MONO_RESIDUAL = 0.02;
/**
 * Whether tones spanning lo–hi (luma, 0.5th and 99.5th percentiles) look faded enough to stretch unasked once the
 * integrator reads the photo as heavily faded. Fading dims the whites as it lifts the blacks, so whites that still
 * reach paper white (~0.95+) never count. A monochrome or toned print counts when either end has moved. A colour
 * photo needs more: the tones alone cannot tell a faded colour print from fog, dusk or a muted scene, and the
 * integrator reads noisy and JPEG-damaged photos as faded. It counts when its blacks are lifted far (above 0.25),
 * or both ends are clearly squeezed (blacks above 0.12, whites below 0.8). Of the natural colour photos of
 * bsds500 (val, train, test) the rule for prints would count 239 of 470, this one 32
 * (bench/photo-statistics.ts).
 */
export function looksFaded(mono: boolean, lo: number, hi: number): boolean {
  if (hi >= 0.95) return false;
  if (mono) return lo > 0.08 || hi < 0.88;
  return lo > 0.25 || (lo > 0.12 && hi < 0.8);
}

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

/** A grey-world balance half way: each channel's gain takes its mean half way to the mean of all three. */
function greyWorld(thumb: Float32Array): Float32Array {
  const mean = [0, 0, 0];
  const n = thumb.length / 3;
  for (let i = 0; i < thumb.length; i++) mean[i % 3]! += thumb[i]! / n;
  const g = (mean[0]! + mean[1]! + mean[2]!) / 3;
  return tintMatrix(mean.map((v) => 1 + 0.5 * (g / Math.max(v, 1e-3) - 1)) as [number, number, number]);
}

/** "Restore the colours" brings a colour photo's colour beyond its tint (chromaBeyondTint) to at least this multiple of what it had. */
export const RESTORE_CHROMA = 1.35;
/** The largest saturation lift "restore the colours" applies. */
export const RESTORE_MAX_LIFT = 1.8;

/** Each pixel's distance from its own luma times `k` (k > 1: more saturated; luma unchanged). */
export function saturationMatrix(k: number): Float32Array {
  const m = new Float32Array(12);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) m[r * 4 + c] = (1 - k) * LUMA[c]! + (r === c ? k : 0);
  return m;
}

/** A 3×4 matrix applied to an HWC thumbnail, clipped to 0..1 as the tone stage clips. */
function applyMatrix(thumb: Float32Array, m: Float32Array): Float32Array {
  const out = new Float32Array(thumb.length);
  for (let p = 0; p < thumb.length; p += 3)
    for (let r = 0; r < 3; r++) out[p + r] = Math.min(1, Math.max(0, m[r * 4]! * thumb[p]! + m[r * 4 + 1]! * thumb[p + 1]! + m[r * 4 + 2]! * thumb[p + 2]! + m[r * 4 + 3]!));
  return out;
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
      // The tone model restores colour, and can leave a cast or deepen it (it did on a hand-tinted 1890s
      // print): asked to remove the cast, the tint it leaves is balanced half way too.
      if (tone === 'neutral') {
        m = composeTone(m, greyWorld(applyMatrix(inp.thumb, m)));
        because.push('what the tone model left of the cast balanced half way');
      }
    } else {
      // No tone model: a grey-world balance of the colour photo, half way.
      m = greyWorld(inp.thumb);
      actions.push('neutralised');
      because.push('no tone model installed: a grey-world balance instead');
    }
    if (tone === 'restore' && !mono) {
      // A colour photo's faded dyes lose saturation: asked to bring them back, the colours never come back weaker
      // than the photo had them, and where the balance would weaken them they come back a third stronger (a
      // saturation lift around each pixel's luma, at most ×RESTORE_MAX_LIFT).
      // A toned monochrome print has no other colours to lift: the tone model takes its yellowing out, no more.
      // Colour is measured beyond the photo's overall tint (chromaBeyondTint), so a cast the balance takes out is
      // not counted as colour to give back.
      const colour = (t: Float32Array) => chromaBeyondTint(t).residual;
      const before = colour(inp.thumb), want = RESTORE_CHROMA * before;
      const lifted = (k: number) => colour(applyMatrix(inp.thumb, composeTone(m, saturationMatrix(k))));
      // Only where the balance took colour out (the tone model does on some real faded prints); where it already
      // gave colour back (as on the fading it was trained on) its reading stands.
      if (before > 1e-4 && lifted(1) < before) {
        // The smallest lift that gets there on the thumbnail (clipping included), by bisection.
        let lo = 1, hi = RESTORE_MAX_LIFT;
        if (lifted(hi) > want) for (let i = 0; i < 14; i++) (lifted((lo + hi) / 2) < want ? (lo = (lo + hi) / 2) : (hi = (lo + hi) / 2));
        m = composeTone(m, saturationMatrix(hi));
        because.push(`faded colours lifted ×${hi.toFixed(2)} (colour beyond the tint ${(100 * before).toFixed(1)} → ${(100 * lifted(hi)).toFixed(1)})`);
      }
    }
  } else if (tone === 'neutral' || tone === 'bw') {
    m = greyMatrix();
    actions.push(tone === 'bw' ? 'black-and-white' : 'grey');
  }

  // Fading: asked for, or clearly there; never against "leave the fading".
  if (words.fade !== 'leave' && !actions.includes('restored') && !actions.includes('neutralised')) {
    const [lo, hi] = lumaPercentiles(inp.thumb, [0.005, 0.995]) as [number, number];
    const asked = words.fade === 'fix';
    // Unasked, only tones that look faded (looksFaded): a photo whose whites still reach paper white (a portrait
    // on a light backdrop, ~0.97+) is left alone even when the integrator reads it as faded (it does on
    // JPEG-damaged photos: faces-flr q20, 5 of 6), and so is a muted colour scene.
    const clear = inp.decoded.fade === 'high' && looksFaded(mono, lo, hi);
    if (asked || clear) {
      const lv = levelsMatrix(lo, hi, asked ? 0.8 : 0.5);
      if (lv) {
        m = composeTone(lv, m);
        actions.push('levels');
        if (!asked) because.push(`faded: tones ${lo.toFixed(2)}–${hi.toFixed(2)} stretched half way`);
      } else if (asked) {
        // Asked for, but the tones already span the range: more contrast around the mean instead, so asking still does something.
        const [mid] = lumaPercentiles(inp.thumb, [0.5]) as [number];
        const g = 1.12;
        m = composeTone(Float32Array.from([g, 0, 0, mid * (1 - g), 0, g, 0, mid * (1 - g), 0, 0, g, mid * (1 - g)]), m);
        actions.push('levels');
        because.push(`tones already span ${lo.toFixed(2)}–${hi.toFixed(2)}: contrast raised 12% around the middle`);
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
