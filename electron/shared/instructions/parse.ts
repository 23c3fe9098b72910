/**
 * The instruction parser: what the words of an instruction state about each setting (slots.ts), per
 * region, with the phrase that stated it. Deterministic and rule-based: the lexicon (lexicon.ts) turns
 * words into units; a clause is cut into segments, each led by an action ("remove", "keep", "sharpen")
 * that governs the things after it ("the scratches, dust and stains") until the next action or a clause
 * boundary; negation binds to the next action or thing ("don't touch the grain", "no grain"), intensity
 * to the segment ("sharpen a little", "restore gently"), regions split it ("the faces strongly and the
 * rest gently"). Things mentioned without an action wait for one ("there are stains, clean them up";
 * "scratches: remove") or, bare, ask to be fixed ("scratches and dust pls").
 */
import { compileLexicon, type Act, type ObjSpec, type Unit, type LexEntry } from './lexicon.js';
import { normalise, MAX_READ_CHARS, type Token } from './normalise.js';
import { DAMAGE_SLOTS, PHOTO_SLOTS, isSlotName, isSlotValue, slotKey, type Region, type SlotName } from './slots.js';

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
}

export interface ParsedInstruction {
  /** Every statement, in order; `stated` holds the winners. */
  statements: Statement[];
  /** Winning statement per key ("grain", "faces.sharpness"). */
  stated: Record<string, Statement>;
  notes: string[];
  language: 'en' | 'other' | 'none';
}

const LEX = compileLexicon();
const VOCABULARY = [...LEX.words].filter((w) => /^[a-z]{4,}$/.test(w));

interface U {
  u: Unit;
  from: number;
  to: number;
}

/** Intensity adjectives that, before an action, say how strongly to do it ("strong denoise"); adverbs ("lightly sharpen") qualify the action alone. */
const ADJECTIVE_STRENGTH = new Set(['strong', 'heavy', 'aggressive', 'intense', 'thorough', 'mild', 'light']);

const PHRASAL = new Set(['take', 'punch', 'clean', 'smooth', 'tone', 'turn', 'bring', 'get', 'wipe', 'cut', 'dial', 'calm', 'sort', 'clear', 'crank', 'bump', 'pump', 'warm', 'cool', 'sharpen', 'ramp', 'tidy']);
const PARTICLES = new Set(['out', 'up', 'down', 'back', 'off', 'away']);

/** "take the yellow out" → "take out the yellow": separable phrasal verbs, so the lexicon sees them whole. */
function joinPhrasal(tokens: Token[]): Token[] {
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

function matchUnits(tokens: Token[]): U[] {
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

type ActUnit = Extract<Unit, { t: 'act' }>;
type Mod = 'too' | 'less' | 'more' | 'lack';

interface ObjRef {
  obj: ObjSpec;
  neg: boolean;
  mod?: Mod;
  all: boolean;
  pred?: 'keep' | 'fix' | 'restore' | 'add';
  excepted: boolean;
  /** A copula came before it ("it is blurry", "there are stains"): described, not asked for. */
  described: boolean;
  /** Where it was described ("the sky is full of specks, clean it"), for an action that names no place. */
  at?: Region;
  from: number;
  to: number;
}

interface RegionRef {
  region: 'faces' | 'background';
  neg: boolean;
  excepted: boolean;
  only: boolean;
}

interface Seg {
  act?: ActUnit;
  actNeg: boolean;
  actFrom: number;
  /** Inherits its action from the segment before it ("restore the faces strongly and the rest gently"). */
  inherited: boolean;
  objs: ObjRef[];
  regions: RegionRef[];
  ints: ('low' | 'high')[];
  intNeg: boolean;
  /** "completely", "entirely" said in this segment. */
  whole: boolean;
  strengths: ('gentle' | 'normal' | 'strong')[];
  flags: Set<'only' | 'except' | 'anything' | 'nothing' | 'pron' | 'photo' | 'whole-photo' | 'copula' | 'asis' | 'untouched' | 'natural' | 'identity' | 'free' | 'focus' | 'nothing-else'>;
  lookalike?: boolean;
  from: number;
  to: number;
}

function newSeg(from: number): Seg {
  return { actNeg: false, actFrom: from, inherited: false, objs: [], regions: [], ints: [], intNeg: false, whole: false, strengths: [], flags: new Set(), from, to: from };
}

/** Splits a clause's units into segments (see the module comment). */
function segments(units: U[], tokens: Token[], afterColon = false): Seg[] {
  const segs: Seg[] = [];
  let cur = newSeg(units[0]?.from ?? 0);
  segs.push(cur);
  let neg = false;
  let mod: Mod | undefined;
  let all = false;
  let afterSoft = false;
  let afterOr = false;
  let softPron = false;
  let locative = false;
  /** "it should stay sepia": a predicate that comes before its thing. */
  let predBefore: 'keep' | 'fix' | 'restore' | undefined;
  // Modifiers after a soft boundary wait for the next content to know where they belong.
  let carry: { ints: ('low' | 'high')[]; intNeg: boolean; strengths: ('gentle' | 'normal' | 'strong')[]; only: boolean } = { ints: [], intNeg: false, strengths: [], only: false };
  const flushCarry = (s: Seg) => {
    s.ints.push(...carry.ints);
    s.intNeg ||= carry.intNeg;
    s.strengths.push(...carry.strengths);
    if (carry.only) s.flags.add('only');
    carry = { ints: [], intNeg: false, strengths: [], only: false };
  };
  const hasContent = (s: Seg) => !!s.act || s.objs.length > 0 || s.regions.length > 0;
  let prev: Unit | undefined;
  for (const { u, from, to } of units) {
    cur.to = to;
    switch (u.t) {
      case 'act': {
        const word = tokens[from]?.w ?? '';
        if (prev?.t === 'obj' && cur.act && /(?:ed|kept|left|done)$/.test(word) && (u.act === 'fix' || u.act === 'reduce' || u.act === 'keep' || u.act === 'restore' || u.act === 'add')) {
          // "I need the noise gone, the blur fixed, the contrast boosted and the colours kept": a participle after a thing is said of it.
          const last = cur.objs[cur.objs.length - 1]!;
          last.pred = u.act === 'keep' ? 'keep' : u.act === 'restore' ? 'restore' : u.act === 'add' ? 'add' : 'fix';
          break;
        }
        const postposed = prev?.t === 'obj' && !cur.act && cur.objs.length > 0;
        if (prev?.t === 'act' && cur.act?.leave && !cur.actNeg && !cur.objs.length && !cur.regions.length && u.slot) {
          // "skip the denoising", "forget the sharpening": the operation is not wanted.
          cur.act = u;
          cur.actNeg = true;
        } else if (prev?.t === 'act' && cur.act && (cur.act.act === 'reduce' || cur.act.act === 'fix') && !cur.act.slot && !cur.objs.length && !cur.regions.length && u.act === 'add' && u.slot) {
          // "tone down the sharpening", "remove the oversharpening": less of an operation is its natural amount.
          cur.act = { ...u, over: true };
          cur.actNeg = true;
        } else if (postposed) {
          // "dust removal", "colour cast fix", "no colour changes": the action governs the things just before it.
          cur.act = u;
          if (cur.objs.some((o) => o.neg)) {
            cur.actNeg = true;
            for (const o of cur.objs) o.neg = false;
          }
        } else {
          const orNeg = afterOr && cur.actNeg;
          // A region named just before the action, in the same breath, is where it acts ("the faces can be enhanced").
          const lead = !hasContent(cur) || (!cur.act && !cur.objs.length && !afterSoft && cur.regions.length === 1 && (prev?.t === 'region' || (prev?.t === 'copula' && cur.flags.size === 1))) ? cur : null;
          cur = newSeg(from);
          cur.act = u;
          cur.actFrom = from;
          cur.actNeg = neg || orNeg;
          neg = false;
          if (lead) {
            // Words before the action belong to it: "aggressive denoise", "feel free to improve", "gently restore".
            segs.pop();
            cur.from = lead.from;
            // An adjective of intensity before the action is its strength: "strong denoise", "a mild restoration".
            const adjective = !lead.objs.length && !lead.intNeg && lead.ints.length > 0 && units.some((x) => x.from >= lead.from && x.from < from && x.u.t === 'int' && ADJECTIVE_STRENGTH.has(tokens[x.from]?.w ?? ''));
            if (adjective) cur.strengths.push(lead.ints.includes('high') ? 'strong' : 'gentle');
            else cur.ints.push(...lead.ints);
            cur.intNeg ||= lead.intNeg;
            cur.strengths.push(...lead.strengths);
            for (const f of lead.flags) cur.flags.add(f);
            if (lead.lookalike !== undefined) cur.lookalike = lead.lookalike;
            if (lead.regions.length) {
              cur.regions.push(...lead.regions);
              cur.flags.delete('copula');
            }
          }
          segs.push(cur);
        }
        flushCarry(cur);
        break;
      }
      case 'obj': {
        if (cur.act && u.obj.kind === 'state' && ((softPron && prev?.t === 'pron') || (afterSoft && /^(?:they|she|he|it)$/.test(tokens[from - 1]?.w ?? '')))) {
          // "bring back the colours, they faded to pink": after a comma, a pronoun and a state describe the photo.
          cur = newSeg(from);
          segs.push(cur);
          cur.flags.add('copula');
        }
        // An adjective before a noun describes it ("blue pen marks", "warm sepia tone"): the noun counts.
        const last = cur.objs[cur.objs.length - 1];
        if (prev?.t === 'obj' && prev.obj.kind === 'state' && last && last.to === from) {
          // ... unless the noun is only the property the adjective already names ("crisper details", "a cool bluish tone").
          if (u.obj.kind === 'prop' && u.obj.slot === last.obj.slot) {
            last.to = to;
            break;
          }
          cur.objs.pop();
          neg ||= last.neg;
          mod ??= last.mod;
        }
        flushCarry(cur);
        cur.objs.push({ obj: u.obj, neg, all, excepted: cur.flags.has('except'), described: cur.flags.has('copula'), from, to, ...(mod ? { mod } : {}), ...(predBefore ? { pred: predBefore } : {}) });
        predBefore = undefined;
        neg = false;
        mod = undefined;
        all = false;
        break;
      }
      case 'region': {
        if (locative) {
          // "the crack running through her face": where the defect is, not where to work.
          locative = false;
          neg = false;
          break;
        }
        if (afterSoft && hasContent(cur) && (cur.act ? cur.objs.length > 0 || cur.regions.length > 0 || cur.ints.length > 0 || cur.strengths.length > 0 : cur.regions.length > 0 && !cur.objs.length)) {
          // A new region after "and"/",": the same action there, with its own modifiers ("strong on the background, light on the faces").
          const next = newSeg(from);
          if (cur.act) next.act = cur.act;
          next.actNeg = cur.actNeg;
          next.inherited = true;
          cur = next;
          segs.push(cur);
        }
        const only = carry.only;
        flushCarry(cur);
        cur.regions.push({ region: u.region, neg, excepted: cur.flags.has('except'), only: only || cur.flags.has('only') });
        neg = false;
        break;
      }
      case 'neg':
        neg = true;
        break;
      case 'very':
        break;
      case 'int':
        if (prev?.t === 'nothing') neg = true; // "nothing too aggressive"
        if (afterSoft) {
          carry.ints.push(u.level);
          carry.intNeg ||= neg;
        } else {
          cur.ints.push(u.level);
          cur.intNeg ||= neg;
          cur.whole ||= !!u.whole;
        }
        neg = false;
        break;
      case 'strength':
        // "don't hold back" is strong; "not too gentle" is not gentle.
        (afterSoft ? carry.strengths : cur.strengths).push(neg ? (u.value === 'gentle' ? 'strong' : u.value === 'strong' ? 'gentle' : u.value) : u.value);
        neg = false;
        break;
      case 'only':
        if (afterSoft || (!hasContent(cur) && !cur.flags.has('only'))) carry.only = true;
        if (hasContent(cur)) cur.flags.add('only');
        if (prev?.t === 'region') cur.regions[cur.regions.length - 1]!.only = true;
        break;
      case 'focus-on':
        carry.only = true;
        cur.flags.add('focus');
        break;
      case 'too':
      case 'less':
      case 'more':
        mod = u.t;
        break;
      case 'lack': {
        const last = cur.objs[cur.objs.length - 1];
        if (last && !last.mod) last.mod = 'lack';
        else mod = 'lack';
        break;
      }
      case 'pred': {
        // "grain stays", "I want the scratches gone"; not "remove the grain, it's part of the film".
        if (!cur.act || cur.act.act === 'want' || cur.act.act === 'make' || (cur.act.act === 'keep' && !cur.act.leave)) for (const o of cur.objs) if (!o.pred) o.pred = u.act;
        if (!cur.objs.length && u.act === 'keep' && prev?.t !== 'obj') predBefore = 'keep';
        break;
      }
      case 'all':
        all = true;
        break;
      case 'except':
        cur.flags.add('except');
        if (u.all) cur.flags.add('anything');
        break;
      case 'nothing':
        cur.flags.add(neg ? 'anything' : 'nothing');
        if (neg) cur.actNeg = true;
        neg = false;
        break;
      case 'anything':
        cur.flags.add('anything');
        break;
      case 'nothing-else':
        cur.flags.add('nothing-else');
        break;
      case 'lookalike':
        // Whether they should look like themselves, before the action's own sense: "(don't) look the same".
        cur.lookalike = neg ? !u.same : u.same;
        neg = false;
        break;
      case 'copula':
        if (cur.act && (afterSoft || softPron)) {
          // "boost the contrast, it's very flat": what follows describes the photo; the action does not reach it.
          cur = newSeg(from);
          segs.push(cur);
        }
        cur.flags.add(u.t);
        break;
      case 'complaint':
        // "covered in specks", "full of dust": a complaint asks for a fix even after "it is".
        cur.flags.delete('copula');
        break;
      case 'defer':
        // "I'll deal with it later": not asked of Restora now.
        if (cur.act) cur.actNeg = true;
        break;
      case 'at':
        locative = true;
        break;
      case 'whole-photo':
        cur.flags.add('photo');
        cur.flags.add('whole-photo');
        break;
      case 'pron':
      case 'asis':
      case 'untouched':
      case 'natural':
      case 'identity':
      case 'free':
        cur.flags.add(u.t);
        break;
      case 'photo': {
        // "this faded photo": an adjective describing the photo asks for nothing.
        const last = cur.objs[cur.objs.length - 1];
        const target = cur.act?.act === 'make' || cur.act?.act === 'want'; // "turn it into a black and white photo"
        if (!target && prev?.t === 'obj' && prev.obj.kind === 'state' && last && last.to === from) cur.objs.pop();
        cur.flags.add(u.t);
        break;
      }
      case 'soft-bound':
      case 'or':
        neg = false;
        if (afterColon && cur.act) {
          // "grain: keep, scratches: remove": the action after a colon is done at the next comma.
          cur = newSeg(to);
          segs.push(cur);
          afterColon = false;
        }
        break;
      case 'hard-bound':
        break;
    }
    if (prev?.t === 'very' && u.t !== 'int' && u.t !== 'strength' && u.t !== 'obj' && u.t !== 'very') (afterSoft ? carry.ints : cur.ints).push('high');
    softPron = u.t === 'pron' && afterSoft;
    if (u.t !== 'at' && u.t !== 'pron' && u.t !== 'photo') locative = false;
    afterSoft = u.t === 'soft-bound' || u.t === 'or' ? true : u.t === 'neg' || u.t === 'int' || u.t === 'strength' || u.t === 'only' || u.t === 'very' ? afterSoft : false;
    afterOr = u.t === 'or' ? true : u.t === 'neg' ? afterOr : false;
    prev = u;
  }
  flushCarry(cur);
  return segs.filter((s) => s.act || s.objs.length || s.regions.length || s.ints.length || s.strengths.length || s.flags.size);
}

/** Where a thing waiting for an action was described, as the `at` of an ObjRef. */
function placeOf(o: ObjRef & { region?: Region }): { at?: Region } {
  const at = o.at ?? o.region;
  return at && at !== 'all' ? { at } : {};
}

type Req = 'fix' | 'reduce' | 'keep' | 'add' | 'restore' | 'value' | 'not' | 'less' | 'no' | 'notadd' | 'want' | 'bare';

/** What is asked of a thing: the action, its negation, and the modifiers on the thing itself. */
function request(act: ActUnit | undefined, actNeg: boolean, ref: ObjRef): Req {
  if (ref.pred) return ref.pred === 'keep' ? (actNeg ? 'no' : 'keep') : ref.pred;
  if (ref.mod === 'too' || ref.mod === 'less') return 'less';
  if (ref.mod === 'more' || ref.mod === 'lack') return act && actNeg ? 'notadd' : 'add';
  if (!act) return ref.neg ? 'no' : 'bare';
  if (ref.neg) return 'no';
  switch (act.act) {
    case 'fix':
      return actNeg ? 'keep' : 'fix';
    case 'reduce':
      return actNeg ? 'keep' : 'reduce';
    case 'keep':
      return actNeg ? 'no' : 'keep';
    case 'add':
      return actNeg ? 'notadd' : 'add';
    case 'restore':
      return actNeg ? 'keep' : 'restore';
    case 'change':
    case 'touch':
      return actNeg ? 'keep' : 'fix';
    case 'want':
      return actNeg ? 'no' : 'want';
    case 'make':
      return actNeg ? 'not' : 'value';
    case 'reject':
      return actNeg ? 'keep' : 'no';
  }
}

function valueOf(o: ObjSpec, req: Req): string | undefined {
  if (o.kind === 'state') {
    switch (req) {
      case 'bare':
        return o.bare ?? o.value;
      case 'value':
      case 'want':
      case 'add':
      case 'restore':
        return o.value;
      case 'less':
      case 'fix':
      case 'reduce':
        return o.less ?? o.fix;
      case 'keep':
        return o.keep;
      case 'not':
      case 'no':
      case 'notadd':
        return o.not;
    }
  }
  switch (req) {
    case 'fix':
      return o.fix;
    case 'reduce':
    case 'less':
      return o.reduce ?? o.fix;
    case 'keep':
    case 'want':
      return o.keep;
    case 'add':
      return o.add;
    case 'restore':
      return o.restore ?? o.fix;
    case 'no':
      return o.kind === 'thing' ? (o.not ?? o.fix) : o.not;
    case 'notadd':
      return o.not ?? o.keep;
    case 'value':
      return o.value;
    case 'not':
      return o.keep;
    case 'bare':
      return o.kind === 'thing' ? (o.bare ?? o.fix) : undefined;
  }
}

/** The opposite of a statement, for an exception ("keep the grain but not on the faces"). */
function exceptionValue(slot: SlotName, value: string): string | undefined {
  if (slot === 'grain') return value === 'keep' ? 'remove' : 'keep';
  if (slot === 'sharpness') return 'natural';
  if ((DAMAGE_SLOTS as readonly string[]).includes(slot)) return value === 'fix' ? 'leave' : 'fix';
  return undefined;
}

export function parseInstruction(text: string): ParsedInstruction {
  const notes: string[] = [];
  const norm = normalise(text ?? '', LEX.words, VOCABULARY);
  if (norm.truncated) notes.push(`The instruction is ${text.length.toLocaleString('en')} characters long; the first ${MAX_READ_CHARS.toLocaleString('en')} were read.`);
  if (norm.language === 'other') notes.push('Restora did not recognise the words of the instruction (it reads English), so the photo decided every setting.');
  const statements: Statement[] = [];
  const tokens = joinPhrasal(norm.tokens);
  const phraseOf = (from: number, to: number) =>
    tokens
      .slice(from, to)
      .map((t) => t.typed ?? t.w)
      .filter((w) => !/^[.,;:!?]$/.test(w))
      .join(' ');
  let order = 0;
  const emit = (slot: SlotName, value: string | undefined, region: Region, priority: Priority, from: number, to: number) => {
    if (!value) return null;
    const [s, v] = value.includes(':') ? (value.split(':') as [string, string]) : [slot, value];
    if (!isSlotName(s) || !isSlotValue(s, v)) return null;
    // Order by where the words are, so a bare mention decided at the end of its sentence still counts where it was said.
    const st: Statement = { slot: s, value: v, region: (PHOTO_SLOTS as readonly string[]).includes(s) ? 'all' : region, priority, phrase: phraseOf(from, to), order: from * 1000 + (order++ % 1000) };
    statements.push(st);
    return st;
  };

  const units = matchUnits(tokens);
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

  let carried: ObjRef[] = [];
  let lastActedBefore: ObjRef[] = [];
  let colourise = false;
  for (const clauses of sentences) {
    let pending: ObjRef[] = carried;
    let bare: (ObjRef & { low?: boolean; high?: boolean; only?: boolean; region?: Region })[] = [];
    /** The things the last action was about, for "no, keep it". */
    let lastActed: ObjRef[] = lastActedBefore;
    carried = [];
    let prevStmts: Statement[] = [];
    let prevGenericFix = false;
    let lastRegion: Region = 'all';
    const only: Statement[] = [];
    let onlyAsked = false;
    let colonRegion: RegionRef | null = null;
    let lastAct: { act: ActUnit; neg: boolean } | null = null;
    for (const [ci, clause] of clauses.entries()) {
      const before = clauses[ci - 1];
      // "keep: grain, tone": the action before the colon governs the whole list after it.
      const actBefore = clause.afterColon && before && before.units.length === 1 && before.units[0]!.u.t === 'act' && clause.units[0]?.u.t !== 'act';
      if (actBefore) clause.units.unshift(before.units[0]!);
      const segs = segments(clause.units, tokens, clause.afterColon && !actBefore);
      const s0 = segs[0];
      if (ci > 0 && !clause.afterColon && clause.units[0]?.u.t === 'neg' && lastAct && s0?.objs.length && !clause.units.some((x) => x.u.t === 'act')) {
        // "take out the noise but not the grain": the same action, refused for what follows "not".
        s0.act = lastAct.act;
        s0.actNeg = !lastAct.neg;
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
        const act = seg.act;
        const plain = seg.regions.filter((r) => !r.neg && !r.excepted);
        const region: Region = plain[0]?.region ?? (seg.flags.has('pron') && !seg.objs.length && lastRegion === 'faces' ? 'faces' : 'all');
        // "gently, only the faces": a region named only to scope the work does not make the strength the faces' own.
        const strengthRegion: Region = plain.find((r) => !r.only)?.region ?? (plain.length ? 'all' : region);
        const stmts: Statement[] = [];
        let objs = seg.objs.filter((o) => !o.excepted);
        if (act?.note === 'colourise' && !seg.actNeg) colourise = true;
        if (!objs.length && act?.obj) objs = [{ obj: act.obj, neg: false, all: false, excepted: false, described: false, from: seg.actFrom, to: seg.to }];
        let fromPron = false;
        if (!objs.length && act && !act.slot && seg.regions.length && seg.flags.has('pron') && !act.generic && lastActed.length && !pending.length && !bare.length && seg.lookalike === undefined && !seg.flags.has('identity')) {
          // "remove the grain from the faces but keep it in the background": the same thing, elsewhere.
          objs = lastActed.map((o) => ({ ...o, neg: false, mod: undefined, pred: undefined, described: false, from: seg.actFrom, to: seg.to }));
          fromPron = true;
        } else if (!objs.length && act && !act.slot && !seg.regions.length && !seg.flags.has('anything') && !seg.flags.has('photo') && !seg.flags.has('identity') && seg.lookalike === undefined && act.act !== 'make' && act.act !== 'want' && act.act !== 'add' && act.act !== 'reject') {
          if (pending.length || bare.length) {
            // "there are stains, clean them up"; "scratches: remove"
            objs = [...pending, ...bare].map((o) => ({ ...o, neg: false, mod: undefined, pred: undefined, described: false, ...placeOf(o) }));
            pending = [];
            bare = [];
          } else if (!act.generic && seg.flags.has('pron') && lastActed.length) {
            // "remove the grain... no, keep it"
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
        const partial = !!act && seg.actNeg && (act.act === 'fix' || act.act === 'reduce') && ((seg.whole && !seg.intNeg) || (fromPron && lastAct?.act.act === 'reduce' && !lastAct.neg));
        for (const o of objs) {
          const req = partial && !o.neg && !o.pred && !o.mod ? 'reduce' : request(act, seg.actNeg, o);
          if (!act && !o.pred && !o.mod && !o.neg) {
            // No action: described ("it's blurry") waits for one; bare ("scratches pls") asks for a fix.
            if (o.described) pending.push(region === 'all' ? o : { ...o, at: region });
            else bare.push({ ...o, low, high, region, only: seg.flags.has('only') || seg.flags.has('nothing-else') });
            continue;
          }
          let value = valueOf(o.obj, req);
          if (act?.over) value = seg.actNeg ? 'natural' : 'crisp';
          if (o.obj.slot === 'grain' && value === 'remove' && low && !high) value = 'reduce';
          if (o.obj.slot === 'grain' && value === 'reduce' && high && req !== 'less' && !partial) value = 'remove';
          const from = Math.min(o.from, act ? seg.actFrom : o.from), to = Math.max(o.to, act && seg.actFrom > o.from ? seg.actFrom + 1 : o.to);
          // A complaint about a hue or a cast ("too yellow", "no brown", "no sepia") gives way to any tone asked for in words.
          const complaint = o.mod === 'too' || (o.obj.slot === 'tone' && value === 'neutral' && (req === 'no' || req === 'less'));
          const st = emit(o.obj.slot, value, region === 'all' ? (o.at ?? region) : region, complaint ? 'complaint' : 'words', from, to);
          if (st) stmts.push(st);
        }
        // Exceptions: "fix everything but the grain", "don't touch anything except the scratches".
        for (const o of seg.objs.filter((x) => x.excepted)) {
          const exclusive = seg.flags.has('nothing') || (seg.flags.has('anything') && seg.actNeg);
          const st = emit(o.obj.slot, valueOf(o.obj, exclusive ? 'fix' : 'keep'), region, 'words', seg.actFrom, o.to);
          if (st && exclusive) only.push(st);
          if (st) stmts.push(st);
        }
        const regionOnly = seg.regions.some((r) => r.only);
        if ((seg.flags.has('only') && !regionOnly) || seg.flags.has('focus') || seg.flags.has('nothing-else')) {
          for (const st of stmts) if (st.value === 'fix' || st.slot === 'grain' || st.slot === 'noise') only.push(st);
          if (stmts.length) onlyAsked = true;
        }
        if (seg.flags.has('nothing-else') && !stmts.length && prevStmts.length) {
          only.push(...prevStmts.filter((s) => s.value === 'fix'));
          onlyAsked = true;
        }
        if (only.length) onlyAsked = true;
        // Regions with a role: "only the faces", "everything except the faces", "but not on the faces".
        for (const r of seg.regions) {
          if (r.only || (seg.flags.has('only') && !stmts.length && !seg.objs.length) || seg.flags.has('focus')) {
            // "not just the faces": the whole photo.
            emit('scope', r.neg ? 'all' : r.region, 'all', 'words', seg.from, seg.to);
          } else if (r.excepted || (r.neg && !act)) {
            const base = stmts.length ? stmts : r.neg ? prevStmts : [];
            for (const st of base) emit(st.slot, exceptionValue(st.slot, st.value), r.region, 'words', seg.from, seg.to);
            if (!base.length && (seg.flags.has('anything') || seg.flags.has('photo') || act?.generic || prevGenericFix) && r.excepted)
              emit('scope', r.region === 'faces' ? 'background' : 'faces', 'all', 'words', seg.from, seg.to);
            // "restore the background but not the people"
            else if (!base.length && r.neg && !act && prevGenericFix && lastRegion !== 'all' && lastRegion !== r.region) emit('scope', lastRegion, 'all', 'words', seg.from, seg.to);
          }
        }
        // "fix the background, not the faces": the region acted on, the other refused.
        const refused = seg.regions.find((r) => r.neg);
        const acted = plain[0]?.region ?? (seg.inherited && lastRegion !== 'all' ? lastRegion : undefined);
        if (!objs.length && refused && acted && acted !== refused.region && (!act || act.generic)) emit('scope', acted, 'all', 'words', seg.from, seg.to);
        // Faces, identity and strength when no thing was named.
        if (!objs.length && !seg.objs.length) {
          const faces = region === 'faces';
          if (seg.lookalike !== undefined) {
            // "make sure they look like themselves", "don't change how they look", "don't make him look like someone else"
            const same = seg.lookalike !== (act?.act === 'change') !== seg.actNeg;
            emit('identity', same ? 'keep' : 'free', 'all', 'words', seg.from, seg.to);
          }
          else if (seg.flags.has('free') && (faces || seg.flags.has('identity'))) emit('identity', 'free', 'all', 'words', seg.from, seg.to);
          else if (seg.flags.has('identity')) emit('identity', seg.actNeg && act?.act === 'keep' ? 'free' : 'keep', 'all', 'words', seg.from, seg.to);
          else if (faces && act && !seg.flags.has('only') && !seg.flags.has('focus')) {
            if ((act.leave && !seg.actNeg) || (act.act === 'touch' && seg.actNeg) || (act.act === 'keep' && !seg.actNeg && seg.flags.has('untouched'))) emit('scope', 'background', 'all', 'words', seg.from, seg.to);
            else if ((act.act === 'keep' && !seg.actNeg) || (act.act === 'change' && seg.actNeg)) emit('identity', 'keep', 'all', 'words', seg.from, seg.to);
          } else if (region === 'background' && act && !seg.inherited && !seg.flags.has('only') && !seg.flags.has('focus')) {
            // "leave the background alone": the work is on the faces.
            if ((act.leave && !seg.actNeg) || (act.act === 'touch' && seg.actNeg) || (act.act === 'keep' && !seg.actNeg && seg.flags.has('untouched'))) emit('scope', 'faces', 'all', 'words', seg.from, seg.to);
          }
          // "fix the whole photo": every part of it, not one region.
          if (seg.flags.has('whole-photo') && act && !seg.actNeg && !seg.regions.length && (act.generic || act.act === 'fix')) emit('scope', 'all', 'all', 'words', seg.from, seg.to);
          if (faces && seg.flags.has('natural') && act?.act === 'keep') emit('identity', 'keep', 'all', 'words', seg.from, seg.to);
          const generic = !act || act.generic || seg.inherited || act.act === 'make' || act.act === 'want';
          const attachToPrev = !act && region === 'all' && prevStmts.length > 0;
          if (generic && !attachToPrev && seg.ints.length && !seg.strengths.length) {
            const value = seg.intNeg || !seg.ints.includes('high') ? 'gentle' : 'strong';
            emit('strength', value, strengthRegion, 'words', seg.from, seg.to);
          }
        }
        // Words that only speak of strength ("a light touch", "strong restoration") always count.
        if (seg.strengths.length) emit('strength', seg.strengths[seg.strengths.length - 1]!, strengthRegion, 'words', seg.from, seg.to);
        if (stmts.length && act && ['fix', 'reduce', 'keep', 'add', 'restore'].includes(act.act)) lastAct = { act, neg: seg.actNeg };
        if (stmts.length) {
          prevStmts = stmts;
          lastActed = objs;
          // Named and acted on: no longer waiting for a "fix them".
          pending = pending.filter((p) => !stmts.some((st) => st.slot === p.obj.slot));
        }
        prevGenericFix = !!act?.generic && !stmts.length;
        if (plain.length) lastRegion = plain[0]!.region;
      }
    }
    // Bare things nobody acted on ask to be fixed; described ones may be acted on in the next sentence.
    for (const o of bare) {
      let value = valueOf(o.obj, 'bare');
      if (o.obj.slot === 'grain' && value === 'remove' && o.low && !o.high) value = 'reduce';
      const st = emit(o.obj.slot, value, o.region ?? 'all', 'words', o.from, o.to);
      if (st && o.only) {
        only.push(st);
        onlyAsked = true;
      }
    }
    carried = pending;
    lastActedBefore = lastActed;
    if (onlyAsked && only.length) {
      // "only remove the dust": every other kind of damage is left, and the grain with it.
      const named = new Set(only.map((st) => st.slot));
      const implied = (slot: SlotName, value: string) => {
        const st = emit(slot, value, 'all', 'implied', 0, 0);
        if (st) st.phrase = only[0]!.phrase;
      };
      for (const slot of DAMAGE_SLOTS) if (!named.has(slot)) implied(slot, 'leave');
      if (!named.has('grain') && !named.has('noise')) implied('grain', 'keep');
    }
  }
  if (colourise) notes.push('Restora does not add colour to a black-and-white photo; it brings back faded colours where a colour photo has them.');

  // What one statement implies about a neighbour: "denoise" removes grainy noise too; "don't denoise" keeps it.
  for (const st of [...statements]) {
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
  if (norm.language === 'en' && statements.length === 0 && tokens.some((t) => /[a-z]/.test(t.w)))
    notes.push('No setting was recognised in the instruction; the photo decided every setting.');
  return { statements, stated, notes, language: norm.language };
}

/** The stated values as "key" → value, e.g. { grain: 'keep', 'faces.sharpness': 'crisp' }. */
export function statedValues(p: ParsedInstruction): Record<string, string> {
  return Object.fromEntries(Object.entries(p.stated).map(([k, s]) => [k, s.value]));
}

export type { Act };
