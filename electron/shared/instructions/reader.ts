/**
 * The learned reader: a small linear model over the words of an instruction, trained on the hand-written
 * held-out sets' labels (models/tools/train-reader.ts), that reads every setting at once. The rule parser
 * (parse.ts) stays the reader of record; the learned reader only fills settings the rules left unstated,
 * and only where it is sure (`fillFromReader`). Measured on text neither had seen (each set's first reading
 * by the rules of its day), that is where it helps: vocabulary and phrasing no rule has met yet.
 *
 * Features are hashed (FNV-1a) into a fixed number of buckets, so the model file carries no vocabulary:
 * words, word pairs, 4-letter pieces of words (misspellings and unseen forms share most of them), the
 * first five letters, and words after a negation in the same clause. The model itself is one matrix and
 * a bias (an ONNX MatMul + Add: models/zoo/restora-reader); this module holds the features, the forward
 * pass and the decoding, the same in training and in the app.
 */
import { REGIONAL_SLOTS, SLOT_VALUES, type SlotName } from './slots.js';
import { MAX_READ_CHARS } from './normalise.js';

export interface ReaderHead {
  /** "grain", "faces.sharpness". */
  key: string;
  /** Output 0 is "not stated"; output i + 1 is values[i]. */
  values: string[];
}

/** Every setting the reader reads: each slot for the whole photo, then each regional slot for the faces and the background. */
export const READER_HEADS: readonly ReaderHead[] = [
  ...(Object.keys(SLOT_VALUES) as SlotName[]).map((s) => ({ key: s, values: [...SLOT_VALUES[s]] })),
  ...(['faces', 'background'] as const).flatMap((r) => REGIONAL_SLOTS.map((s) => ({ key: `${r}.${s}`, values: [...SLOT_VALUES[s]] }))),
];

/** Outputs of all heads side by side (a head of n values has n + 1). */
export const READER_OUTPUTS = READER_HEADS.reduce((n, h) => n + h.values.length + 1, 0);

export interface ReaderWeights {
  /** Feature buckets (the matrix's rows). */
  buckets: number;
  /** [buckets × READER_OUTPUTS], row-major. */
  W: Float32Array;
  /** [READER_OUTPUTS]. */
  b: Float32Array;
}

/** The learned reader with the confidence it must reach to fill a setting the rules left unstated. */
export interface InstructionReader {
  weights: ReaderWeights;
  threshold: number;
  /** The confidence at which it replaces a whole-photo value the rules read differently (`overridesFromReader`); none when absent. */
  override?: number;
  /** For notes and the recipe: "restora-reader 1.0.0". */
  name: string;
}

const NEGATION = new Set(['not', 'no', 'never', 'without', 'nothing', 'avoid', 'nor']);
/** How many words after a negation carry it. */
const NEGATION_SPAN = 4;

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The instruction's features as strings (before hashing), deduplicated. */
export function readerFeatureNames(text: string): string[] {
  const t = (text ?? '')
    .slice(0, MAX_READ_CHARS)
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/n't\b/g, ' not')
    .replace(/\bb\s*[&+/n]\s*w\b/g, ' bw ');
  const f = new Set<string>(['bias']);
  for (const clause of t.split(/[.;!?\n,:()]+|\bbut\b|\bthough\b|\bexcept\b/)) {
    const words = clause.split(/[^a-z0-9=]+/).filter(Boolean);
    let negated = 0;
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      f.add('w:' + w);
      if (i > 0) f.add('b:' + words[i - 1] + '_' + w);
      if (negated > 0) {
        f.add('n:' + w);
        negated--;
      }
      if (NEGATION.has(w)) negated = NEGATION_SPAN;
      if (w.length >= 4) {
        const p = `<${w}>`;
        for (let j = 0; j + 4 <= p.length; j++) f.add('c:' + p.slice(j, j + 4));
      }
      if (w.length >= 5) f.add('p:' + w.slice(0, 5));
    }
  }
  return [...f];
}

/** The model's input: each feature's bucket set to 1/√(number of features) (duplicates after hashing add up). */
export function readerInput(text: string, buckets: number): Float32Array {
  const names = readerFeatureNames(text);
  const x = new Float32Array(buckets);
  const v = 1 / Math.sqrt(names.length);
  for (const n of names) x[fnv1a(n) % buckets]! += v;
  return x;
}

/** Logits for one instruction: x · W + b (what the ONNX graph computes), using only the non-zero inputs. */
export function readerLogits(w: ReaderWeights, x: Float32Array): Float32Array {
  const out = Float32Array.from(w.b);
  const C = out.length;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    if (xi === 0) continue;
    const row = i * C;
    for (let c = 0; c < C; c++) out[c]! += xi * w.W[row + c]!;
  }
  return out;
}

export interface ReaderGuess {
  /** The most probable value; undefined when "not stated" is the most probable. */
  value?: string;
  /** Its probability (of "not stated" when value is undefined). */
  p: number;
  /** Every output's probability, "not stated" first. */
  probs: number[];
}

/** Softmax per head. */
export function decodeReader(logits: Float32Array): Record<string, ReaderGuess> {
  const out: Record<string, ReaderGuess> = {};
  let o = 0;
  for (const h of READER_HEADS) {
    const z = Array.from(logits.subarray(o, o + h.values.length + 1));
    o += h.values.length + 1;
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    const probs = e.map((v) => v / s);
    let best = 0;
    for (let c = 1; c < probs.length; c++) if (probs[c]! > probs[best]!) best = c;
    out[h.key] = best === 0 ? { p: probs[0]!, probs } : { value: h.values[best - 1], p: probs[best]!, probs };
  }
  return out;
}

export function readGuesses(w: ReaderWeights, text: string): Record<string, ReaderGuess> {
  return decodeReader(readerLogits(w, readerInput(text, w.buckets)));
}

export const slotOfKey = (key: string): string => key.replace(/^(faces|background)\./, '');

/**
 * What the learned reader adds to the rules' reading: settings of the whole photo whose slot the rules
 * stated nowhere (not for the whole photo, not for a region), that the reader reads with probability at
 * least `threshold`. The rules' region attribution is kept (a regional guess is never added), and an
 * instruction the rules chose not to read (another language, markup, an injection attempt) gets nothing.
 */
export function fillFromReader(ruled: Record<string, string>, guesses: Record<string, ReaderGuess>, threshold: number): Record<string, { value: string; p: number }> {
  const ruledSlots = new Set(Object.keys(ruled).map(slotOfKey));
  const fills: Record<string, { value: string; p: number }> = {};
  for (const [key, g] of Object.entries(guesses)) {
    if (!g.value || key !== slotOfKey(key) || ruledSlots.has(key) || g.p < threshold) continue;
    fills[key] = { value: g.value, p: g.p };
  }
  return fills;
}

/**
 * Where the learned reader disagrees with the rules: whole-photo settings the rules read as one of the
 * reader's values and the reader reads as another with probability at least `threshold`. Measured on
 * text neither had seen (models/tools/train-reader.ts, leave one set out), a reader that sure is right
 * more often than the rules it disagrees with. A value the reader has no output for (a strength number)
 * is never replaced; nor, in the parser, a setting typed by its own name ("grain=keep").
 */
export function overridesFromReader(ruled: Record<string, string>, guesses: Record<string, ReaderGuess>, threshold: number): Record<string, { value: string; p: number; was: string }> {
  const out: Record<string, { value: string; p: number; was: string }> = {};
  for (const [key, g] of Object.entries(guesses)) {
    const was = ruled[key];
    if (!g.value || key !== slotOfKey(key) || was === undefined || was === g.value || g.p < threshold) continue;
    if (!READER_HEADS.find((h) => h.key === key)?.values.includes(was)) continue;
    out[key] = { value: g.value, p: g.p, was };
  }
  return out;
}
