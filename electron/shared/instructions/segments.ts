/**
 * A clause's units cut into segments, each led by an action that governs the things after it until the
 * next action or a soft boundary, with the negation, intensity, strength, regions and flags said in it
 * (see parse.ts for the whole picture).
 */
import type { ObjSpec, Unit } from './lexicon.js';
import type { Token } from './normalise.js';
import type { Region } from './slots.js';
import type { U } from './units.js';

/** Intensity adjectives that, before an action, say how strongly to do it ("strong denoise"); adverbs ("lightly sharpen") qualify the action alone. */
const ADJECTIVE_STRENGTH = new Set(['strong', 'heavy', 'aggressive', 'intense', 'thorough', 'mild', 'light']);

export type ActUnit = Extract<Unit, { t: 'act' }>;
export type Mod = 'too' | 'less' | 'more' | 'lack';

export interface ObjRef {
  obj: ObjSpec;
  neg: boolean;
  mod?: Mod;
  all: boolean;
  pred?: 'keep' | 'fix' | 'restore' | 'add';
  /** The predicate is the thing's own, said apart from the verb of its segment ("don't denoise them, the grime suits them"). */
  ownPred?: boolean;
  excepted: boolean;
  /** A copula came before it ("it is blurry", "there are stains"): described, not asked for. */
  described: boolean;
  /** Where it was described ("the sky is full of specks, clean it"), for an action that names no place. */
  at?: Region;
  from: number;
  to: number;
}

export interface RegionRef {
  region: 'faces' | 'background';
  neg: boolean;
  excepted: boolean;
  only: boolean;
  /** Where the region was named (a token index). */
  from?: number;
}

export interface Seg {
  act?: ActUnit;
  actNeg: boolean;
  actFrom: number;
  /** Inherits its action from the segment before it ("restore the faces strongly and the rest gently"). */
  inherited: boolean;
  /** "despeckle the people, not the promenade": the action before, refused for the region after a ", not". */
  refused?: boolean;
  /** "Go all out and sharpen the faces", "deblur the people, go gently": a strength said on its own beside a regional
   * request, set apart by "and" or a comma, is the whole job's, not the region's. */
  strengthApart?: boolean;
  objs: ObjRef[];
  regions: RegionRef[];
  ints: ('low' | 'high')[];
  intNeg: boolean;
  /** "completely", "entirely" said in this segment. */
  whole: boolean;
  strengths: ('gentle' | 'normal' | 'strong')[];
  flags: Set<'only' | 'except' | 'anything' | 'nothing' | 'pron' | 'them' | 'photo' | 'whole-photo' | 'copula' | 'asis' | 'untouched' | 'natural' | 'identity' | 'free' | 'focus' | 'nothing-else' | 'fine' | 'itfine' | 'same' | 'needs'>;
  lookalike?: boolean;
  /** Where the first "as it is" / "untouched" of the segment was said (a token index). */
  asIsAt?: number;
  from: number;
  to: number;
}

const LIST_GLUE = new Set(['and', 'or', ',', 'the', 'a', 'any', 'all']);

/** "no dust removal", "I don't want it sharpened": a negation said of the things belongs to the action that follows them. */
function negationToAction(seg: Seg): void {
  if (!seg.objs.some((o) => o.neg)) return;
  seg.actNeg = true;
  for (const o of seg.objs) o.neg = false;
}

export function newSeg(from: number): Seg {
  return { actNeg: false, actFrom: from, inherited: false, objs: [], regions: [], ints: [], intNeg: false, whole: false, strengths: [], flags: new Set(), from, to: from };
}

/** Splits a clause's units into segments (see the module comment). */
/** Words of praise among the 'stays' predicates. */
const PRAISE = /^(?:lovely|beautiful|gorgeous|great|wonderful|perfect)$/;

export function segments(units: U[], tokens: Token[], afterColon = false): Seg[] {
  const segs: Seg[] = [];
  let cur = newSeg(units[0]?.from ?? 0);
  segs.push(cur);
  let neg = false;
  let mod: Mod | undefined;
  let all = false;
  let afterSoft = false;
  /** What came just before the last soft boundary. */
  let beforeSoft: Unit['t'] | undefined;
  let lastCore: Unit['t'] | undefined;
  let lastTo = units[0]?.from ?? 0;
  /** Whether the last thing named came after a soft boundary. */
  let lastObjSoft = false;
  let afterOr = false;
  let softPron = false;
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
  for (const [ui, { u, from, to }] of units.entries()) {
    cur.to = to;
    switch (u.t) {
      case 'act': {
        const word = tokens[from]?.w ?? '';
        if (prev?.t === 'obj' && cur.act && /(?:ed|kept|left|done)$/.test(word) && (u.act === 'fix' || u.act === 'reduce' || u.act === 'keep' || u.act === 'restore' || u.act === 'add')) {
          // "I need the noise gone, the blur fixed, the contrast boosted and the colours kept": a participle after a thing is said of it.
          const pred = u.act === 'keep' ? 'keep' : u.act === 'restore' ? 'restore' : u.act === 'add' ? 'add' : 'fix';
          // "I want the fading and the jpeg sorted": after a wish, the participle is said of every thing listed since.
          const last = cur.objs[cur.objs.length - 1]!;
          last.pred = pred;
          if (cur.act.act === 'want') {
            // Back over defects joined by "and", "or" or a comma only: "the dust, the scratches and the stains removed".
            for (let k = cur.objs.length - 2; k >= 0; k--) {
              const o = cur.objs[k]!, next = cur.objs[k + 1]!;
              const between = tokens.slice(o.to, next.from).map((t) => t.w);
              if (o.pred || o.from < cur.actFrom || o.obj.kind !== 'thing' || next.obj.kind !== 'thing' || !between.every((x) => LIST_GLUE.has(x))) break;
              o.pred = pred;
            }
          }
          break;
        }
        if (u.act === 'want' && prev?.t === 'obj' && cur.act && lastObjSoft && cur.objs.length > 1) {
          // "remove the noise, and a little warmth would be nice": the wish is said of the thing just before it.
          const last = cur.objs.pop()!;
          cur = newSeg(last.from);
          cur.act = u;
          cur.actFrom = from;
          cur.objs.push(last);
          segs.push(cur);
          break;
        }
        if (prev?.t === 'except' && cur.flags.has('except') && u.slot && u.obj && cur.act) {
          // "do everything except the denoising": the operation is the exception, not a request of its own.
          cur.objs.push({ obj: u.obj, neg: false, all: false, excepted: true, described: false, from, to });
          break;
        }
        if (cur.act?.act === 'want' && prev?.t === 'act' && prev.act === 'want' && !cur.objs.length && u.act !== 'want' && (u.slot || cur.actNeg)) {
          // "I don't want sharpening", "I'd like some denoising": the wish is for the operation named after it; so
          // is a refused one for the action after it ("I don't want to remove the grain").
          cur.act = u;
          cur.actFrom = from;
          break;
        }
        const postposed = prev?.t === 'obj' && !cur.act && cur.objs.length > 0;
        if (cur.act?.act === 'want' && !afterSoft && (prev?.t === 'obj' || prev?.t === 'pron' || prev?.t === 'region') && u.act !== 'want' && u.act !== 'make' && u.act !== 'keep') {
          // "I don't want it sharpened", "I want the grain removed", "I do not want the faces altered": the wish governs the participle after its object.
          cur.act = u;
          cur.actFrom = from;
          negationToAction(cur);
        } else if ((prev?.t === 'act' || prev?.t === 'all') && cur.act?.leave && !cur.actNeg && !cur.objs.length && !cur.regions.length && (u.slot || u.act === 'fix' || u.act === 'reduce' || u.act === 'restore')) {
          // "skip the denoising", "forget the sharpening", "hold off on lifting the stains": the operation is not wanted.
          cur.act = u;
          cur.actNeg = true;
        } else if ((prev?.t === 'all' || (prev?.t === 'act' && cur.act?.act === 'make')) && cur.act && !cur.act.slot && (cur.act.act === 'add' || cur.act.act === 'make' || cur.act.act === 'change' || cur.act.act === 'touch') && !cur.objs.length && !cur.regions.length && u.slot && u.act !== 'want') {
          // "don't add any sharpening to the faces", "don't do any denoising": a general verb before the operation's
          // name is that operation, refused or not ("don't push the sharpening" asks for less of it, as before).
          cur.act = u;
          cur.actFrom = from;
        } else if (prev?.t === 'act' && cur.act && (cur.act.act === 'reduce' || cur.act.act === 'fix') && !cur.act.slot && !cur.objs.length && !cur.regions.length && u.act === 'add' && u.slot) {
          // "tone down the sharpening", "remove the oversharpening": less of an operation is its natural amount.
          cur.act = { ...u, over: true };
          cur.actNeg = true;
        } else if (postposed) {
          // "dust removal", "colour cast fix", "no colour changes": the action governs the things just before it.
          cur.act = u;
          negationToAction(cur);
        } else {
          const orNeg = afterOr && cur.actNeg;
          // A region named just before the action, in the same breath, is where it acts ("the faces can be enhanced").
          // So is "everywhere except the guests," before it: the region excepted from what it asks.
          const exceptedFirst = !cur.act && !cur.objs.length && cur.regions.length > 0 && cur.regions.every((r) => r.excepted) && cur.flags.has('except');
          const lead = !hasContent(cur) || exceptedFirst || (!cur.act && !cur.objs.length && !afterSoft && cur.regions.length === 1 && (prev?.t === 'region' || (prev?.t === 'copula' && cur.flags.size === 1))) ? cur : null;
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
            if (afterSoft && lead.strengths.length && !lead.objs.length && !lead.regions.length) cur.strengthApart = true;
            // (An excepted region said first excepts it from the action; the things the action names are not excepted.)
            for (const f of lead.flags) if (!(exceptedFirst && f === 'except')) cur.flags.add(f);
            if (lead.lookalike !== undefined) cur.lookalike = lead.lookalike;
            if (lead.regions.length === 1 && lead.regions[0]!.neg && !cur.actNeg && !lead.objs.length) {
              // "don't bring the background into focus": the refusal is of the action, there.
              cur.regions.push({ ...lead.regions[0]!, neg: false });
              cur.actNeg = true;
              cur.flags.delete('copula');
            } else if (lead.regions.length) {
              cur.regions.push(...lead.regions);
              cur.flags.delete('copula');
            }
          }
          segs.push(cur);
        }
        // "Keep the grain, go all out, deblur the people": a strength said on its own before the action is the whole job's.
        if (carry.strengths.length) cur.strengthApart = true;
        flushCarry(cur);
        break;
      }
      case 'obj': {
        if (cur.act?.slot && cur.act.obj && beforeSoft === 'act' && afterSoft && !cur.objs.length && u.obj.slot !== cur.act.obj.slot) {
          // "sharpness up, colour untouched": an action that names its own setting is complete; after a comma the next thing is not its object.
          cur = newSeg(from);
          segs.push(cur);
        }
        if (cur.act && u.obj.kind === 'state' && ((softPron && prev?.t === 'pron') || (afterSoft && /^(?:they|she|he|it)$/.test(tokens[from - 1]?.w ?? '')))) {
          // "bring back the colours, they faded to pink": after a comma, a pronoun and a state describe the photo.
          cur = newSeg(from);
          segs.push(cur);
          cur.flags.add('copula');
        }
        if (!cur.act && afterSoft && cur.objs.length > 0 && cur.regions.length > 0) {
          // "crisp faces, dreamy soft background": each region with the words said of it.
          cur = newSeg(from);
          segs.push(cur);
        }
        // An adjective before a noun describes it ("blue pen marks", "warm sepia tone"): the noun counts.
        const last = cur.objs[cur.objs.length - 1];
        // "coloured sensor noise", "coloured dots": colour said of a defect is the defect's, not the photo's tone.
        const colouredDefect = prev?.t === 'obj' && prev.obj.slot === 'tone' && u.obj.kind === 'thing' && u.obj.slot !== 'tone' && u.obj.slot !== 'fading';
        if (prev?.t === 'obj' && (prev.obj.kind === 'state' || colouredDefect) && last && last.to === from) {
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
        lastObjSoft = afterSoft;
        cur.objs.push({ obj: u.obj, neg, all, excepted: cur.flags.has('except'), described: cur.flags.has('copula'), from, to, ...(mod ? { mod } : {}), ...(predBefore ? { pred: predBefore } : {}) });
        predBefore = undefined;
        neg = false;
        mod = undefined;
        all = false;
        break;
      }
      case 'region': {
        // "the blue sky", "her pink dress": a colour just before a person or place describes it; it asks for no tone.
        const described = cur.objs.at(-1);
        if (prev?.t === 'obj' && prev.obj.kind === 'state' && prev.obj.slot === 'tone' && described?.to === from && described.obj === prev.obj) cur.objs.pop();
        if (!cur.act && afterSoft && cur.flags.has('copula') && cur.regions.length > 0 && cur.objs.length > 0) {
          // "the sky is noisy and the faces are scratched": each region with its own description.
          cur = newSeg(from);
          segs.push(cur);
        } else if (afterSoft && hasContent(cur) && (cur.act ? cur.objs.length > 0 || cur.regions.length > 0 || cur.ints.length > 0 || cur.strengths.length > 0 : cur.regions.length > 0 && !cur.objs.length)) {
          // A new region after "and"/",": the same action there, with its own modifiers ("strong on the background, light on the faces").
          const next = newSeg(from);
          if (cur.act) next.act = cur.act;
          next.actNeg = cur.actNeg;
          // "despeckle the people, not the promenade": the same action, refused there.
          if (neg && cur.act && !cur.actNeg && (!cur.act.generic || cur.objs.length > 0) && !carry.only && !cur.flags.has('only')) {
            next.actNeg = true;
            next.refused = true;
            neg = false;
          }
          next.inherited = true;
          cur = next;
          segs.push(cur);
        }
        const only = carry.only;
        flushCarry(cur);
        // "the kids' faces": two words for one region, said together, are one region.
        const last = cur.regions.at(-1);
        if (prev?.t === 'region' && prev.region === u.region && last?.region === u.region && !neg) {
          if (only) last.only = true;
          break;
        }
        cur.regions.push({ region: u.region, neg, excepted: cur.flags.has('except'), only: only || cur.flags.has('only'), from });
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
      case 'strength': {
        // "don't hold back" is strong; "not too gentle" is not gentle; "it was far too heavy-handed", "too timid" ask
        // for the other end ("less" of a strength too).
        const comparative = (prev?.t === 'too' || prev?.t === 'less') && (mod === 'too' || mod === 'less');
        (afterSoft ? carry.strengths : cur.strengths).push(neg || comparative ? (u.value === 'gentle' ? 'strong' : u.value === 'strong' ? 'gentle' : u.value) : u.value);
        if (comparative) mod = undefined;
        neg = false;
        break;
      }
      case 'only':
        if (afterSoft && cur.act && cur.actNeg && !cur.act.leave && cur.objs.length > 0) {
          // "don't fix the stains, just the scratches": the same action, wanted, for what follows.
          const next = newSeg(from);
          next.act = cur.act;
          next.actFrom = from;
          next.inherited = true;
          cur = next;
          segs.push(cur);
        }
        // "idc about the background just make the faces better": a "just" between a finished request and a new action
        // is the new action's, not the region's or the request's before it.
        if (cur.act && !afterSoft && prev?.t === 'region' && units[ui + 1]?.u.t === 'act') {
          carry.only = true;
          break;
        }
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
        // "the contrast doesn't need changing", "the scratches don't need fixing": not needed is left as it is.
        const said = neg && u.act === 'fix' && !cur.act ? 'keep' : u.act;
        if (said !== u.act) neg = false;
        // "grain stays", "I want the scratches gone"; not "remove the grain, it's part of the film".
        if (!cur.act || cur.act.act === 'want' || cur.act.act === 'make' || (cur.act.act === 'keep' && !cur.act.leave)) {
          for (const o of cur.objs) if (!o.pred) o.pred = said;
        }
        // "don't denoise the mechanics, the grime suits them": a thing named after a comma, with its own "suits them", is not the verb's.
        else if (u.act === 'keep' && !neg && cur.act?.obj && lastObjSoft && prev?.t === 'obj' && cur.objs.length === 1 && cur.regions.length) Object.assign(cur.objs[0]!, { pred: 'keep', ownPred: true });
        // ("the app is great, boost the contrast": praise of something unnamed is not said of the next thing.)
        if (!cur.objs.length && u.act === 'keep' && prev?.t !== 'obj' && !PRAISE.test(tokens[from]?.w ?? '') && !PRAISE.test(tokens[from + 1]?.w ?? '')) predBefore = 'keep';
        // "the people are fine": a region said to need nothing.
        if (!cur.act && !cur.objs.length && u.act === 'keep' && cur.regions.length === 1 && !cur.regions[0]!.neg) cur.flags.add('fine');
        // "only the typists need work", "the dance hall needs doing": a region said to need work, as a general request.
        if (!cur.act && !cur.objs.length && u.act === 'fix' && !neg && cur.regions.length >= 1 && !cur.regions.some((r) => r.neg)) cur.flags.add('needs');
        // "the beach behind them is blurry, but that's fine": what was just described stays.
        if (!cur.act && !cur.objs.length && u.act === 'keep' && !cur.regions.length && cur.flags.has('pron') && !neg) cur.flags.add('itfine');
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
        // "like looking through someone else's glasses": a possessive names a thing, not who they look like.
        if (tokens[to - 1]?.poss) break;
        // "fix the jpeg stuff, and you can rebuild faces": after a boundary, a wish about the likeness is its own request.
        if (afterSoft && cur.act && cur.objs.length > 0 && cur.lookalike === undefined) {
          cur = newSeg(from);
          segs.push(cur);
        }
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
        // "the crack running across her face": where the defect is, which is where it is repaired (the region after it counts).
        break;
      case 'whole-photo':
        cur.flags.add('photo');
        cur.flags.add('whole-photo');
        break;
      case 'pron':
        // "the family standing beside it", "the tree behind them": a place named by a pronoun, not a thing to act on.
        if (/^(?:beside|behind|next|under|against)$/.test(tokens[from - 1]?.w ?? '') && /^(?:it|them)$/.test(tokens[from]?.w ?? '')) break;
        // "them", "those", "the ones": things, not the photo ("fix it" may mean the photo).
        if (/^(?:them|those|these|the)$/.test(tokens[from]?.w ?? '')) cur.flags.add('them');
        cur.flags.add(u.t);
        break;
      case 'asis':
        if (u.same) cur.flags.add('same');
        cur.flags.add(u.t);
        cur.asIsAt ??= from;
        break;
      case 'untouched':
      case 'natural':
      case 'identity':
      case 'free':
        if (u.t === 'untouched') cur.asIsAt ??= from;
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
      case 'void':
        break;
    }
    if (prev?.t === 'very' && u.t !== 'int' && u.t !== 'strength' && u.t !== 'obj' && u.t !== 'very') (afterSoft ? carry.ints : cur.ints).push('high');
    softPron = u.t === 'pron' && afterSoft;
    // Words the lexicon does not know between the last core unit and here ("don't denoise the rooftops,"): not adjacent.
    if (from > lastTo) lastCore = undefined;
    if (u.t === 'soft-bound') beforeSoft = lastCore;
    else if (u.t !== 'int' && u.t !== 'very' && u.t !== 'strength') lastCore = u.t;
    lastTo = to;
    afterSoft = u.t === 'soft-bound' || u.t === 'or' ? true : u.t === 'neg' || u.t === 'int' || u.t === 'strength' || u.t === 'only' || u.t === 'very' || (u.t === 'copula' && !cur.act && !cur.objs.length) ? afterSoft : false;
    afterOr = u.t === 'or' ? true : u.t === 'neg' ? afterOr : false;
    prev = u;
  }
  // ("clean the scratches off the miners' faces, go gently on them": said of them after all.)
  if (carry.strengths.length && cur.act && cur.regions.length && prev?.t !== 'pron') cur.strengthApart = true;
  flushCarry(cur);
  return segs.filter((s) => s.act || s.objs.length || s.regions.length || s.ints.length || s.strengths.length || s.flags.size || s.lookalike !== undefined);
}
