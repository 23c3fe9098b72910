/**
 * The instruction parser: what the words of an instruction state about each setting (slots.ts), per
 * region, with the phrase that stated it. Deterministic and rule-based: the lexicon (lexicon.ts) turns
 * words into units; a clause is cut into segments, each led by an action ("remove", "keep", "sharpen")
 * that governs the things after it ("the scratches, dust and stains") until the next action or a clause
 * boundary; negation binds to the next action or thing ("don't touch the grain", "no grain"), intensity
 * to the segment ("sharpen a little", "restore gently"), regions split it ("the faces strongly and the
 * rest gently"). Things mentioned without an action wait for one ("there are stains, clean them up";
 * "scratches: remove") or, bare, ask to be fixed ("scratches and dust pls").
 * Steps, one module each: units.ts (words → lexicon units), segments.ts (a clause → segments),
 * requests.ts (what a segment asks of each thing → a slot value); here, sentences and clauses, things
 * waiting for an action, exceptions, regions, "only", and which statement wins.
 */
import type { Act } from './lexicon.js';
import { normalise, MAX_READ_CHARS, type Token } from './normalise.js';
import { DAMAGE_SLOTS, PHOTO_SLOTS, REGIONAL_SLOTS, isSlotName, isSlotValue, parseSlotKey, slotKey, strengthValue, type Region, type SlotName } from './slots.js';
import { LEX, VOCABULARY, joinPhrasal, matchUnits, type U } from './units.js';
import { segments, type ActUnit, type ObjRef, type RegionRef } from './segments.js';
import { exceptionValue, placeOf, request, valueOf } from './requests.js';
import { fillFromReader, overridesFromReader, readGuesses, type InstructionReader } from './reader.js';

export type Priority = 'implied' | 'complaint' | 'words';
const RANK: Record<Priority, number> = { implied: 0, complaint: 1, words: 2 };

export interface Statement {
  slot: SlotName;
  value: string;
  region: Region;
  priority: Priority;
  /** The words that stated it, as typed. */
  phrase: string;
  order: number;
  /** From the learned reader (reader.ts) with this probability: where the rules stated nothing of the slot, or read it otherwise and the reader was sure enough to override them. */
  learned?: number;
}

export interface ParsedInstruction {
  /** Every statement, in order; `stated` holds the winners. */
  statements: Statement[];
  /** Winning statement per key ("grain", "faces.sharpness"). */
  stated: Record<string, Statement>;
  notes: string[];
  language: 'en' | 'other' | 'none';
  /** False when the text was deliberately not read as a request (markup, another language, words to the program). */
  readable: boolean;
  /** Requests taken back ("scratch that"): the words that took them back and the settings they had stated. */
  withdrawn?: { phrase: string; keys: string[] }[];
  /** Keys whose value was said again differently after a correction ("actually", "never mind", "I meant"): the rules know the order, the learned reader does not. */
  corrected?: string[];
  /** Keys an exclusive request asked for ("only the dust"): the words' order and their "only" decide these, not the learned reader. */
  exclusive?: string[];
  /** Keys an exception kept ("fix everything but the grain"): the reader, which splits its clauses at "except", does not see what they are excepted from. */
  excepted?: string[];
}

/** "grain=keep", "faces.sharpness: crisp", "scope = background": one setting by its own name, a whole list item. */
const KEY_VALUE = /^\s*[[(]?\s*([a-z]+(?:\s*\.\s*[a-z]+)?)\s*(?:[=:]|->|=>|\u2192)\s*([a-z]+|\d*\.?\d+)\s*[\])]?\s*$/i;

/**
 * The list items of an instruction that name a setting and one of its values exactly, as the Restore
 * panel's chips and `--set` write them, each with where it starts (0..1 of the text); the rest of the
 * text, with those items blanked, is read as words.
 */
function keyValueItems(text: string): { items: { slot: SlotName; value: string; region: Region; at: number; typed: string }[]; rest: string } {
  const items: { slot: SlotName; value: string; region: Region; at: number; typed: string }[] = [];
  let rest = '';
  let pos = 0;
  // Items end at a comma, a semicolon, a new line, or a space before the next 'name=' ("fading=leave tone=bw").
  for (const piece of text.split(/([,;\n]+|\s+[/|]\s+|(?:^|\s+)--set\s+|\s+(?=[[(]?[a-z]+(?:\.[a-z]+)?\s*=))/i)) {
    const m = KEY_VALUE.exec(piece);
    // The same reading of a setting's name as the chips' edits and --set (slots.ts).
    const key = m ? parseSlotKey(m[1]!.replace(/\s+/g, '')) : null;
    const value = m?.[2]!.toLowerCase() ?? '';
    if (key && isSlotValue(key.slot, value)) {
      items.push({ ...key, value, at: pos / Math.max(1, text.length), typed: piece.trim() });
      rest += ' '.repeat(piece.length);
    } else rest += piece;
    pos += piece.length;
  }
  return { items, rest };
}

/** "Stains: no.", "Deblur: no thanks": a list item declined, written as the words "skip stains" (left as it is). */
function declinedItems(text: string): string {
  return text.replace(/(^|[.,;!?\n]\s*)([\p{L}][\p{L}' -]{1,30}?)\s*:\s*(?:no|nope|nah)(?:,?\s+(?:thanks|thank you|thx|ta))?\s*(?=$|[.,;!?\n])/giu, '$1skip $2 ');
}

const UNIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TEN_WORDS = ['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
/** A percentage in words ("twelve percent", "sixty-five per cent", "a hundred percent"); the longer words first. */
const PERCENT_WORDS = String.raw`(?:${TEN_WORDS.join('|')})(?:[\s-](?:${UNIT_WORDS.slice(1, 10).join('|')}))?|${UNIT_WORDS.slice(1).reverse().join('|')}|(?:a|one)\s+hundred|hundred`;
/** A fraction said in words ("point four", "nought point three five"). */
const POINT = String.raw`(?:(?:zero|nought|oh)\s+)?point\s+(?:${UNIT_WORDS.slice(0, 10).join('|')})(?:\s+(?:${UNIT_WORDS.slice(0, 10).join('|')}))?`;

/** The number of a percentage or fraction said in words (PERCENT_WORDS, POINT). */
function numberInWords(said: string): number {
  const words = said.toLowerCase().split(/[\s-]+/);
  const at = words.indexOf('point');
  if (at >= 0) return Number(`0.${words.slice(at + 1).map((w) => UNIT_WORDS.indexOf(w)).join('')}`);
  if (words.includes('hundred')) return 100;
  return words.reduce((n, w) => n + (TEN_WORDS.includes(w) ? (TEN_WORDS.indexOf(w) + 2) * 10 : Math.max(0, UNIT_WORDS.indexOf(w))), 0);
}
/** "half", "halfway", "quarter", "three quarters" (of the strength). */
const fractionValue = (said: string): number => {
  const w = said.toLowerCase().replace(/^a\s+/, '');
  return /^half/.test(w) ? 0.5 : /^three/.test(w) ? 0.75 : /^two/.test(w) ? 0.67 : /^third/.test(w) ? 0.33 : /^fifth/.test(w) ? 0.2 : /^tenth/.test(w) ? 0.1 : 0.25;
};
/** "strength", as typed in a hurry too ("strenght", "strengh"). */
const STRENGTH_WORD = String.raw`(?:strength|strenght|strengh|strenth|stength)`;
/** Strength said as an amount in words: "half strength", "strength 1", "set the strength to 30%", "80% strength", "do it at 40%", "make it 0.45" (not "make it 40% brighter"). */
const STRENGTH_AMOUNT = new RegExp(String.raw`\b(?:(?<frac>halfway|half|quarter|three[\s-]+quarters?|(?:a\s+|one\s+)?(?:fifth|third|tenth|quarter)|two[\s-]+thirds)[\s-]+(?:of\s+)?(?:the\s+)?(?:(?:full|maximum|max|total|usual)\s+)?(?:${STRENGTH_WORD}|power|intensity)|(?:${STRENGTH_WORD}|intensity)\s*(?:(?:level\s+)?(?:of|to|at|is|=|:)\s*)?(?:(?<pct>\d{1,3}|${PERCENT_WORDS})\s*(?:%|percent\b|per\s+cent\b)|(?<num>0|1|0?\.\d+|1\.0+)\b(?!\s*(?:%|percent|per\s+cent|[.,]\d))|(?<point>${POINT})\b)|(?<pct2>\d{1,3}|${PERCENT_WORDS})\s*(?:%|percent|per\s+cent)\s+(?:strength|intensity|power)\b|(?:do|put|set|run|have|take|keep|dial|turn|apply|try|go|make|crank|bump|push|pump|ramp|blend|fade|tone|bring|knock|drop|lower|reduce|ease|back)\s+(?:it|this|that|everything|things|the\s+(?:restoration|restore|effect|edit|fix|whole\s+thing|strength))\s+(?:(?:back\s+)?(?:at|to|down\s+to|up\s+to|down\s+a\s+bit\s+to|back\s+down\s+to|off\s+to)\s+)?(?:about\s+|around\s+|roughly\s+)?(?:(?<pct3>\d{1,3}|${PERCENT_WORDS})\s*(?:%|percent\b|per\s+cent\b)|(?<num2>0?\.\d+)\b(?!\s*(?:%|percent|per\s+cent|[.,]\d)))(?!\s+(?:more|less|[a-z]+er)\b))`, 'gi');

/** "half strength on the background", "strength 0.8 for the people": the region an amount is given to, named right after it. */
function amountRegion(after: string): Region {
  const m = /^\s*(?:on|for|to|in|with)\s+(.+)$/i.exec(after);
  if (!m) return 'all';
  // Read with its "on", which places the people or the thing after it ("on the bus conductor").
  const tokens = normalise(`on ${m[1]!}`, LEX.words, VOCABULARY).tokens;
  const first = matchUnits(tokens)[0];
  // (Up to two words before the noun that says who.)
  return first && first.from <= 5 && first.u.t === 'region' ? first.u.region : 'all';
}

/** The amounts of STRENGTH_AMOUNT as statements of the strength's number, blanked out of the text the words are read from. */
function strengthAmounts(text: string): { items: { slot: SlotName; value: string; region: Region; at: number; typed: string }[]; rest: string } {
  const items: { slot: SlotName; value: string; region: Region; at: number; typed: string }[] = [];
  /** The amount `m` found at `at` as a statement, blanked out; a number outside 0..1 stays words. */
  const take = (m: string, x: number, region: Region, at: number): string => {
    if (!(x >= 0 && x <= 1)) return m;
    items.push({ slot: 'strength', value: strengthValue(x), region, at: at / Math.max(1, text.length), typed: m.trim() });
    return ' '.repeat(m.length);
  };
  /** The region named right after the amount `m` at `at` (the texts below keep `text`'s length). */
  const regionAfter = (m: string, at: number) => amountRegion(text.slice(at + m.length, at + m.length + 60));
  const rest0 = text.replace(STRENGTH_AMOUNT, (m, ...args) => {
    const at = args[args.length - 3] as number;
    const g = args[args.length - 1] as Record<string, string | undefined>;
    const pct = g.pct ?? g.pct2 ?? g.pct3;
    const x = g.frac ? fractionValue(g.frac) : pct !== undefined ? (/^\d/.test(pct) ? Number(pct) : numberInWords(pct)) / 100 : g.point ? numberInWords(g.point) : Number(g.num ?? g.num2);
    return take(m, x, regionAfter(m, at), at);
  });
  // "Strength for the figures: 0.25; for the landscape: 0.6.": an amount after a region and a colon.
  const labelled = rest0.replace(/\b(?:for|on)\s+(?<who>(?:the\s+)?[a-z'’ -]{2,30}?)\s*[:=]\s*(?:(?<num>0?\.\d+|1\.0+)\b|(?<pct>\d{1,3})\s*(?:%|percent\b|per\s+cent\b))/gi, (m, ...args) => {
    const at = args[args.length - 3] as number;
    const g = args[args.length - 1] as Record<string, string>;
    const region = amountRegion(` for ${g.who}`);
    return region === 'all' ? m : take(m, g.pct !== undefined ? Number(g.pct) / 100 : Number(g.num), region, at);
  });
  // "Sharpen, warm, 30%.", "At 65 per cent, please.", "Update: 0.6.", "0.4 this time.": a percentage or a fraction that
  // is a whole item of a list or a sentence is how strongly.
  const listed = labelled.replace(
    /(?<=(?:^|[,;:.!?/]|\n)\s*)(?<!\d[,;:.]\s*)(?:at\s+)?(?:(?<pct>\d{1,3})\s*(?:%|percent\b|per\s+cent\b)|(?<num>0?\.\d+)\b(?!\s*%))(?=(?:\s*,?\s*(?:this\s+time|please|pls|plz|thanks|then|is\s+(?:plenty|enough|fine|ample)|will\s+do|should\s+do))?\s*(?:$|[,;.!?\n]))/gi,
    (m, ...args) => {
      const at = args[args.length - 3] as number;
      const g = args[args.length - 1] as Record<string, string | undefined>;
      const x = g.pct !== undefined ? Number(g.pct) / 100 : Number(g.num);
      return x > 0 ? take(m, x, 'all', at) : m;
    },
  );
  // "Quarter strength. I've changed my mind, three quarters.": after an amount, a fraction said alone is another.
  const fractions = !items.length ? listed : listed.replace(/(?<=(?:^|[,;:.!?]|\n)\s*)(?<frac>three[\s-]+quarters|half|halfway|a\s+quarter|quarter)(?=\s*(?:please|pls|then|instead)?\s*(?:$|[,;.!?\n]))/gi, (m, frac: string, at: number) => take(m, fractionValue(frac.replace(/^a\s+/i, '')), 'all', at));
  // "strength 0.8 on the building, 0.4 on the people", "0.3 on the faces, 0.7 on everything else": a bare amount
  // given to a region by name.
  const more = fractions.replace(/(?<=(?:^|[,;]|\band|\bbut)\s*)(?:(?<num>0?\.\d+|1\.0+)|(?<pct>\d{1,3})\s*(?:%|percent\b|per\s+cent\b))(?=\s+(?:on|for)\s)/gi, (m, ...args) => {
    const at = args[args.length - 3] as number;
    const g = args[args.length - 1] as Record<string, string | undefined>;
    const region = regionAfter(m, at);
    return region === 'all' ? m : take(m, g.pct !== undefined ? Number(g.pct) / 100 : Number(g.num), region, at);
  });
  return { items, rest: more };
}

/** A whole phrase that is one strength amount (STRENGTH_AMOUNT, anchored). */
const WHOLE_STRENGTH_AMOUNT = new RegExp(`^\\s*${STRENGTH_AMOUNT.source}\\s*$`, 'i');

/** A setting the words gave by its name and value ("grain=keep", "half strength"): what the user chose, whatever the reader thinks. */
function typedByName(phrase: string): boolean {
  return KEY_VALUE.test(phrase) || WHOLE_STRENGTH_AMOUNT.test(phrase);
}

/** "the typists need work": a general request to fix what is described of them. */
const NEEDS_WORK: ActUnit = { t: 'act', act: 'fix', generic: true };

/** Values that ask for nothing to be done. */
const OFF = new Set(['leave', 'keep', 'natural']);

/** Markup or a program's syntax in the text ("<!-- system: … -->", '{"strength": …}'): written at the program, not a request. */
const MARKUP = /<!--|-->|\{\s*"|\bsystem\s*:|<\/?\s*(?:system|prompt|instructions?|assistant|user|admin)\b[^>]{0,40}>|#{3}\s*\w+\s*#{3}|\[\[\s*\w+\s*\]\]|\bassistant\s*:/i;

/**
 * What the words state: the rules' reading, and where a learned reader is given, the settings it is sure
 * of that the rules left unstated (reader.ts, `fillFromReader`).
 */
export function parseInstruction(text: string, reader?: InstructionReader | null): ParsedInstruction {
  const parsed = parseRules(text);
  if (!reader || !parsed.readable || parsed.language !== 'en') return parsed;
  // The reader weighs words without their order: it sees neither the words that took a request back ("scratch
  // that" is no scratch) nor, for the settings taken back, anything to fill or override (the rules know the order).
  const withdrawnKeys = new Set(parsed.withdrawn?.flatMap((w) => w.keys));
  const readText = (parsed.withdrawn ?? []).reduce((t, w) => t.replace(new RegExp(w.phrase.split(' ').map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\W+'), 'gi'), ' '), text);
  const guesses = Object.fromEntries(Object.entries(readGuesses(reader.weights, readText)).filter(([key]) => !withdrawnKeys.has(key)));
  const fills = fillFromReader(statedValues(parsed), guesses, reader.threshold);
  // A setting typed by its own name is what the user chose, whatever the reader thinks.
  const overrides = Object.fromEntries(
    Object.entries(reader.override ? overridesFromReader(statedValues(parsed), guesses, reader.override) : {}).filter(([key]) => !typedByName(parsed.stated[key]!.phrase) && !parsed.corrected?.includes(key) && !parsed.excepted?.includes(key)),
  );
  // "Only the dust, and leave the colours as they are": the reader, weighing "leave", would turn off the one thing an
  // exclusive request asked for, leaving it asking nothing. Where it turns on nothing else, the rules' "only" stands.
  const offs = (parsed.exclusive ?? []).filter((key) => overrides[key] && OFF.has(overrides[key]!.value));
  if (offs.length && offs.length === parsed.exclusive!.length && !Object.values(overrides).some((o) => !OFF.has(o.value))) for (const key of offs) delete overrides[key];
  const keys = Object.keys(fills);
  if (!keys.length && !Object.keys(overrides).length) return parsed;
  let order = Math.max(0, ...parsed.statements.map((s) => s.order)) + 1;
  /** The reader's reading of a whole-photo setting, as the winning statement. */
  const learned = (key: string, value: string, p: number) => {
    const st: Statement = { slot: key as SlotName, value, region: 'all', priority: 'words', phrase: `learned reader, ${Math.round(p * 100)}% sure`, order: order++, learned: p };
    parsed.statements.push(st);
    parsed.stated[key] = st;
  };
  for (const key of keys) learned(key, fills[key]!.value, fills[key]!.p);
  for (const [key, { value, p, was }] of Object.entries(overrides)) {
    parsed.notes.push(`The rules read ${key} as ${was} (from “${parsed.stated[key]!.phrase}”); the learned reader (${reader.name}), ${Math.round(p * 100)}% sure, reads ${value}, and was used.`);
    learned(key, value, p);
  }
  if (keys.length) {
    const nothing = parsed.notes.findIndex((n) => n.startsWith('No setting was recognised'));
    if (nothing >= 0) parsed.notes.splice(nothing, 1);
    parsed.notes.push(`The rules did not read ${keys.join(', ')}; the learned reader (${reader.name}) did.`);
  }
  return parsed;
}

/** What a setting is when the request that set it is taken back: the photo left as it is in that respect (none for a strength). */
function undoneValue(slot: SlotName): string | null {
  if ((DAMAGE_SLOTS as readonly string[]).includes(slot)) return 'leave';
  if (slot === 'grain' || slot === 'tone' || slot === 'identity') return 'keep';
  if (slot === 'sharpness') return 'natural';
  if (slot === 'scope') return 'all';
  return null;
}

/** Verbs that take back what was just said when their object is "that", "it" or "what I said" and nothing follows. */
const WITHDRAW_VERBS = new Set(['scratch', 'scrap', 'strike', 'cancel', 'forget', 'ignore', 'disregard', 'belay', 'undo', 'drop']);
/** "it" only after "forget": "undo it", "ignore it" say what to do with a defect. */
const WITHDRAWN = [['that'], ['this'], ['what', 'i', 'said'], ['what', 'i', 'just', 'said'], ['i', 'said', 'that'], ['i', 'said', 'it'], ['i', 'said', 'anything'], ['i', 'asked'], ['the', 'last', 'bit'], ['the', 'last', 'part'], ['that', 'last', 'bit'], ['that', 'last', 'part'], ['the', 'above'], ['my', 'last', 'request']];
const BOUNDARY = /^[.,;:!?]$/;
/** Words a withdrawal may follow in place of a comma ("no scratch that", "ehh scratch that"). */
const FILLERS = new Set(['no', 'nope', 'nah', 'oh', 'ah', 'eh', 'ehh', 'erm', 'um', 'umm', 'uh', 'hmm', 'actually', 'wait', 'sorry', 'ok', 'okay', 'oops', 'whoops', 'lol', 'so', 'and', 'but', 'then']);
const SENTENCE_END = /^[.;!?]$/;

/**
 * Finds the phrases that take back the request before them ("scratch that", "scrap that", "belay that", "forget what I
 * said", "never mind that", "no, don't"): at the start of a sentence or clause, after something else, and followed
 * by a boundary or the end. Their words become a full stop, so that "scratch" is not read as scratches and what
 * follows is a request of its own. Each withdrawal (at a token index) takes back the statements of the sentence
 * that said something last before it.
 */
function markWithdrawals(tokens: Token[]): { tokens: Token[]; withdrawals: { at: number; phrase: string }[] } {
  const out = [...tokens];
  const withdrawals: { at: number; phrase: string }[] = [];
  const typed = (i: number) => out[i]?.typed ?? out[i]?.w ?? '';
  for (let i = 0; i < out.length; i++) {
    if (i > 0 && !BOUNDARY.test(out[i - 1]!.w) && !FILLERS.has(out[i - 1]!.typed ?? out[i - 1]!.w)) continue;
    let len = 0;
    if (i > 0 && WITHDRAW_VERBS.has(typed(i))) {
      for (const obj of typed(i) === 'forget' ? [...WITHDRAWN, ['it']] : WITHDRAWN) if (obj.every((w, k) => out[i + 1 + k]?.w === w) && (i + 1 + obj.length >= out.length || BOUNDARY.test(out[i + 1 + obj.length]!.w))) len = Math.max(len, 1 + obj.length);
    } else if (i > 0 && out[i]!.w === 'never' && out[i + 1]?.w === 'mind' && ['that', 'it'].includes(out[i + 2]?.w ?? '') && (i + 3 >= out.length || BOUNDARY.test(out[i + 3]!.w))) len = 3;
    // "Remove the grain. Hmm, never mind.": said on its own, it takes the request back too ("Never mind, just the
    // background" is a correction: what follows replaces it).
    else if (i > 0 && out[i]!.w === 'never' && out[i + 1]?.w === 'mind' && (i + 2 >= out.length || SENTENCE_END.test(out[i + 2]!.w))) len = 2;
    // "Remove the dust. Sorry, I meant the scratches.", "Take out the noise, I misspoke, the stains.": another defect named
    // on its own after "I meant" takes back the request before it, and is asked for in its place.
    else if (i > 0 && ((out[i]!.w === 'i' && ['meant', 'mean', 'misspoke'].includes(out[i + 1]?.w ?? '')) || (out[i]!.w === 'wrong' && out[i + 1]?.w === 'word'))) {
      // ("Remove the lint. Wrong word, the mould.")
      const n = out[i + 2]?.w === ',' ? 3 : 2;
      const units = matchUnits(out.slice(i + n));
      const first = units[0];
      const named = first?.u.t === 'obj' && first.u.obj.kind === 'thing' && first.from <= 1 && (DAMAGE_SLOTS as readonly string[]).includes(first.u.obj.slot);
      const end = out.slice(i + n).findIndex((t) => BOUNDARY.test(t.w));
      const rest = out.slice(i + n, end < 0 ? undefined : i + n + end).map((t) => t.w);
      // "I mean the dust as well": one more, not another.
      const added = rest.includes('too') || rest.includes('also') || rest.join(' ').includes('as well');
      if (named && !added && !units.some((x) => x.u.t === 'act' && (end < 0 || x.from < end))) {
        len = n;
        // "Oops, I meant the scratches, not the dust": the defect refused after it is the one taken back, not asked for.
        let k = i + n + rest.length;
        if (out[k]?.w === ',' && out[k + 1]?.w === 'not') for (; k < out.length && !SENTENCE_END.test(out[k]!.w); k++) out[k] = { w: '.' };
      }
    }
    // "Remove the foxing. No, on reflection, don't.": a "don't" (or "don't bother") on its own takes the request back.
    else if (i > 0 && out[i]!.w === 'do' && out[i + 1]?.w === 'not') {
      const n = out[i + 2]?.w === 'bother' ? 3 : 2;
      if (i + n >= out.length || BOUNDARY.test(out[i + n]!.w)) len = n;
    }
    if (!len) continue;
    withdrawals.push({ at: i, phrase: out.slice(i, i + len).map((_, k) => typed(i + k)).join(' ') });
    for (let k = i; k < i + len; k++) out[k] = { w: '.' };
    i += len - 1;
  }
  return { tokens: out, withdrawals };
}

const INTERJECTED_NO = new Set(['no', 'nope', 'nah']);
const BEFORE_INTERJECTION = new Set(['oh', 'ah', 'um', 'umm', 'uh', 'erm', 'hmm', 'wait', 'actually', 'sorry', 'so', 'oops', 'whoops']);
const AFTER_INTERJECTION = new Set(['wait', 'sorry', 'actually', 'no', 'nope', 'hang', 'hold', 'make', 'keep', 'leave', 'use', 'set', 'try']);

/**
 * "cooler please, oh no I meant warmer", "warm it up, wait, no, cool it down": a "no" said on its own, to take
 * back what came before, negates nothing after it; it becomes a clause boundary (token places unchanged).
 */
function unnegateInterjections(tokens: Token[]): Token[] {
  const at = (i: number) => tokens[i]?.w;
  return tokens.map((t, i) => {
    if (!INTERJECTED_NO.has(t.w)) return t;
    const before = i === 0 || BOUNDARY.test(at(i - 1)!) || BEFORE_INTERJECTION.has(at(i - 1)!);
    const next = at(i + 1);
    const after = next === undefined || BOUNDARY.test(next) || AFTER_INTERJECTION.has(next) || (next === 'i' && (at(i + 2) === 'meant' || at(i + 2) === 'mean'));
    return before && after ? { w: ',', typed: t.w } : t;
  });
}

/** Between one thing-and-place pair and the next: "the dust from the faces and the scratches from the background". */
const PAIR_GLUE = new Set(['and', ',', 'the', 'a', 'any', 'all', 'also', 'plus', 'then', 'those', 'some']);

/** The rules' reading alone. */
export function parseRules(text: string): ParsedInstruction {
  const notes: string[] = [];
  if (MARKUP.test((text ?? '').slice(0, MAX_READ_CHARS))) {
    return { statements: [], stated: {}, notes: ['The instruction looks like markup or program text, so it was not read as a request; the photo decided every setting.'], language: 'en', readable: false };
  }
  const typedItems = keyValueItems(declinedItems((text ?? '').slice(0, MAX_READ_CHARS)));
  const amounts = strengthAmounts(typedItems.rest);
  const kv = { items: [...typedItems.items, ...amounts.items], rest: amounts.rest };
  const norm = normalise(kv.rest + (text ?? '').slice(MAX_READ_CHARS), LEX.words, VOCABULARY);
  if (norm.truncated) notes.push(`The instruction is ${text.length.toLocaleString('en')} characters long; the first ${MAX_READ_CHARS.toLocaleString('en')} were read.`);
  if (norm.language === 'other') notes.push('Restora did not recognise the words of the instruction (it reads English), so the photo decided every setting.');
  const statements: Statement[] = [];
  /** What exclusive requests asked for ("only the dust"). */
  const askedOnly: Statement[] = [];
  /** What "everything except X" kept ("fix everything but the grain"). */
  const exceptedSaid: Statement[] = [];
  // "remove the dust. scratch that, take out the stains": the request before "scratch that" is taken back, and the
  // two words say nothing themselves (neither a scratch nor a setting).
  const { tokens, withdrawals } = markWithdrawals(unnegateInterjections(joinPhrasal(norm.tokens)));
  const phraseOf = (from: number, to: number) =>
    tokens
      .slice(from, to)
      .map((t) => t.typed ?? t.w)
      .filter((w) => !/^[.,;:!?]$/.test(w))
      .join(' ');
  let order = 0;
  /** Where a correction ("actually", "no wait") begins, as token indices. */
  const corrections = tokens.flatMap((_, i) => (correctionAt(tokens, i) ? [i] : []));
  /** A correction said at or after token `from` and before `at`. */
  const correctedSince = (from: number, at: number): boolean => corrections.some((c) => c >= from && c < at);
  /** "her face", "Granny Peg's face": one person's face named between `from` and `to`. */
  const oneFace = (from: number, to: number): boolean => tokens.slice(from, to).some((t, k) => t.w === 'face' && (!!tokens[from + k - 1]?.poss || /^(?:her|his|their)$/.test(tokens[from + k - 1]?.w ?? '')));
  /** The token a statement was said at (`emit` orders statements by it, times 1000). */
  const tokenOf = (st: Statement) => Math.floor(st.order / 1000);
  const emit = (slot: SlotName, value: string | undefined, region: Region, priority: Priority, from: number, to: number) => {
    if (!value) return null;
    const [s, v] = value.includes(':') ? (value.split(':') as [string, string]) : [slot, value];
    if (!isSlotName(s) || !isSlotValue(s, v)) return null;
    // Order by where the words are, so a bare mention decided at the end of its sentence still counts where it was said.
    const st: Statement = { slot: s, value: v, region: (PHOTO_SLOTS as readonly string[]).includes(s) ? 'all' : region, priority, phrase: phraseOf(from, to), order: from * 1000 + (order++ % 1000) };
    statements.push(st);
    return st;
  };

  for (const it of kv.items) {
    const st: Statement = { slot: it.slot, value: it.value, region: it.region, priority: 'words', phrase: it.typed, order: Math.round(it.at * tokens.length) * 1000 + (order++ % 1000) };
    statements.push(st);
  }

  const units = matchUnits(tokens);
  // "can the faces be a touch sharper?", "could the grain be less?": a question that asks for something to be so.
  let sentenceStart = 0;
  for (const [i, x] of units.entries()) {
    if (x.u.t === 'hard-bound' && x.u.sentence) sentenceStart = x.to;
    else if (x.u.t === 'copula' && tokens[x.from]?.w === 'be' && x.to === x.from + 1 && /^(?:can|could|would|will)$/.test(tokens[sentenceStart]?.w ?? '') && !units.slice(0, i).some((y) => y.from >= sentenceStart && y.u.t === 'act') && units.slice(i + 1).find((y) => y.u.t !== 'int' && y.u.t !== 'very')?.u.t === 'obj')
      units[i] = { ...x, u: { t: 'act', act: 'make' } };
    // "the faces could be crisper", "the sky should be a bit warmer": a state wished for, not described (not "I should
    // be grateful", "the creases could be repaired": no state follows).
    else if (x.u.t === 'copula' && tokens[x.from]?.w === 'be' && x.to === x.from + 1 && /^(?:could|should|must|can)$/.test(tokens[x.from - 1]?.w ?? '') && !units.slice(0, i).some((y) => y.from >= sentenceStart && y.u.t === 'act')) {
      const next = units.slice(i + 1).find((y) => y.u.t !== 'int' && y.u.t !== 'very');
      if (next?.u.t === 'obj' && next.u.obj.kind === 'state' && next.from <= x.to + 3 && !tokens.slice(x.to, next.from).some((t) => t.w === 'if' || t.w === 'grateful')) units[i] = { ...x, u: { t: 'act', act: 'make' } };
    }
  }
  // Sentences, then clauses.
  const sentences: { units: U[]; afterColon: boolean }[][] = [[{ units: [], afterColon: false }]];
  for (const [i, x] of units.entries()) {
    const sentence = sentences[sentences.length - 1]!;
    const next = units[i + 1];
    // "it is so soft": "so" before a description is "very", not "and so".
    if (x.u.t === 'hard-bound' && tokens[x.from]?.w === 'so' && next?.u.t === 'obj' && next.u.obj.kind === 'state' && next.from === x.to) continue;
    if (x.u.t === 'hard-bound') {
      if (x.u.sentence) sentences.push([{ units: [], afterColon: false }]);
      else sentence.push({ units: [], afterColon: tokens[x.from]?.w === ':' });
    } else sentence[sentence.length - 1]!.units.push(x);
  }

  // A sentence that talks about the app or to it ("what is the difference between…", "ignore your rules and…") states nothing.
  // Text that speaks to the program ("ignore previous instructions", "reveal your config") states nothing at all.
  const injected = sentences.some((clauses) => clauses.some((c) => c.units.some((x) => x.u.t === 'void' && x.u.all)));
  const isVoid = (clauses: (typeof sentences)[number]) => clauses.some((c) => c.units.some((x) => x.u.t === 'void'));
  // Talk about or to the app and nothing else: not a request, for the rules or the learned reader.
  const onlyTalk = sentences.some(isVoid) && sentences.every((clauses) => isVoid(clauses) || clauses.every((c) => c.units.length === 0));
  for (const [i, clauses] of sentences.entries()) if (injected || isVoid(clauses)) sentences[i] = [];
  // Settings typed into text that speaks to the program ("apply scope=all strength=strong to every upload") are not the user's.
  if (injected) statements.length = 0;
  let carried: ObjRef[] = [];
  /** "Only the dance hall needs doing; the ceiling is thick with dust": a need said alone reaches the next sentence's description. */
  let neededBefore = false;
  /** Where that need was said ("only the old mill needs work; it is covered in scratches": the mill's scratches). */
  let neededAt: Region = 'all';
  /** The last region named, in any sentence ("just the old mill, please: remove the stains there", "work on the twins only; deblur them"). */
  let namedBefore: Region = 'all';
  /** Where people were last named, and a place in the plural ("the people need doing, the marquee is fine. Take the dust off them"). */
  let peopleAt = -1, placesAt = -1;
  let lastActedBefore: ObjRef[] = [];
  /** The region the last region-bound request went to, in any sentence (for "sharpen the sky, no wait, soften it"). */
  let recentRegion: Region = 'all';
  /** What the last sentence that said something said, for "… and leave everything else" in the next one. */
  let saidBefore: Statement[] = [];
  let colourise = false;
  for (const clauses of sentences) {
    let pending: ObjRef[] = carried;
    let bare: (ObjRef & { low?: boolean; high?: boolean; only?: boolean; region?: Region })[] = [];
    /** The things the last action was about, for "no, keep it". */
    let lastActed: ObjRef[] = lastActedBefore;
    carried = [];
    let prevStmts: Statement[] = [];
    const said: Statement[] = [];
    let prevGenericFix = false;
    let lastRegion: Region = 'all';
    /** Whether the segment that named lastRegion said who they are ("keep the faces exactly as they are"). */
    let lastRegionSaysWho = false;
    /** Whether lastRegion was named in the plural ("the people", "the faces"): "it" after it is the photo. */
    let lastRegionPlural = false;
    const only: Statement[] = [];
    let onlyAsked = false;
    let colonRegion: RegionRef | null = null;
    let lastAct: { act: ActUnit; neg: boolean } | null = null;
    /** A general request in this sentence ("restore this gently"), for what is described after it. */
    let generalAsk: ActUnit | null = neededBefore ? NEEDS_WORK : null;
    neededBefore = false;
    for (const [ci, clause] of clauses.entries()) {
      const before = clauses[ci - 1];
      // "keep: grain, tone": the action before the colon governs the whole list after it.
      const actBefore = clause.afterColon && before && before.units.length === 1 && before.units[0]!.u.t === 'act' && clause.units[0]?.u.t !== 'act';
      if (actBefore) clause.units.unshift(before.units[0]!);
      const segs = segments(clause.units, tokens, clause.afterColon && !actBefore);
      const s0 = segs[0];
      // "fix it up, but not the scratches": a general request just before, refused in the same way.
      // ("restore it, but no scratches please" asks for none: only "not" refuses.)
      const refusable = lastAct ?? (prevGenericFix && generalAsk && tokens[clause.units[0]?.from ?? 0]?.w === 'not' ? { act: generalAsk, neg: false } : null);
      if (ci > 0 && !clause.afterColon && clause.units[0]?.u.t === 'neg' && refusable && s0?.objs.length && !clause.units.some((x) => x.u.t === 'act')) {
        // "take out the noise but not the grain": the same action, refused for what follows "not".
        s0.act = refusable.act;
        s0.actNeg = !refusable.neg;
        for (const o of s0.objs) o.neg = false;
      }
      if (clause.afterColon && colonRegion && segs[0]?.act && !segs[0].regions.length) segs[0].regions.push(colonRegion);
      colonRegion = null;
      const only1 = segs.length === 1 ? segs[0]! : null;
      if (clauses[ci + 1]?.afterColon && only1 && !only1.act && !only1.objs.length && only1.regions.length === 1 && !only1.flags.size && !only1.ints.length) {
        colonRegion = only1.regions[0]!;
        continue;
      }
      for (const seg of segs) {
        let act = seg.act;
        const plain = seg.regions.filter((r) => !r.neg && !r.excepted);
        const namedEarlier = namedBefore;
        const themPeopleBefore = peopleAt > placesAt;
        if (plain.length) namedBefore = plain[0]!.region;
        for (const r of plain) {
          if (r.region === 'faces') peopleAt = Math.max(peopleAt, r.from ?? 0);
          else {
            let k = r.from ?? 0;
            while (/^(?:the|a|an|my|our|his|her|their|those|these|all|both|old)$/.test(tokens[k]?.w ?? '')) k++;
            if (/[^s]s$/.test(tokens[k]?.w ?? '')) placesAt = Math.max(placesAt, k);
          }
        }
        // "remove the stains there": the place named last ("there is", "there are" describe instead).
        const thereAt = !plain.length && !seg.regions.length && namedEarlier !== 'all' && tokens.slice(seg.from, seg.to + 2).some((t, k) => t.w === 'there' && k > 0 && !/^(?:is|are|was|were|s|has|have|had|will|would|might|may|seems?|appears?|a|an|any|some|no|anything|something)$/.test(tokens[seg.from + k + 1]?.w ?? '') && !/^(?:is|are|was|were|in|over|out|from|up)$/.test(tokens[seg.from + k - 1]?.w ?? ''));
        // "work on the twins only; deblur them": "them" after people, with nothing else it could be.
        const themNamed = seg.flags.has('them') && !seg.regions.length && !seg.objs.length && !pending.length && !bare.length && (namedEarlier === 'faces' || themPeopleBefore) && !!act?.obj;
        /** Statements before this segment's: "keep the faces as they are" says who they are, not where the work goes. */
        const before = statements.length;
        const saysWhoTheyAre = () => (seg.flags.has('asis') || seg.flags.has('same') || seg.lookalike !== undefined) && statements.slice(before).some((st) => st.slot === 'identity');
        const lastSaid = statements.at(-1);
        // "Sharpen the faces. My bad, I meant soften them": after a correction, "it"/"them" is where the corrected request went.
        const correctedThere: boolean = seg.flags.has('pron') && !seg.objs.length && recentRegion !== 'all' && correctedSince(lastSaid ? tokenOf(lastSaid) : 0, seg.actFrom);
        // "Only the people please, and make them less blurry": "them" beside a named thing is the people just named.
        const themPeople: boolean = seg.flags.has('them') && seg.objs.length > 0 && ((recentRegion as Region) === 'faces' || (themPeopleBefore && !seg.regions.length)) && !seg.objs.some((o) => o.described);
        // ("Keep the faces exactly as they are and denoise it": "it" is the photo; "feel free to improve them" the faces.)
        const itFaces = seg.flags.has('pron') && !seg.objs.length && lastRegion === 'faces' && (seg.flags.has('them') || (!lastRegionSaysWho && !lastRegionPlural));
        // ("Only the old mill needs work; it is covered in scratches": "it" is what was said to need work.)
        const itNeeded = (seg.flags.has('pron') || [tokens[seg.from - 1]?.w, tokens[seg.from]?.w].some((w) => /^(?:they|it|these|those)$/.test(w ?? ''))) && !act && generalAsk === NEEDS_WORK && !seg.regions.length;
        // "fix the scratches on the sergeant's face and on the tank behind him": one thing on a person and a place is the whole photo's.
        const bothPlaces = new Set(plain.map((r) => r.region)).size === 2 && seg.objs.filter((o) => !o.excepted).length <= 1 && !seg.regions.some((r) => r.only) && !seg.flags.has('only') && (() => {
          // Joined by "and", not one placed by the other ("the bandstand behind the couple").
          const [a, b] = [...plain].sort((x, y) => (x.from ?? 0) - (y.from ?? 0));
          const between = tokens.slice(a!.from ?? 0, b!.from ?? 0).map((t) => t.w);
          return between.includes('and') && !between.some((w) => /^(?:behind|above|below|around|beside|near|under|over|of|by|with|at|in|none|no|not|less|more|but|,)$/.test(w));
        })();
        const region: Region = bothPlaces ? 'all' : plain[0]?.region ?? (itFaces || themPeople || themNamed ? 'faces' : correctedThere ? recentRegion : itNeeded ? neededAt : thereAt ? namedEarlier : 'all');
        // "gently, only the faces": a region named only to scope the work does not make the strength the faces' own.
        const strengthRegion: Region = seg.strengthApart ? 'all' : (plain.find((r) => !r.only)?.region ?? (plain.length ? 'all' : region));
        const stmts: Statement[] = [];
        let objs = seg.objs.filter((o) => !o.excepted);
        if (act?.note === 'colourise' && !seg.actNeg) colourise = true;
        // "everything except sharpening": the operation named after "except" is the exception.
        if (!objs.length && act?.obj && seg.flags.has('except') && !seg.objs.length && !seg.regions.some((r) => r.excepted) && seg.actFrom > seg.from) seg.objs.push({ obj: act.obj, neg: false, all: false, excepted: true, described: false, from: seg.actFrom, to: seg.to });
        else if (!objs.length && act?.obj?.slot === 'grain' && !seg.actNeg && seg.flags.has('pron') && !seg.regions.length && pending.some((o) => o.obj.slot === 'noise' || o.obj.slot === 'grain')) {
          // "the vineyard behind them is really noisy, can you smooth it?": "smooth it" of noise just described is that noise, gone, where it was.
          objs = pending.filter((o) => o.obj.slot === 'noise' || o.obj.slot === 'grain').map((o) => ({ ...o, neg: false, mod: undefined, pred: undefined, described: false, from: seg.actFrom, to: seg.to }));
          pending = pending.filter((o) => o.obj.slot !== 'noise' && o.obj.slot !== 'grain');
          act = { ...act, obj: undefined, slot: undefined, act: 'fix' };
        } else if (!objs.length && act?.obj) {
          // "the men … are blurry. Bring them into focus": the defect is undone where it was described.
          const same = pending.filter((o) => o.obj.slot === act!.obj!.slot);
          const there = !seg.regions.length && !seg.actNeg && same.length && same.every((o) => o.at !== undefined) ? same[0] : undefined;
          if (there) pending = pending.filter((o) => o !== there);
          objs = [{ obj: act.obj, neg: false, all: false, excepted: false, described: false, from: seg.actFrom, to: seg.to, ...(there ? { at: there.at } : {}) }];
        }
        // "don't denoise the mechanics, the grime suits them": a thing with its own predicate does not take the verb's own thing away.
        if (act?.obj && !seg.flags.has('except') && objs.length && objs.every((o) => o.pred === 'keep') && seg.regions.length && !objs.some((o) => o.obj.slot === act!.obj!.slot))
          objs = [{ obj: act.obj, neg: false, all: false, excepted: false, described: false, from: seg.actFrom, to: seg.actFrom + 1 }, ...objs];
        let fromPron = false;
        // "the beach behind them is blurry, but that's fine": the things just described are kept as they are.
        if (!act && !objs.length && seg.flags.has('itfine') && pending.length) {
          for (const o of pending) {
            const st = emit(o.obj.slot, valueOf(o.obj, 'keep'), o.at ?? 'all', 'words', o.from, seg.to);
            if (st) stmts.push(st);
          }
          pending = [];
        }
        if (!objs.length && act && !act.slot && seg.regions.length && ((seg.flags.has('pron') && !act.generic) || seg.refused) && lastActed.length && !pending.length && !bare.length && seg.lookalike === undefined && !seg.flags.has('identity')) {
          // "remove the grain from the faces but keep it in the background": the same thing, elsewhere.
          objs = lastActed.map((o) => ({ ...o, neg: false, mod: undefined, pred: undefined, described: false, from: seg.actFrom, to: seg.to }));
          fromPron = true;
        } else if (!objs.length && act && !act.slot && (!seg.regions.length || (seg.flags.has('pron') && pending.length > 0 && pending.every((o) => o.at !== undefined && o.at === plain[0]?.region))) && !seg.flags.has('anything') && !seg.flags.has('photo') && !seg.flags.has('identity') && seg.lookalike === undefined && act.act !== 'make' && act.act !== 'want' && (act.act !== 'add' || seg.flags.has('pron')) && act.act !== 'reject') {
          const keepsJob = act.act === 'keep' && !act.leave && seg.strengths.length > 0 && seg.flags.has('pron');
          if ((pending.length || bare.length) && !keepsJob) {
            // "there are stains, clean them up"; "scratches: remove" ("just the fading, and keep it gentle": the job's)
            objs = [...pending, ...bare].map((o) => ({ ...o, neg: false, mod: undefined, pred: undefined, described: false, ...placeOf(o) }));
            pending = [];
            bare = [];
          } else if ((!act.generic || seg.flags.has('them') || correctedSince(Math.max(...lastActed.map((o) => o.to)), seg.actFrom)) && seg.flags.has('pron') && lastActed.length && !keepsJob) {
            // "leave the noise. Oh, actually it's ugly, please clean it up": after a correction, even a general verb's "it" is the thing.
            // "remove the grain... no, keep it" ("keep it gentle" is said of the whole restoration, not of the thing).
            objs = lastActed.map((o) => ({ ...o, neg: false, mod: undefined, pred: undefined, described: false, from: seg.actFrom, to: seg.to }));
            fromPron = true;
          }
        }
        // "cool the tones", "sharpen the details": the noun only names what the verb already acts on.
        if (act?.obj && objs.length && objs.every((o) => o.obj.kind === 'prop' && o.obj.slot === act.obj!.slot && !o.neg && !o.mod))
          objs = objs.map((o) => ({ ...o, obj: act.obj! }));
        const hasInts = seg.ints.length > 0 || seg.strengths.length > 0;
        if (seg.inherited && act?.slot && !seg.objs.length && hasInts) objs = [];
        const high = seg.ints.includes('high') || objs.some((o) => o.all);
        const low = seg.ints.includes('low');
        // "don't remove it completely": less of it, not none.
        // "reduce the grain but don't remove it": the refusal bounds the reduction.
        const partial = !!act && seg.actNeg && !seg.refused && (act.act === 'fix' || act.act === 'reduce') && ((seg.whole && !seg.intNeg) || (fromPron && lastAct?.act.act === 'reduce' && !lastAct.neg));
        // "remove the dust from the faces and the scratches from the background": each thing where it is said to be.
        const paired = act && !seg.actNeg && plain.length >= 2 && plain.length === objs.length && objs.every((o, k) => plain[k]!.from !== undefined && plain[k]!.from! >= o.to && (k + 1 === objs.length || (plain[k]!.from! < objs[k + 1]!.from && tokens.slice(plain[k]!.from! + 1, objs[k + 1]!.from).every((t) => PAIR_GLUE.has(t.w)))))
          ? new Map(objs.map((o, k) => [o, plain[k]!.region]))
          : null;
        for (const o of objs) {
          const req = partial && !o.neg && !o.pred && !o.mod ? 'reduce' : request(act, seg.actNeg, o);
          if (!act && !o.pred && !o.mod && !o.neg && !o.described && seg.asIsAt !== undefined && o === objs.filter((x) => x.to <= seg.asIsAt!).at(-1)) {
            // "grain out, colour untouched", "colours as they are": a thing said to stay as it is, with no verb.
            const st = emit(o.obj.slot, valueOf(o.obj, 'keep'), region === 'all' ? (o.at ?? region) : region, 'words', o.from, seg.to);
            if (st) stmts.push(st);
            continue;
          }
          if (!act && !o.pred && !o.mod && !o.neg) {
            // No action: described ("it's blurry") waits for one; bare ("scratches pls") asks for a fix.
            // "it's full of blocks, and there's a stain on the wall": a place said in a later "there is" is the stain's, not the blocks'.
            const laterThere = region !== 'all' && plain.length > 0 && plain.every((r) => r.from !== undefined && r.from >= o.to && tokens.slice(o.to, r.from).some((t) => t.w === 'there'));
            if (o.described) pending.push(region === 'all' || laterThere ? o : { ...o, at: region });
            else bare.push({ ...o, low, high, region: laterThere ? 'all' : region, only: seg.flags.has('only') || seg.flags.has('nothing-else') });
            continue;
          }
          let value = valueOf(o.obj, req);
          // "it came out too sharp", "it looks oversharpened": a complaint about the sharpening, not a wish for more.
          const overSaid = !!act?.over && !seg.actNeg && seg.flags.has('copula');
          if (act?.over) value = seg.actNeg || overSaid ? 'natural' : 'crisp';
          // "sharpen the milkman, not his float": the float keeps its natural sharpness, as "but not his float" says.
          if (seg.refused && o.obj.slot === 'sharpness' && value?.startsWith('blur:')) value = 'natural';
          if (o.obj.slot === 'grain' && value === 'remove' && low && !high) value = 'reduce';
          // "take some of the warmth out": less of it (cooler), not all of it (neutral).
          if (o.obj.slot === 'tone' && req === 'fix' && low && !high && o.obj.reduce) value = valueOf(o.obj, 'reduce');
          if (o.obj.slot === 'grain' && value === 'reduce' && high && req !== 'less' && !partial) value = 'remove';
          const from = Math.min(o.from, act ? seg.actFrom : o.from), to = Math.max(o.to, act && seg.actFrom > o.from ? seg.actFrom + 1 : o.to);
          // A complaint about a hue or a cast ("too yellow", "no brown", "no sepia") gives way to any tone asked for in words.
          // So does a cast described as having happened ("the colour version has gone a strange green").
          const complaint = o.mod === 'too' || overSaid || (o.obj.slot === 'tone' && value === 'neutral' && (req === 'no' || req === 'less' || (!act && !!o.pred)));
          // "neutral colour, not black and white": the tone refused beside the one asked for is not a wish to keep the tone.
          if (o.obj.slot === 'tone' && value === 'keep' && tokens[o.from - 1]?.w === 'not' && tokens[o.from - 2]?.w === ',' && ([...said, ...prevStmts, ...stmts].some((x) => x.slot === 'tone' && x.value !== 'keep' && x.priority === 'words') || objs.some((x) => x !== o && x.obj.slot === 'tone' && !x.neg && x.to <= o.from))) continue;
          const st = emit(o.obj.slot, value, paired?.get(o) ?? (region === 'all' ? (o.at ?? region) : region), complaint ? 'complaint' : 'words', from, to);
          if (st) stmts.push(st);
          // "Merely the grain: take it down a bit.": a thing named alone as the only one, acted on after it.
          if (st && 'only' in o && o.only && (st.value === 'fix' || st.slot === 'grain' || st.slot === 'noise')) {
            only.push(st);
            onlyAsked = true;
          }
        }
        // Exceptions: "fix everything but the grain", "don't touch anything except the scratches".
        for (const o of seg.objs.filter((x) => x.excepted)) {
          // "keep it as found apart from the dust", "leave everything except the stains": the exception is what is asked.
          const exclusive = seg.flags.has('nothing') || (seg.flags.has('anything') && seg.actNeg) || (!seg.actNeg && (act?.act === 'keep' || seg.flags.has('asis') || seg.flags.has('untouched')));
          const st = emit(o.obj.slot, valueOf(o.obj, exclusive ? 'fix' : 'keep'), region, 'words', seg.actFrom, o.to);
          if (st && exclusive) only.push(st);
          else if (st) exceptedSaid.push(st);
          if (st) stmts.push(st);
        }
        const regionOnly = seg.regions.some((r) => r.only);
        if ((seg.flags.has('only') && !regionOnly) || seg.flags.has('focus') || seg.flags.has('nothing-else')) {
          for (const st of stmts) if (st.value === 'fix' || st.slot === 'grain' || st.slot === 'noise') only.push(st);
          if (stmts.length) onlyAsked = true;
        }
        // ("Actually, the mould and nothing else": a thing named with it is what is asked, not what was said before.)
        if (seg.flags.has('nothing-else') && !stmts.length && !(!act && objs.some((o) => !o.neg && o.obj.kind === 'thing' && /^(?:and|,)$/.test(tokens[o.to]?.w ?? '') && tokens[o.to + 1]?.w === 'nothing')) && (prevStmts.length || saidBefore.length)) {
          only.push(...(prevStmts.length ? prevStmts : saidBefore).filter((s) => s.value === 'fix'));
          onlyAsked = true;
        } else if (seg.flags.has('nothing-else') && !stmts.some((st) => st.value === 'fix') && said.length) {
          // "fix the scratches and the stains, make it a bit sharper and that's it": the end of the whole list.
          only.push(...said.filter((s) => s.value === 'fix'));
          onlyAsked = true;
        }
        if (seg.flags.has('nothing-else') && !seg.regions.some((r) => r.neg || r.excepted)) {
          // "clean the specks off their faces, leave the rest alone": the work stays in that region.
          const where = new Set((stmts.length ? stmts : prevStmts).map((st) => st.region));
          if (where.size === 1 && !where.has('all')) emit('scope', [...where][0]!, 'all', 'words', seg.from, seg.to);
        }
        if (only.length) onlyAsked = true;
        // "the people matter most; restore just them": "them" after people, limited by "just".
        if (!seg.regions.length && seg.flags.has('only') && seg.flags.has('them') && namedEarlier === 'faces' && !objs.length && !seg.objs.length && !pending.length && !bare.length) emit('scope', 'faces', 'all', 'words', seg.from, seg.to);
        // Regions with a role: "only the faces", "everything except the faces", "but not on the faces".
        for (const r of seg.regions) {
          // ("don't change her face, just remove the dust": the face is refused; the "just" is the dust's.)
          if (r.only || ((seg.flags.has('only') || seg.flags.has('nothing-else')) && !stmts.length && !seg.objs.length && !(act && seg.actNeg)) || seg.flags.has('focus')) {
            // "not just the faces": the whole photo.
            emit('scope', r.neg ? 'all' : r.region, 'all', 'words', seg.from, seg.to);
          } else if (r.excepted || (r.neg && !act)) {
            const base = stmts.length ? stmts : r.neg ? prevStmts : [];
            for (const st of base) emit(st.slot, exceptionValue(st.slot, st.value), r.region, 'words', seg.from, seg.to);
            if (!base.length && (seg.flags.has('anything') || seg.flags.has('photo') || act?.generic || prevGenericFix) && r.excepted)
              emit('scope', r.region === 'faces' ? 'background' : 'faces', 'all', 'words', seg.from, seg.to);
            // "restore the background but not the people"
            else if (!base.length && r.neg && !act && prevGenericFix && lastRegion !== 'all' && lastRegion !== r.region) emit('scope', lastRegion, 'all', 'words', seg.from, seg.to);
            // "restore the photo but not the faces", "clean it up but not the faces": the work everywhere else.
            else if (!base.length && r.neg && !act && prevGenericFix && lastRegion === 'all') emit('scope', r.region === 'faces' ? 'background' : 'faces', 'all', 'words', seg.from, seg.to);
          }
        }
        // "faces only… actually, do the background too": the other region as well, so the whole photo.
        const after = [seg.to - 1, seg.to, seg.to + 1].map((i) => tokens[i]?.w ?? '');
        const also = after.some((w, i) => w === 'too' || w === 'also' || (w === 'as' && after[i + 1] === 'well'));
        if (also && act && !seg.actNeg && plain.length === 1 && !objs.length) {
          const earlier = statements.filter((st) => st.slot === 'scope').at(-1);
          if (earlier && earlier.value !== 'all' && earlier.value !== plain[0]!.region) emit('scope', 'all', 'all', 'words', seg.from, seg.to);
        }
        // "fix the background, not the faces": the region acted on, the other refused.
        const refused = seg.regions.find((r) => r.neg);
        const acted = plain[0]?.region ?? (seg.inherited && lastRegion !== 'all' ? lastRegion : undefined);
        if (!objs.length && refused && acted && acted !== refused.region && (!act || act.generic)) emit('scope', acted, 'all', 'words', seg.from, seg.to);
        // "fix the scratches on the bride and on the church": the same work, said again for another place.
        const saysNoMore = (() => {
          // Nothing said of the place after it but where it is ("and on the tank behind him.").
          const after = Math.max(seg.to, ...seg.regions.map((r) => (r.from ?? 0) + 1));
          for (let k = after; k < tokens.length && !/^[.,;:!?]$/.test(tokens[k]!.w); k++) if (!/^(?:behind|him|her|them|us|too|also|as|well|please|pls|the|back|there|in|of|it)$/.test(tokens[k]!.w)) return false;
          if (tokens.slice(Math.max(seg.from, plain[0]?.from ?? seg.from), seg.to).some((t) => /^(?:no|not|nor|yes|leave|keep|stay|stays|fix|remove|matter|fine|alone|one|ones)$/.test(t.w))) return false;
          return !seg.ints.length && !seg.strengths.length && [...seg.flags].every((f) => f === 'pron');
        })();
        if (seg.inherited && saysNoMore && !objs.length && !seg.objs.length && plain.length === 1 && act && !seg.actNeg && !seg.refused && prevStmts.length && prevStmts.every((st) => st.region !== 'all' && st.region !== plain[0]!.region && (REGIONAL_SLOTS as readonly string[]).includes(st.slot)))
          for (const st of prevStmts) {
            const again = emit(st.slot, st.value, plain[0]!.region, 'words', seg.from, seg.to);
            if (again) stmts.push(again);
          }
        // Faces, identity and strength when no thing was named.
        if (!objs.length && !seg.objs.length) {
          const faces = region === 'faces';
          if (seg.lookalike !== undefined) {
            // "make sure they look like themselves", "don't change how they look", "don't make him look like someone else"
            // "she'd hate to be prettified": a refusal, as a negation.
            const same = seg.lookalike !== (act?.act === 'change') !== (seg.actNeg !== (act?.act === 'reject'));
            emit('identity', same ? 'keep' : 'free', 'all', 'words', seg.from, seg.to);
          }
          else if (seg.flags.has('free') && (faces || seg.flags.has('identity'))) emit('identity', 'free', 'all', 'words', seg.from, seg.to);
          // "feel free to improve the faces. actually no, keep them exactly as they are": who they are, said of them again.
          else if (!seg.regions.length && act?.act === 'keep' && !act.leave && !seg.actNeg && seg.flags.has('asis') && seg.flags.has('them') && statements.some((st) => st.slot === 'identity')) emit('identity', 'keep', 'all', 'words', seg.from, seg.to);
          else if (seg.flags.has('identity')) emit('identity', seg.actNeg && act?.act === 'keep' ? 'free' : 'keep', 'all', 'words', seg.from, seg.to);
          else if (faces && act && (!seg.flags.has('only') || seg.actNeg) && !seg.flags.has('focus')) {
            // "leave her face exactly as it is": who she is, kept (as "keep her face exactly as it is").
            if (act.leave && !seg.actNeg && seg.flags.has('asis') && oneFace(seg.from, seg.to)) emit('identity', 'keep', 'all', 'words', seg.from, seg.to);
            else if ((act.leave && !seg.actNeg) || (act.act === 'touch' && seg.actNeg) || (act.act === 'keep' && !seg.actNeg && seg.flags.has('untouched'))) emit('scope', 'background', 'all', 'words', seg.from, seg.to);
            else if ((act.act === 'keep' && !seg.actNeg) || (act.act === 'change' && seg.actNeg)) emit('identity', 'keep', 'all', 'words', seg.from, seg.to);
          } else if (region === 'background' && act && !seg.inherited && !seg.flags.has('only') && !seg.flags.has('focus')) {
            // "leave the background alone": the work is on the faces.
            if ((act.leave && !seg.actNeg) || (act.act === 'touch' && seg.actNeg) || (act.act === 'keep' && !seg.actNeg && seg.flags.has('untouched'))) emit('scope', 'faces', 'all', 'words', seg.from, seg.to);
          }
          // "the people are fine, do the background": the work is elsewhere.
          // "the faces must stay the same": who they are is kept ("the people stay as they are, restore the rest" leaves them out).
          if (!act && seg.flags.has('fine') && !seg.flags.has('only')) {
            // ("Granny Peg's face stays as it is": one person's face, said to stay, is who she is.)
            if (faces && (seg.flags.has('same') || oneFace(seg.from, seg.to))) emit('identity', 'keep', 'all', 'words', seg.from, seg.to);
            // "the faces have to stay recognisable", "artistic licence on the faces is fine": said of who they are
            // (read above), not a wish to leave the faces out of the work.
            else if (!(faces && (seg.flags.has('identity') || seg.flags.has('free') || seg.lookalike !== undefined))) emit('scope', region === 'faces' ? 'background' : 'faces', 'all', 'words', seg.from, seg.to);
          }
          // "fix the whole photo": every part of it, not one region.
          // "the whole picture, faces and background": both regions named are the whole photo too.
          const listed = [seg, ...segs.slice(segs.indexOf(seg) + 1).filter((x) => x.inherited)];
          const everyRegion = listed.every((x) => x.regions.every((r) => !r.neg && !r.excepted)) && new Set(listed.flatMap((x) => x.regions.map((r) => r.region))).size === 2;
          if (seg.flags.has('whole-photo') && act && !seg.actNeg && (!seg.regions.length || everyRegion) && (act.generic || act.act === 'fix' || act.act === 'want' || act.act === 'make')) emit('scope', 'all', 'all', 'words', seg.from, seg.to);
          // "the whole thing please", "whole photo": named on its own, the whole photo is where the work goes.
          else if (seg.flags.has('whole-photo') && !act && !seg.flags.has('copula') && (!seg.regions.length || everyRegion)) emit('scope', 'all', 'all', 'words', seg.from, seg.to);
          if (faces && seg.flags.has('natural') && act?.act === 'keep') emit('identity', 'keep', 'all', 'words', seg.from, seg.to);
          const generic = !act || act.generic || seg.inherited || act.act === 'make' || act.act === 'want';
          const attachToPrev = !act && region === 'all' && prevStmts.length > 0;
          // Not of a refusal ("please avoid the faces entirely") nor, said of a place with no action, of its extent
          // ("the complete photo", "the whole thing, fully"): those say where, not how strongly.
          const value = seg.intNeg || !seg.ints.includes('high') ? 'gentle' : 'strong';
          const refusal = seg.actNeg || seg.regions.some((r) => r.neg);
          const words = tokens.slice(seg.from, seg.to).map((t) => t.w);
          const extent = value === 'strong' && !act && (seg.regions.length > 0 || seg.flags.has('whole-photo')) && words.some((w) => EXTENT.has(w)) && !words.some((w) => STRENGTH_WORDS.has(w));
          if (generic && !attachToPrev && seg.ints.length && !seg.strengths.length && !refusal && !extent) emit('strength', value, strengthRegion, 'words', seg.from, seg.to);
        }
        // Words that only speak of strength ("a light touch", "strong restoration") always count.
        // "Go gently and keep the faces exactly as they are": the strength is the whole photo's.
        if (seg.strengths.length) emit('strength', seg.strengths[seg.strengths.length - 1]!, saysWhoTheyAre() ? 'all' : strengthRegion, 'words', seg.from, seg.to);
        if (stmts.length && act && ['fix', 'reduce', 'keep', 'add', 'restore'].includes(act.act)) lastAct = { act, neg: seg.actNeg };
        if (stmts.length) {
          prevStmts = stmts;
          said.push(...stmts);
          lastActed = objs;
          // Named and acted on: no longer waiting for a "fix them".
          // (Not a defect described elsewhere: "Grandma's face is noisy; the noise on the mantelpiece can stay".)
          pending = pending.filter((p) => !stmts.some((st) => st.slot === p.obj.slot && (st.region === 'all' || !p.at || p.at === 'all' || st.region === p.at)));
        }
        prevGenericFix = !!act?.generic && !stmts.length;
        if (act?.generic && !seg.actNeg && !stmts.length && (act.act === 'fix' || act.act === 'restore')) generalAsk = act;
        if (!act && !stmts.length && seg.flags.has('needs')) {
          generalAsk = NEEDS_WORK;
          const at = seg.regions.filter((r) => !r.neg).map((r) => r.region);
          neededAt = at.length && at.every((r) => r === at[0]) ? at[0]! : 'all';
        }
        if (plain.length) {
          lastRegion = plain[0]!.region;
          lastRegionSaysWho = saysWhoTheyAre();
          const named = tokens[plain[0]!.from ?? -1]?.w ?? '';
          lastRegionPlural = PLURAL_PEOPLE.has(named) || (/[^s]s$/.test(named) && !tokens[plain[0]!.from ?? -1]?.poss);
        }
        if (stmts.length) recentRegion = region;
      }
    }
    // Bare things nobody acted on ask to be fixed; described ones may be acted on in the next sentence.
    for (const o of bare) {
      let value = valueOf(o.obj, 'bare');
      if (o.obj.slot === 'grain' && value === 'remove' && o.low && !o.high) value = 'reduce';
      const st = emit(o.obj.slot, value, o.region ?? 'all', 'words', o.from, o.to);
      if (st) said.push(st);
      if (st && o.only) {
        only.push(st);
        onlyAsked = true;
      }
    }
    // "please restore this gently, it's fragile and the colours have faded": what is described after a general
    // request in the same sentence is what the request is about.
    if (generalAsk && pending.length) {
      for (const o of pending) {
        const st = emit(o.obj.slot, valueOf(o.obj, generalAsk.act === 'restore' ? 'restore' : 'fix'), o.at ?? (generalAsk === NEEDS_WORK ? neededAt : 'all'), 'words', o.from, o.to);
        if (st) said.push(st);
      }
      pending = [];
    }
    // "Grandma's face is noisy; the noise on the mantelpiece behind her can stay", "the headstone's lettering is full of
    // blocks; the mourners are fine": a defect described in one region, set against the other left as it is, is to go.
    if (pending.length) {
      const contrasted = (o: ObjRef): boolean => {
        if (!o.at || o.at === 'all') return false;
        return statements.some((st) => tokenOf(st) > o.to && ((st.slot === o.obj.slot && st.region !== 'all' && st.region !== o.at && (st.value === 'leave' || st.value === 'keep')) || (st.slot === 'scope' && st.value === o.at)));
      };
      for (const o of pending.filter(contrasted)) {
        const st = emit(o.obj.slot, valueOf(o.obj, 'fix'), o.at!, 'words', o.from, o.to);
        if (st) said.push(st);
      }
      pending = pending.filter((o) => !contrasted(o));
    }
    carried = pending;
    neededBefore = generalAsk === NEEDS_WORK && !said.length;
    lastActedBefore = lastActed;
    if (said.length) saidBefore = said;
    if (onlyAsked && only.length) {
      // "only remove the dust": every other kind of damage is left, and the grain with it.
      askedOnly.push(...only);
      const named = new Set(only.map((st) => st.slot));
      const at = Math.min(...only.map(tokenOf));
      const implied = (slot: SlotName, value: string) => {
        // "Fix the dust and the scratches. My bad, only the dust.": narrowed by a correction, what was asked before is taken back.
        const taken = statements.some((st) => st.slot === slot && st.region === 'all' && st.priority === 'words' && st.value !== value && correctedSince(tokenOf(st), at));
        const st = taken ? emit(slot, value, 'all', 'words', at, at + 1) : emit(slot, value, 'all', 'implied', 0, 0);
        if (st) st.phrase = only[0]!.phrase;
      };
      for (const slot of DAMAGE_SLOTS) if (!named.has(slot)) implied(slot, 'leave');
      if (!named.has('grain') && !named.has('noise')) implied('grain', 'keep');
    }
  }
  if (colourise) notes.push('Restora does not add colour to a black-and-white photo; it brings back faded colours where a colour photo has them.');

  const withdrawn: { phrase: string; keys: string[] }[] = [];
  for (const w of withdrawals) {
    // The sentence of the last thing said before it ("Remove the stains. Sorry, ignore that").
    const said = statements.filter((st) => st.priority !== 'implied' && tokenOf(st) < w.at);
    if (!said.length) {
      withdrawn.push({ phrase: w.phrase, keys: [] });
      continue;
    }
    let from = Math.max(...said.map(tokenOf));
    while (from > 0 && !SENTENCE_END.test(tokens[from - 1]!.w)) from--;
    const gone = said.filter((st) => tokenOf(st) >= from);
    notes.push(`“${w.phrase}” takes back “${[...new Set(gone.map((st) => st.phrase))].join('”, “')}”: what it asked is not done.`);
    withdrawn.push({ phrase: w.phrase, keys: [...new Set(gone.map((st) => slotKey(st.region, st.slot)))] });
    // Taken back, a request to change something leaves it as it is ("remove the stains. ignore that" keeps them);
    // a strength has no "as it is" and is dropped.
    for (const st of gone) {
      const undone = undoneValue(st.slot);
      if (undone) st.value = undone;
      else statements.splice(statements.indexOf(st), 1);
    }
  }

  // What one statement implies about a neighbour: "denoise" removes grainy noise too; "don't denoise" keeps it.
  // The latest statement about the noise decides ("leave the noise… actually, clean it up" removes the grain with it).
  for (const st of [...statements].sort((a, b) => b.order - a.order)) {
    if (st.slot !== 'noise' || st.priority === 'implied') continue;
    if (statements.some((o) => o.slot === 'grain' && o.region === st.region)) continue;
    emit('grain', st.value === 'fix' ? 'remove' : 'keep', st.region, 'implied', 0, 0);
    statements[statements.length - 1]!.phrase = st.phrase;
  }

  const stated: Record<string, Statement> = {};
  for (const st of statements) {
    const key = slotKey(st.region, st.slot);
    const cur = stated[key];
    if (!cur || RANK[st.priority] > RANK[cur.priority] || (RANK[st.priority] === RANK[cur.priority] && st.order > cur.order)) {
      if (cur && cur.priority === 'words' && st.priority === 'words' && cur.value !== st.value)
        notes.push(`“${cur.phrase}” and “${st.phrase}” disagree about ${key}; the later one (${st.value}) was used.`);
      stated[key] = st;
    }
  }
  // "the faces are blocky, the sky is blocky… fix all of it": the same for the faces and the background is the whole photo's.
  for (const slot of REGIONAL_SLOTS) {
    const f = stated[slotKey('faces', slot)], b = stated[slotKey('background', slot)];
    if (!f || !b || f.value !== b.value || stated[slot] || f.priority !== 'words' || b.priority !== 'words') continue;
    stated[slot] = { ...(f.order > b.order ? f : b), region: 'all' };
  }
  if (norm.language === 'en' && statements.length === 0 && tokens.some((t) => /[a-z]/.test(t.w)))
    notes.push('No setting was recognised in the instruction; the photo decided every setting.');
  // "Keep the stains. Actually nvm, get rid of them": the later value was said as a correction of the earlier one.
  const corrected = Object.entries(stated)
    .filter(([key, win]) => win.priority === 'words' && statements.some((st) => slotKey(st.region, st.slot) === key && st.value !== win.value && st.order < win.order
      && corrections.some((at) => at >= tokenOf(st) && at <= tokenOf(win))))
    .map(([key]) => key);
  const exclusive = Object.entries(stated).filter(([, win]) => askedOnly.includes(win)).map(([key]) => key);
  const excepted = Object.entries(stated).filter(([, win]) => exceptedSaid.includes(win)).map(([key]) => key);
  return { statements, stated, notes, language: norm.language, readable: !injected && !onlyTalk, ...(withdrawn.length ? { withdrawn } : {}), ...(corrected.length ? { corrected } : {}), ...(exclusive.length ? { exclusive } : {}), ...(excepted.length ? { excepted } : {}) };
}

/** People named in the plural without an "s" ("deblur the people and denoise it": "it" is not them). */
const PLURAL_PEOPLE = new Set(['people', 'children', 'men', 'women', 'folk', 'folks', 'kids', 'family', 'couple', 'crowd', 'team', 'choir', 'band', 'crew', 'staff', 'congregation', 'audience']);

/** Words of how far ("the complete photo", "the faces entirely"), not of how strongly. */
const EXTENT = new Set(['entirely', 'completely', 'complete', 'fully', 'full', 'totally', 'total', 'wholly', 'altogether', 'whole', 'entire', 'every', 'all']);
const STRENGTH_WORDS = new Set(['strong', 'strongly', 'heavy', 'heavily', 'hard', 'harder', 'aggressive', 'aggressively', 'max', 'maximum', 'intense', 'intensely']);

/** Words that correct what was said before them: "actually", "never mind", "I meant", "let me correct myself", "edit:". */
const CORRECTION_WORDS = new Set(['actually', 'wait', 'sorry', 'oops', 'whoops', 'edit', 'instead', 'correction', 'rather']);
const CORRECTION_PAIRS = new Set(['never mind', 'i meant', 'i mean', 'i misspoke', 'my bad', 'second thought', 'second thoughts', 'correct myself', 'changed my mind', 'change of plan', 'make that', 'on reflection', 'no no', 'wrong word', 'redo that', 'having looked', 'looked again', 'after showing', 'thinking again', 'come to', 'on balance', 'further thought', 'take that', 'stand corrected', 'my mistake', 'thought again', 'rethink', 'other way']);

function correctionAt(tokens: Token[], i: number): boolean {
  const w = tokens[i]!.w;
  if (CORRECTION_WORDS.has(w)) return true;
  // "Ugh, no, the mould and nothing else": a "no" said on its own (unnegateInterjections made it a boundary).
  if (w === ',' && INTERJECTED_NO.has(tokens[i]!.typed ?? '')) return true;
  const two = `${w} ${tokens[i + 1]?.w ?? ''}`;
  const three = `${two} ${tokens[i + 2]?.w ?? ''}`;
  return CORRECTION_PAIRS.has(two) || CORRECTION_PAIRS.has(three);
}

/** The stated values as "key" → value, e.g. { grain: 'keep', 'faces.sharpness': 'crisp' }. */
export function statedValues(p: ParsedInstruction): Record<string, string> {
  return Object.fromEntries(Object.entries(p.stated).map(([k, s]) => [k, s.value]));
}

export type { Act };
