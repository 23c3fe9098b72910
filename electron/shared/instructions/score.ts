/** Understanding accuracy of the parser on labelled instructions (held-out sets, the instructions benchmark). */
import { parseInstruction, statedValues } from './parse.js';
import type { InstructionReader } from './reader.js';

export interface UnderstandingScore {
  /** Slots the instructions state, and how many the parser got right. */
  slots: number;
  correct: number;
  accuracy: number;
  /** Per slot name (region prefix dropped): [correct, stated]. */
  perSlot: Record<string, [number, number]>;
  /** Instructions that state nothing but got settings anyway. */
  invented: number;
  /** Settings read that the labels do not state (right but unlabelled, or wrong: the labels state less when in doubt). */
  unlabelled: number;
  misses: string[];
}

/** `reader`: score the rules with the learned reader's fills (absent: the rules alone). */
export function scoreUnderstanding(cases: { text: string; expect: Record<string, string> }[], reader?: InstructionReader | null): UnderstandingScore {
  let slots = 0, correct = 0, invented = 0, unlabelled = 0;
  const perSlot: Record<string, [number, number]> = {};
  const misses: string[] = [];
  for (const { text, expect } of cases) {
    const got = statedValues(parseInstruction(text, reader));
    for (const [key, want] of Object.entries(expect)) {
      const name = key.replace(/^(faces|background)\./, '');
      const row = (perSlot[name] ??= [0, 0]);
      row[1]++;
      slots++;
      if (got[key] === want) {
        correct++;
        row[0]++;
      } else misses.push(`${JSON.stringify(text)}: ${key} = ${got[key] ?? '(nothing)'}, expected ${want}`);
    }
    unlabelled += Object.keys(got).filter((k) => !(k in expect)).length;
    if (!Object.keys(expect).length && Object.keys(got).length) {
      invented++;
      misses.push(`${JSON.stringify(text)}: states nothing, read as ${JSON.stringify(got)}`);
    }
  }
  return { slots, correct, accuracy: slots ? correct / slots : 1, perSlot, invented, unlabelled, misses };
}
