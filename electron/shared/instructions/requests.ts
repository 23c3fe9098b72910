/** What is asked of a thing (an action, its negation, the thing's own modifiers) and the slot value that gives. */
import type { ObjSpec } from './lexicon.js';
import { DAMAGE_SLOTS, type Region, type SlotName } from './slots.js';
import type { ActUnit, ObjRef } from './segments.js';

/** Where a thing waiting for an action was described, as the `at` of an ObjRef. */
export function placeOf(o: ObjRef & { region?: Region }): { at?: Region } {
  const at = o.at ?? o.region;
  return at && at !== 'all' ? { at } : {};
}

export type Req = 'fix' | 'reduce' | 'keep' | 'add' | 'restore' | 'value' | 'not' | 'less' | 'no' | 'notadd' | 'want' | 'bare';

/** What is asked of a thing: the action, its negation, and the modifiers on the thing itself. */
export function request(act: ActUnit | undefined, actNeg: boolean, ref: ObjRef): Req {
  if (ref.pred === 'keep') return actNeg && !ref.ownPred ? 'no' : 'keep';
  // "I don't want the grain removed": a refused wish refuses the participle.
  if (ref.pred && actNeg && act?.act === 'want') return ref.pred === 'add' ? 'notadd' : 'keep';
  if (ref.pred) return ref.pred;
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

export function valueOf(o: ObjSpec, req: Req): string | undefined {
  if (o.kind === 'state') {
    switch (req) {
      case 'bare':
        return o.bare ?? o.value;
      case 'restore':
        return o.restore ?? o.value;
      case 'value':
      case 'want':
      case 'add':
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
      return o.kind === 'thing' ? (o.bare ?? o.fix) : o.bare;
  }
}

/** The opposite of a statement, for an exception ("keep the grain but not on the faces"). */
export function exceptionValue(slot: SlotName, value: string): string | undefined {
  if (slot === 'grain') return value === 'keep' ? 'remove' : 'keep';
  if (slot === 'sharpness') return 'natural';
  if ((DAMAGE_SLOTS as readonly string[]).includes(slot)) return value === 'fix' ? 'leave' : 'fix';
  return undefined;
}
