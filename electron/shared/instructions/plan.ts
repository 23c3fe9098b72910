/**
 * From an instruction and the user's edits to what each pass of the pipeline is told: the settings of
 * the whole-photo pass and of the face pass (words, then edits, then defaults; what neither states is
 * left for the photo to decide), the canonical sentence the integrator reads for each (synonymous
 * instructions give the same sentence, hence the same latent queries and the same pixels), and the
 * integrator slot values forced from what was stated.
 */
import { parseInstruction, type ParsedInstruction } from './parse.js';
import type { InstructionReader } from './reader.js';
import { DEFAULTS, parseSlotKey, SLOT_NAMES, type Region, type SlotEdits, type SlotName, type SlotReading, type SlotSettings } from './slots.js';

export type Pass = 'global' | 'faces';

export interface InstructionPlan {
  parsed: ParsedInstruction;
  edits: SlotEdits;
  /** Stated settings (words, implied, edits) per pass; slots absent here are decided by the photo or default. */
  stated: Record<Pass, SlotSettings>;
  /** Whether the face pass is told anything the whole-photo pass is not. */
  facesDiffer: boolean;
  /** The integrator's input per pass, and the slot values it is forced to. */
  canonical: Record<Pass, string>;
  force: Record<Pass, Record<string, string>>;
  notes: string[];
}

function collect(parsed: ParsedInstruction, edits: SlotEdits, regions: Region[]): SlotSettings {
  const out: SlotSettings = {};
  // Later regions override earlier ones: whole photo, then the region of this pass.
  for (const region of regions) {
    for (const st of Object.values(parsed.stated)) {
      if (st.region !== region) continue;
      out[st.slot] = { value: st.value, source: st.learned !== undefined ? 'learned' : st.priority === 'implied' ? 'implied' : 'words', because: st.phrase };
    }
  }
  for (const region of regions) {
    for (const [key, value] of Object.entries(edits)) {
      const k = parseSlotKey(key);
      if (k && k.region === region) out[k.slot] = { value, source: 'edit' };
    }
  }
  return out;
}

const DAMAGE_PHRASE: Partial<Record<SlotName, [string, string]>> = {
  scratches: ['remove the scratches', "don't touch the scratches"],
  dust: ['remove the dust', "don't touch the dust"],
  blotches: ['remove the stains', "don't touch the stains"],
  noise: ['remove the noise', "don't touch the noise"],
  blur: ['sharpen it', "don't sharpen it"],
  jpeg: ['remove the jpeg artifacts', "don't touch the jpeg artifacts"],
  fading: ['restore the contrast', 'keep the contrast as it is'],
};

/** One sentence in the phrasing the integrator was trained on, saying exactly what was stated. */
export function canonicalSentence(s: SlotSettings): string {
  const parts: string[] = [];
  for (const slot of SLOT_NAMES) {
    const r = s[slot];
    if (!r) continue;
    const damage = DAMAGE_PHRASE[slot];
    if (damage) parts.push(r.value === 'fix' ? damage[0] : damage[1]);
    else if (slot === 'grain') parts.push(r.value === 'keep' ? 'keep the grain' : 'remove the grain');
    else if (slot === 'tone') parts.push(r.value === 'bw' ? 'make it black and white' : r.value === 'neutral' ? 'remove the colour cast' : r.value === 'restore' ? 'correct the colours' : 'keep the toning');
    // A numeric strength is a blend after the restorer (steer.ts); the integrator reads it as normal.
    else if (slot === 'strength' && (r.value === 'gentle' || r.value === 'strong')) parts.push(r.value === 'gentle' ? 'gently' : 'strongly');
    else if (slot === 'scope' && r.value !== 'all') parts.push(r.value === 'faces' ? 'only the faces' : 'only the background');
    else if (slot === 'identity' && r.value === 'keep') parts.push('keep the identity');
  }
  return parts.join(', ');
}

/**
 * Integrator slot values fixed by what was stated. Damage asked to be left is "off"; damage asked to be
 * fixed is left to the decoder (the photo says how much), see `raiseAskedDamage`.
 */
export function integratorForce(s: SlotSettings): Record<string, string> {
  const f: Record<string, string> = {};
  const v = (slot: SlotName) => s[slot]?.value;
  // The integrator's "scratches" covers scratches, creases, dust and spots; stains alone do not turn it off.
  const defects = (['scratches', 'dust'] as const).map(v);
  if (defects.every((x) => x === 'leave' || x === undefined) && defects.includes('leave')) f.scratches = 'off';
  for (const [mine, theirs] of [['noise', 'noise'], ['blur', 'blur'], ['jpeg', 'jpeg'], ['fading', 'fade']] as const) if (v(mine) === 'leave') f[theirs] = 'off';
  const tone = v('tone');
  if (tone) {
    f.cast = tone === 'neutral' || tone === 'restore' || tone === 'bw' ? 'fix' : 'keep';
    f.colour = tone === 'bw' ? 'bw' : 'keep';
  }
  const grain = v('grain');
  if (grain) f.grain = grain === 'keep' ? 'keep' : 'remove';
  if (v('scope')) f.scope = v('scope')!;
  if (v('identity')) f.fidelity = v('identity') === 'keep' ? 'keep_identity' : 'free';
  const strength = v('strength');
  if (strength === 'gentle' || strength === 'normal' || strength === 'strong') f.strength = strength;
  return f;
}

/** The settings whose damage the repair stage (or the explicit "leave" operation) owns. */
export const PHYSICAL_DAMAGE = ['scratches', 'dust', 'blotches'] as const satisfies readonly SlotName[];

/**
 * What the learned restorer is steered by where the explicit level owns a wish:
 * - physical damage: the repair stage fills the damage the detector (or the user's mask) found for the kinds
 *   asked to be fixed (`repaired`), and the explicit "leave" operation puts back the defects asked to be left.
 *   Those wishes are taken out of the sentence the restorer's queries are decoded from, and with no physical
 *   damage left for it to fix the integrator's damage reading is forced off, so that "remove the scratches"
 *   and "leave the scratches alone" steer the restorer alike and differ only where the damage is;
 * - "gently": a blend halfway back toward the photo after the restorer (steering/steer.ts), so the restorer
 *   itself restores as normal and a gentle restore always changes less than a normal one.
 * The restorer 2.1.0 followed neither reliably: it smooths real detail more or less with the damage words and
 * reading, and "gently" made it change more than "restore it" on some photos (models/notes/instructions.md,
 * thirteenth session). Null when the explicit level owns nothing (the restorer reads the plan's sentence).
 */
export function restorerSteering(s: SlotSettings, repaired: ReadonlySet<SlotName>): { stated: SlotSettings; canonical: string; force: Record<string, string> } | null {
  const rest: SlotSettings = { ...s };
  let physical = false;
  for (const slot of PHYSICAL_DAMAGE) {
    const v = s[slot]?.value;
    if (v === 'leave' || (v === 'fix' && repaired.has(slot))) {
      delete rest[slot];
      physical = true;
    }
  }
  const gentle = s.strength?.value === 'gentle';
  if (gentle) delete rest.strength;
  if (!physical && !gentle) return null;
  const force = integratorForce(s);
  // Nothing physical left for the restorer to remove: its damage reading is off, as for damage the words leave.
  if (physical && !PHYSICAL_DAMAGE.some((slot) => rest[slot]?.value === 'fix')) force.scratches = 'off';
  if (gentle) force.strength = 'normal';
  return { stated: rest, canonical: canonicalSentence(rest), force };
}

/** Damage the words ask to fix that the decoder read as absent: at least "low", so the restorer tries. */
export function raiseAskedDamage(s: SlotSettings, decoded: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const asked = (slot: SlotName) => s[slot]?.value === 'fix';
  if ((asked('scratches') || asked('dust') || asked('blotches')) && decoded.scratches === 'off') out.scratches = 'low';
  for (const [mine, theirs] of [['noise', 'noise'], ['blur', 'blur'], ['jpeg', 'jpeg'], ['fading', 'fade']] as const) if (asked(mine) && decoded[theirs] === 'off') out[theirs] = 'low';
  return out;
}

/** `reader`: the learned reader whose fills join the rules' reading (electron/node/instruction-reader.ts gives the installed one). */
export function planInstruction(text: string, edits: SlotEdits = {}, reader?: InstructionReader | null): InstructionPlan {
  const parsed = parseInstruction(text, reader);
  const global = collect(parsed, edits, ['all', 'background']);
  const facesOwn = collect(parsed, edits, ['faces']);
  const faces = { ...collect(parsed, edits, ['all']), ...facesOwn };
  // One scope, one colour, one identity per photo: the face pass follows the whole-photo settings.
  for (const slot of ['scope', 'identity', 'tone', 'fading'] as const) {
    if (global[slot]) faces[slot] = global[slot];
    else delete faces[slot];
  }
  const facesDiffer = Object.keys(facesOwn).length > 0 || Object.keys(global).some((k) => JSON.stringify(global[k as SlotName]) !== JSON.stringify(faces[k as SlotName]));
  return {
    parsed,
    edits,
    stated: { global, faces },
    facesDiffer,
    canonical: { global: canonicalSentence(global), faces: canonicalSentence(faces) },
    force: { global: integratorForce(global), faces: integratorForce(faces) },
    notes: [...parsed.notes],
  };
}

/** A stated reading, or the default, or undefined when the photo decides. */
export function reading(s: SlotSettings, slot: SlotName): SlotReading | undefined {
  if (s[slot]) return s[slot];
  const d = DEFAULTS[slot];
  return d ? { value: d, source: 'default' } : undefined;
}
