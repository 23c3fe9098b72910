/**
 * Damage masks: the detector's per-pixel kind bits, which kinds an
 * instruction asks to repair, the repair mask (one byte a pixel, nonzero =
 * fill) with its small dilation, the summary the recipe keeps, and the mask
 * as a greyscale PNG (white = repaired), the file the user edits.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { RestoraError } from '../../shared/errors.js';
import { writeFileAtomic } from '../../node/atomic-write.js';
import { parseWithReader } from '../../node/instruction-reader.js';
import type { PHYSICAL_DAMAGE } from '../../shared/instructions/plan.js';

/** The detector's output channels, in order (damage_synth.KINDS). */
export const DAMAGE_KINDS = ['scratch', 'dust', 'blotch', 'tear'] as const;
export type DamageKind = (typeof DAMAGE_KINDS)[number];

/** Words for tears (the parser reads tears as the scratches setting; the detector has a channel of its own). */
const TEAR_WORDS = /\b(tears?|torn|rips?|ripped|holes?|missing|corners?)\b/;
/** Words for damage in general: "repair the damage", "fix the defects". */
const ANY_DAMAGE = /\b(damage[ds]?|defects?)\b/;
/**
 * What "the damage" means: scratches and dust. Stains and tears only when named: the detector's
 * stain channel also marks real texture on old prints (weatherboard, foliage, pavement, grainy
 * skies) and its tear channel flat bright paper, sky and white cloth (models/notes/damage.md), so
 * "remove the damage" would smooth what the photo shows.
 */
export const GENERAL_KINDS: DamageKind[] = ['scratch', 'dust'];
/** The kinds that have a setting of their own. */
const SETTING_KINDS: Exclude<DamageKind, 'tear'>[] = ['scratch', 'dust', 'blotch'];
/** The detector's kinds, each with the setting that asks for it (and whose explicit operation removes it). */
export const SETTING_OF: Record<Exclude<DamageKind, 'tear'>, (typeof PHYSICAL_DAMAGE)[number]> = { scratch: 'scratches', dust: 'dust', blotch: 'blotches' };

/**
 * Which kinds of damage to repair: those whose setting the instruction's words (read by the one
 * instruction parser) or the user's edits set to "fix"; scratches and dust when the words ask to
 * fix the damage in general; stains and tears only when named. A setting stated as "leave" is never
 * repaired, and what the words do not state is not either ("keep the stains" repairs nothing): the
 * detector still marks too much of clean photos (models/notes/damage.md) to run on every photo unasked.
 */
export function kindsToRepair(instruction: string, edits: Record<string, string> = {}): Set<DamageKind> {
  const parsed = parseWithReader(instruction);
  const value = (slot: string) => edits[slot] ?? parsed.stated[slot]?.value;
  const fixes = parsed.statements.filter((st) => st.region === 'all' && st.value === 'fix' && st.priority !== 'implied' && parsed.stated[st.slot] === st);
  const kinds = new Set<DamageKind>();
  if (fixes.some((st) => ANY_DAMAGE.test(st.phrase.toLowerCase()))) for (const k of GENERAL_KINDS) kinds.add(k);
  for (const k of SETTING_KINDS) {
    const v = value(SETTING_OF[k]);
    if (v === 'fix') kinds.add(k);
    else if (v === 'leave') kinds.delete(k);
  }
  const tears = parsed.statements.some((st) => st.slot === 'scratches' && st.value === 'fix' && TEAR_WORDS.test(st.phrase.toLowerCase()));
  if (kinds.has('scratch') && tears) kinds.add('tear');
  return kinds;
}

/** The repair mask: pixels with any of the chosen kinds, grown by `dilate` px (the soft rim of a scratch). */
export function repairMask(bits: Uint8Array, width: number, height: number, kinds: Set<DamageKind>, dilate: number): Uint8Array {
  let want = 0;
  DAMAGE_KINDS.forEach((k, i) => {
    if (kinds.has(k)) want |= 1 << i;
  });
  const m = new Uint8Array(width * height);
  for (let p = 0; p < m.length; p++) m[p] = bits[p]! & want ? 255 : 0;
  return dilateMask(m, width, height, dilate);
}

/** Grows a mask by r px (a square, separably: rows then columns). */
export function dilateMask(m: Uint8Array, width: number, height: number, r: number): Uint8Array {
  if (r <= 0) return m;
  const rows = new Uint8Array(m.length);
  for (let y = 0; y < height; y++) {
    let last = -Infinity;
    for (let x = 0; x < width; x++) {
      if (m[y * width + x]) last = x;
      if (x - last <= r) rows[y * width + x] = 255;
    }
    last = Infinity;
    for (let x = width - 1; x >= 0; x--) {
      if (m[y * width + x]) last = x;
      if (last - x <= r) rows[y * width + x] = 255;
    }
  }
  const out = new Uint8Array(m.length);
  for (let x = 0; x < width; x++) {
    let last = -Infinity;
    for (let y = 0; y < height; y++) {
      if (rows[y * width + x]) last = y;
      if (y - last <= r) out[y * width + x] = 255;
    }
    last = Infinity;
    for (let y = height - 1; y >= 0; y--) {
      if (rows[y * width + x]) last = y;
      if (last - y <= r) out[y * width + x] = 255;
    }
  }
  return out;
}

/** The fraction of the photo marked with each kind, and marked at all (rounded to 1e-5). */
export function damageSummary(bits: Uint8Array): Record<DamageKind | 'any', number> {
  const n = [0, 0, 0, 0];
  let any = 0;
  for (let p = 0; p < bits.length; p++) {
    const b = bits[p]!;
    if (!b) continue;
    any++;
    for (let k = 0; k < 4; k++) if (b & (1 << k)) n[k]!++;
  }
  const r = (v: number) => Math.round((v / Math.max(1, bits.length)) * 1e5) / 1e5;
  return { scratch: r(n[0]!), dust: r(n[1]!), blotch: r(n[2]!), tear: r(n[3]!), any: r(any) };
}

/** Writes a repair mask as an 8-bit greyscale PNG (white = repaired). */
export async function writeMaskPng(file: string, mask: Uint8Array, width: number, height: number): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, sharp(Buffer.from(mask.buffer, mask.byteOffset, mask.length), { raw: { width, height, channels: 1 } }).toColourspace('b-w').png({ compressionLevel: 9 }));
}

/**
 * Reads a mask the user drew or edited: any image the size of the photo,
 * where light, opaque pixels (luma ≥ 128, alpha ≥ 128) are
 * repaired. A mask of another size is refused with both sizes named.
 */
export async function readMaskFile(file: string, width: number, height: number): Promise<Uint8Array> {
  let raw: { data: Buffer; info: { width: number; height: number; channels: number } };
  try {
    raw = await sharp(file, { failOn: 'error' }).rotate().ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw new RestoraError('CorruptInput', `The mask ${path.basename(file)} could not be read: ${String((err as Error).message).slice(0, 200)}`);
  }
  const { data, info } = raw;
  if (info.width !== width || info.height !== height) {
    throw new RestoraError('BadRequest', `The mask ${path.basename(file)} is ${info.width}×${info.height} but the photo is ${width}×${height}; a mask must be drawn on the same photo at full size`);
  }
  const ch = info.channels;
  const m = new Uint8Array(width * height);
  for (let p = 0; p < m.length; p++) {
    const r = data[p * ch]!, g = data[p * ch + 1]!, b = data[p * ch + 2]!, a = data[p * ch + 3]!;
    m[p] = a >= 128 && 0.299 * r + 0.587 * g + 0.114 * b >= 128 ? 255 : 0;
  }
  return m;
}
