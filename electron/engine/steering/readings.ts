/**
 * Every setting of one pass as the Restore panel and the recipe show it: what the words and edits
 * stated, else what the photo decided (the integrator's decoded tokens, the tone stage's decision),
 * else the default; and the recipe's record of the whole instruction.
 */
import { restorerSteering, type InstructionPlan, type Pass } from '../../shared/instructions/plan.js';
import { DEFAULTS, SLOT_NAMES, type SlotName, type SlotReading, type SlotSettings, type SteeringRecord } from '../../shared/instructions/slots.js';
import type { PassSteering } from '../types.js';
import { hasColourNoise, type NoiseLevels } from './texture.js';

export type { PassSteering };

/** `repaired`: the damage settings the repair stage has repaired for this photo (the restorer is then not told of them). */
export function passSteering(plan: InstructionPlan, pass: Pass, repaired: ReadonlySet<SlotName> = new Set()): PassSteering {
  const restorer = restorerSteering(plan.stated[pass], repaired);
  return { pass, stated: plan.stated[pass], canonical: plan.canonical[pass], force: plan.force[pass], ...(restorer ? { restorer } : {}) };
}

/**
 * The noise setting the photo's own measurement decides: colour noise it measurably has is removed when
 * the words say nothing of grain (the integrator's reading decides nothing here: it reads noise in clean
 * and JPEG-damaged photos too). One rule for the plan (steer.ts) and the chips (fullReadings).
 */
export function measuredColourNoise(grainStated: boolean, levels: NoiseLevels | undefined): SlotReading | undefined {
  if (grainStated || !levels || !hasColourNoise(levels)) return undefined;
  return { value: 'fix', source: 'photo', because: `colour noise measured in the photo (${(levels.chroma * 255).toFixed(1)}/255)` };
}

/** The integrator's slot and level that decide each damage kind when the words are silent. */
const FROM_DECODED: Partial<Record<keyof SlotSettings, string>> = { scratches: 'scratches', dust: 'scratches', blotches: 'scratches', noise: 'noise', blur: 'blur', jpeg: 'jpeg' };

export function fullReadings(stated: SlotSettings, decoded: Record<string, string>, tone?: { actions: string[] } | null, levels?: NoiseLevels): SlotSettings {
  const out: SlotSettings = {};
  for (const slot of SLOT_NAMES) {
    const s = stated[slot];
    if (s) {
      out[slot] = s;
      continue;
    }
    const from = FROM_DECODED[slot];
    const measured = slot === 'noise' ? measuredColourNoise(!!stated.grain, levels) : undefined;
    let r: SlotReading | undefined;
    if (measured) r = measured;
    else if (from && decoded[from]) r = { value: decoded[from] === 'off' ? 'leave' : 'fix', source: 'photo', because: `${from === slot ? slot : `damage (${from})`} read as ${decoded[from]} in the photo` };
    else if (slot === 'grain' && decoded.grain) r = { value: decoded.grain, source: 'photo', because: `grain read as ${decoded.grain}` };
    else if (slot === 'fading' && tone) r = tone.actions.includes('levels') ? { value: 'fix', source: 'photo', because: 'the tones are visibly faded' } : { value: 'leave', source: 'photo', because: `fading read as ${decoded.fade ?? 'off'}; tones kept` };
    else if (slot === 'strength' && decoded.strength && decoded.strength !== 'normal') r = { value: decoded.strength, source: 'photo', because: `strength read as ${decoded.strength}` };
    else if (DEFAULTS[slot]) r = { value: DEFAULTS[slot]!, source: 'default' };
    if (r) out[slot] = r;
  }
  return out;
}

/** The recipe's record: the words, the canonical sentences, every setting per pass, edits and notes. */
export function steeringRecord(plan: InstructionPlan, instruction: string, regions: { all: SlotSettings; faces?: SlotSettings | undefined }, notes: string[] = []): SteeringRecord {
  const clean = (s: SlotSettings) => Object.fromEntries(Object.entries(s).map(([k, r]) => [k, { value: r!.value, source: r!.source, ...(r!.because ? { because: r!.because.slice(0, 300) } : {}) }]));
  return {
    instruction: instruction.slice(0, 2000),
    canonical: { all: plan.canonical.global, ...(regions.faces ? { faces: plan.canonical.faces } : {}) },
    regions: { all: clean(regions.all), ...(regions.faces ? { faces: clean(regions.faces) } : {}) },
    edits: { ...plan.edits },
    notes: [...new Set([...plan.notes, ...notes])],
  };
}
