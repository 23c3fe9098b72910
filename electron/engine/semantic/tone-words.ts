/**
 * What an instruction says about the photo's tone and colour, as the tone stage (tone-policy.ts) reads
 * it. The tone of an old print is its character, so the app changes it only when the words (or an edit
 * in the Restore panel) ask; the instruction parser (electron/shared/instructions) is the one reader of
 * the words, and its `tone` and `fading` settings are the wishes here. The integrator still decodes its
 * `cast`, `colour` and `fade` tokens, but with no words about tone its default ("cast: fix") is the
 * training recipe's, not the user's wish.
 */
import { readInstruction } from '../../node/instruction-reader.js';
import type { SlotSettings } from '../../shared/instructions/slots.js';

export type ToneWish = 'keep' | 'neutral' | 'bw' | 'warm' | 'cool' | 'restore';
export type FadeWish = 'fix' | 'leave';

export interface ToneWords {
  /** What the words ask of the colour; absent when they say nothing about it. */
  tone?: ToneWish;
  /** What the words ask of fading and contrast; absent when they say nothing about it. */
  fade?: FadeWish;
  /** The phrase that decided each, for the recipe and the Restore panel. */
  because: string[];
}

/** The tone and fading wishes among stated settings (words, implied, edits; never defaults or the photo's). */
export function toneWordsFrom(s: SlotSettings): ToneWords {
  const out: ToneWords = { because: [] };
  const said = (r: SlotSettings['tone']) => r && r.source !== 'default' && r.source !== 'photo';
  if (said(s.tone)) {
    out.tone = s.tone!.value as ToneWish;
    out.because.push(`tone ${out.tone}: ${s.tone!.source === 'edit' ? 'set in the Restore panel' : `“${s.tone!.because ?? ''}”`}`);
  }
  if (said(s.fading)) {
    out.fade = s.fading!.value as FadeWish;
    out.because.push(`fading ${out.fade}: ${s.fading!.source === 'edit' ? 'set in the Restore panel' : `“${s.fading!.because ?? ''}”`}`);
  }
  return out;
}

/** Reads the tone and fade wishes out of an instruction ("" says nothing). */
export function readToneWords(text: string): ToneWords {
  return toneWordsFrom(readInstruction(text).stated.global);
}
