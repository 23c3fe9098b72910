/**
 * The instruction parser's first step: the normalised words matched against the lexicon, longest
 * phrase first, into units (an action, a thing, a negation, a region …), after separable phrasal
 * verbs are joined ("take the yellow out" → "take out the yellow").
 */
import { compileLexicon, RARE_WORDS, type Unit, type LexEntry } from './lexicon.js';
import type { Token } from './normalise.js';

export const LEX = compileLexicon();
/** Words typos are corrected toward. */
export const VOCABULARY = [...LEX.words].filter((w) => /^[a-z]{4,}$/.test(w) && !RARE_WORDS.has(w));

/** A unit and the tokens it covers. */
export interface U {
  u: Unit;
  from: number;
  to: number;
}

const PHRASAL = new Set(['take', 'punch', 'clean', 'smooth', 'tone', 'turn', 'bring', 'get', 'wipe', 'cut', 'dial', 'calm', 'sort', 'clear', 'crank', 'bump', 'pump', 'warm', 'cool', 'sharpen', 'ramp', 'tidy']);
const PARTICLES = new Set(['out', 'up', 'down', 'back', 'off', 'away']);

/** "take the yellow out" → "take out the yellow": separable phrasal verbs, so the lexicon sees them whole. */
export function joinPhrasal(tokens: Token[]): Token[] {
  const out = [...tokens];
  for (let i = 0; i < out.length; i++) {
    if (!PHRASAL.has(out[i]!.w) || PARTICLES.has(out[i + 1]?.w ?? '')) continue;
    for (let j = i + 2; j <= Math.min(out.length - 1, i + 5); j++) {
      const w = out[j]!.w;
      if (/^[.,;:!?]$/.test(w) || w === 'and' || w === 'but') break;
      // "washed out", "worn out" keep their particle.
      if (PARTICLES.has(w) && !(LEX.byFirst.get(out[j - 1]!.w) ?? []).some((e) => e.words[1]?.includes(w))) {
        const [p] = out.splice(j, 1);
        out.splice(i + 1, 0, p!);
        break;
      }
    }
  }
  return out;
}

export function matchUnits(tokens: Token[]): U[] {
  const out: U[] = [];
  for (let i = 0; i < tokens.length; ) {
    const cands = LEX.byFirst.get(tokens[i]!.w);
    let hit: LexEntry | undefined;
    for (const e of cands ?? []) {
      if (e.words.length <= tokens.length - i && e.words.every((alts, k) => alts.includes(tokens[i + k]!.w))) {
        hit = e;
        break;
      }
    }
    if (hit) {
      out.push({ u: hit.unit, from: i, to: i + hit.words.length });
      i += hit.words.length;
    } else i++;
  }
  return out;
}

