/**
 * What an instruction says about the photo's tone and colour, read from its words. The tone of an old
 * print is its character, so the app changes it only when the words ask; this is where "asks" is decided.
 * The integrator still decodes its `cast`, `colour` and `fade` tokens from the words and the image, but
 * with no words about tone its default ("cast: fix") is the training recipe's, not the user's wish.
 */

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

const COLOUR = String.raw`(?:colou?rs?|tones?|toning|tints?|casts?|hues?|white balance)`;
const NEG = String.raw`(?:don'?t|do not|never|no need to|without|not)`;

/** Rules in order; the first match for a slot wins, so the more specific phrasings come first. */
const TONE_RULES: [ToneWish, RegExp][] = [
  ['keep', new RegExp(String.raw`\b${NEG}\s+(?:\w+\s+){0,2}(?:change|alter|touch|fix|correct|remove|neutrali[sz]e|adjust)\w*\s+(?:the\s+|its\s+|any\s+)?(?:${COLOUR}|sepia|warmth)`, 'i')],
  ['keep', new RegExp(String.raw`\b(?:keep|leave|preserve|retain|maintain)\b[^.;,]*?\b(?:sepia|${COLOUR}|warm(?:th)?|brown(?:ish)?|vintage (?:tint|look)|original (?:tone|look))\b`, 'i')],
  ['bw', /\b(?:make|turn|convert|render|change)\b[^.;,]*?\b(?:black[ -]?(?:and|&|n)[ -]?white|b\s?&\s?w|gr[ae]yscale|monochrome|mono)\b|\b(?:neutral|pure)\s+(?:black[ -]?(?:and|&)[ -]?white|gr[ae]y(?:scale)?)\b|\b(?:gr[ae]yscale|b&w)\s+please\b/i],
  ['restore', new RegExp(String.raw`\b(?:restore|bring back|recover|revive|return)\b[^.;,]*?\b(?:the\s+)?(?:original\s+)?colou?rs?\b|\bfaded colou?rs?\b`, 'i')],
  ['neutral', new RegExp(String.raw`\b(?:remove|get rid of|fix|correct|neutrali[sz]e|balance|take out|kill|lose|reduce)\b[^.;,]*?\b(?:sepia|yellowing|discolou?ration|${COLOUR}|(?:yellow|orange|brown|magenta|green|blue|red|pink|purple|violet)(?:ish)?\s+(?:${COLOUR}|look|shift))\b|\bmake (?:it|the (?:photo|picture|image)) (?:look )?neutral\b|\bneutral (?:colou?rs?|tones?|grey|gray)\b|\bwhite[ -]balance\b`, 'i')],
  ['warm', /\b(?:warm(?:er)?(?: it)?(?: up)?|more warmth|add warmth)\b/i],
  ['cool', /\b(?:cool(?:er)?(?: it)?(?: down)?|colder|bluer|less warm)\b/i],
];

const FADE_RULES: [FadeWish, RegExp][] = [
  ['leave', new RegExp(String.raw`\b(?:${NEG}\s+(?:\w+\s+){0,2}(?:change|touch|fix|boost|increase|adjust)\w*\s+(?:the\s+)?(?:contrast|fading|brightness|levels))|\b(?:keep|leave)\b[^.;,]*?\b(?:fad(?:ing|ed look)|contrast|soft look|washed[- ]out look)\b`, 'i')],
  ['fix', /\b(?:restore|boost|increase|bring back|fix|improve|more)\b[^.;,]*?\bcontrast\b|\b(?:fix|remove|correct|reduce|undo|repair)\b[^.;,]*?\b(?:fad(?:ing|e|ed)|washed[- ]out|haze|dull(?:ness)?)\b|\bless (?:faded|washed[- ]out|dull)\b|\brevive\b/i],
];

/** Reads the tone and fade wishes out of an instruction ("" says nothing). */
export function readToneWords(text: string): ToneWords {
  const t = text.replace(/\s+/g, ' ').slice(0, 2000);
  const out: ToneWords = { because: [] };
  for (const [wish, re] of TONE_RULES) {
    const m = re.exec(t);
    if (m) {
      out.tone = wish;
      out.because.push(`tone ${wish}: “${m[0].trim()}”`);
      break;
    }
  }
  for (const [wish, re] of FADE_RULES) {
    const m = re.exec(t);
    if (m) {
      out.fade = wish;
      out.because.push(`fading ${wish}: “${m[0].trim()}”`);
      break;
    }
  }
  return out;
}
