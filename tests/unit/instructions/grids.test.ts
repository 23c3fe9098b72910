/**
 * Grids of plain requests, every phrasing against every operation, person and place: what one sentence of a
 * kind reads as, all of its kind must. Each grid failed somewhere before the rule that makes it pass (the
 * instruction notes, twenty-second session), so a change that breaks a construction for some words shows here.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { parseInstruction, statedValues } from '../../../electron/shared/instructions/parse.js';
import { useDictionary } from '../../../electron/shared/instructions/normalise.js';
import { isEnglishWord } from '../../../electron/node/english-words.js';

// As the app reads: with the dictionary that keeps real words from being taken for typos.
useDictionary(isEnglishWord);

const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);

/** Every text whose reading lacks a wanted value, with what it read. */
function misses(cases: Iterable<[string, Record<string, string>]>): string[] {
  const out: string[] = [];
  for (const [text, want] of cases) {
    const got = statedValues(parseInstruction(text));
    if (Object.entries(want).some(([k, v]) => got[k] !== v)) out.push(`${text} → ${JSON.stringify(got)}, wanted ${JSON.stringify(want)}`);
  }
  return out;
}

const PEOPLE = ['the faces', 'the people', 'the bride', 'Grandma', 'the children'];
const PLACES = ['the background', 'the sky', 'the church', 'the trees', 'the house'];

test('a request for one region, and the same work refused for the other, for every operation and way of saying it', () => {
  const ops: [string, string, string, string][] = [
    ['remove the scratches from', 'scratches', 'fix', 'leave'],
    ['clean the dust off', 'dust', 'fix', 'leave'],
    ['remove the stains from', 'blotches', 'fix', 'leave'],
    ['denoise', 'noise', 'fix', 'leave'],
    ['deblur', 'blur', 'fix', 'leave'],
    ['remove the grain from', 'grain', 'remove', 'keep'],
    ['reduce the grain on', 'grain', 'reduce', 'keep'],
    ['sharpen', 'sharpness', 'crisp', 'natural'],
  ];
  function* cases(): Generator<[string, Record<string, string>]> {
    for (const [op, slot, v, opp] of ops)
      for (const f of PEOPLE)
        for (const b of PLACES) {
          yield [cap(`${op} ${f}.`), { [`faces.${slot}`]: v }];
          yield [cap(`${op} ${b}.`), { [`background.${slot}`]: v }];
          for (const [x, y, rx, ry] of [[f, b, 'faces', 'background'], [b, f, 'background', 'faces']] as const) {
            yield [cap(`${op} ${x} but not ${y}.`), { [`${rx}.${slot}`]: v, [`${ry}.${slot}`]: opp }];
            yield [cap(`${op} ${x}, not ${y}.`), { [`${rx}.${slot}`]: v, [`${ry}.${slot}`]: opp }];
          }
          yield [cap(`${op} everything except ${f}.`), { [slot]: v, [`faces.${slot}`]: opp }];
          yield [cap(`${op} ${b} and leave ${f} alone.`), { [`background.${slot}`]: v, scope: 'background' }];
          yield [cap(`leave ${f} alone and ${op} ${b}.`), { [`background.${slot}`]: v, scope: 'background' }];
          yield [cap(`${op} ${f} and leave ${b} as it is.`), { [`faces.${slot}`]: v, scope: 'faces' }];
          yield [cap(`only ${op} ${f}.`), { [`faces.${slot}`]: v, scope: 'faces' }];
        }
  }
  assert.deepEqual(misses(cases()).slice(0, 10), []);
});

test('a strength for each region, either way round, in several phrasings', () => {
  const words: Record<string, string[]> = { gentle: ['gentle', 'light', 'easy', 'careful'], strong: ['strong', 'heavy', 'hard', 'bold', 'aggressive'], normal: ['normal', 'standard', 'medium'] };
  const shapes = ['{A} on {x}, {B} on {y}.', 'Go {A} on {x} and {B} on {y}.', 'Be {A} with {x} but {B} with {y}.'];
  function* cases(): Generator<[string, Record<string, string>]> {
    for (const shape of shapes)
      for (const [va, wa] of Object.entries(words))
        for (const [vb, wb] of Object.entries(words)) {
          if (va === vb) continue;
          for (const a of wa)
            for (const b of wb)
              for (const [x, y, rx, ry] of [['the faces', 'the church', 'faces', 'background'], ['the sky', 'Grandma', 'background', 'faces']] as const)
                yield [cap(shape.replace('{A}', a).replace('{B}', b).replace('{x}', x).replace('{y}', y)), { [`${rx}.strength`]: va, [`${ry}.strength`]: vb }];
        }
  }
  assert.deepEqual(misses(cases()).slice(0, 10), []);
});

const REQUESTS: [string, Record<string, string>][] = [
  ['remove the scratches', { scratches: 'fix' }], ['leave the scratches', { scratches: 'leave' }],
  ['get rid of the dust', { dust: 'fix' }], ["don't worry about the dust", { dust: 'leave' }],
  ['clean up the stains', { blotches: 'fix' }], ['leave the stains alone', { blotches: 'leave' }],
  ['denoise it', { noise: 'fix' }], ['fix the blur', { blur: 'fix' }], ["don't sharpen it", { blur: 'leave' }],
  ['remove the jpeg artefacts', { jpeg: 'fix' }], ['boost the contrast', { fading: 'fix' }], ['leave the fading as it is', { fading: 'leave' }],
  ['keep the grain', { grain: 'keep' }], ['reduce the grain a little', { grain: 'reduce' }], ['remove all the grain', { grain: 'remove' }],
  ['make it warmer', { tone: 'warm' }], ['make it black and white', { tone: 'bw' }], ['keep the sepia tone', { tone: 'keep' }],
  ['remove the yellow cast', { tone: 'neutral' }], ['bring back the faded colours', { tone: 'restore' }],
  ['make it sharper', { sharpness: 'crisp' }], ['soften it slightly', { sharpness: 'soft' }],
  ['keep the faces exactly as they are', { identity: 'keep' }], ['go gently', { strength: 'gentle' }], ['go all out', { strength: 'strong' }],
];
/** Settings that a request of the other one in the pair also sets (denoising implies the grain; not sharpening is the blur's). */
const related = (a: string, b: string) => [a, b].sort().join() === 'grain,noise' || [a, b].sort().join() === 'blur,sharpness';

test('two requests in one message read as both, however they are joined', () => {
  function* cases(): Generator<[string, Record<string, string>]> {
    for (const [a, ea] of REQUESTS)
      for (const [b, eb] of REQUESTS) {
        const ka = Object.keys(ea)[0]!, kb = Object.keys(eb)[0]!;
        if (ka === kb || related(ka, kb)) continue;
        for (const join of [' and ', ', ', '. ', '; also '])
          yield [cap(a) + join + (join === '. ' ? cap(b) : b) + '.', { ...ea, ...eb }];
      }
  }
  assert.deepEqual(misses(cases()).slice(0, 10), []);
});

test('three requests in one message, one of them for a region: a strength said on its own is the whole job\'s', () => {
  const regional: [string, Record<string, string>][] = [['sharpen the faces', { 'faces.sharpness': 'crisp' }], ['remove the dust from the sky', { 'background.dust': 'fix' }], ['deblur the people', { 'faces.blur': 'fix' }], ['keep the grain on the faces', { 'faces.grain': 'keep' }]];
  const strengths: [string, Record<string, string>][] = [['go gently', { strength: 'gentle' }], ['go all out', { strength: 'strong' }]];
  const others = REQUESTS.filter(([, want]) => !('strength' in want) && !('identity' in want));
  function* cases(): Generator<[string, Record<string, string>]> {
    for (const [r, er] of regional)
      for (const [s, es] of strengths)
        for (const [o, eo] of others) {
          const slot = Object.keys(eo)[0]!;
          if (Object.keys(er).some((k) => k.endsWith(slot) || related(k.split('.')[1]!, slot))) continue;
          const want = { ...er, ...es, ...eo };
          for (const order of [[o, s, r], [s, r, o], [r, o, s], [o, r, s]])
            for (const [j1, j2] of [[', ', ', '], [' and ', ', '], ['. ', ' and ']])
              yield [cap(order[0]!) + j1 + (j1 === '. ' ? cap(order[1]!) : order[1]) + j2 + order[2] + '.', want];
        }
  }
  assert.deepEqual(misses(cases()).slice(0, 10), []);
});

test('the later of two requests wins after any word of correction; a request taken back is undone', () => {
  const corrections = ['Actually, ', 'No wait, ', 'Sorry, I meant ', 'Scratch that, ', 'On second thought, ', 'Hmm, nope, ', 'Change of plan: ', 'Correction: ', 'My bad, ', 'Or rather, ', 'Never mind, ', 'I changed my mind, '];
  const bySlot = new Map<string, [string, string][]>();
  for (const [text, want] of [...REQUESTS, ['feel free to reconstruct the faces', { identity: 'free' }] as [string, Record<string, string>]]) {
    const [slot, value] = Object.entries(want)[0]!;
    bySlot.set(slot, [...(bySlot.get(slot) ?? []), [value, text]]);
  }
  function* cases(): Generator<[string, Record<string, string>]> {
    for (const [slot, said] of bySlot)
      for (const [va, ta] of said)
        for (const [vb, tb] of said) {
          if (va === vb) continue;
          for (const c of corrections) yield [`${cap(ta)}. ${c}${tb}.`, { [slot]: vb }];
        }
  }
  const undone: Record<string, string> = { scratches: 'leave', dust: 'leave', blotches: 'leave', noise: 'leave', blur: 'leave', jpeg: 'leave', fading: 'leave', grain: 'keep', tone: 'keep', sharpness: 'natural' };
  const withdrawals = ['Scratch that.', 'Forget that.', 'Never mind that.', 'Ignore that.', 'Forget I said that.', "No, don't.", 'Cancel that.', 'Strike that.', "On reflection, don't.", 'Ignore that last bit.', 'Hmm, never mind.'];
  function* takenBack(): Generator<[string, Record<string, string>]> {
    for (const [text, want] of REQUESTS) {
      const [slot, value] = Object.entries(want)[0]!;
      if (!(slot in undone) || value === undone[slot]) continue;
      for (const w of withdrawals) yield [`${cap(text)}. ${w}`, { [slot]: undone[slot]! }];
    }
  }
  assert.deepEqual(misses(cases()).slice(0, 10), []);
  assert.deepEqual(misses(takenBack()).slice(0, 10), []);
});

test('exclusive requests in many phrasings leave every other kind of damage', () => {
  const kinds: [string, string][] = [['scratches', 'scratches'], ['dust', 'dust'], ['blotches', 'stains'], ['noise', 'noise'], ['jpeg', 'jpeg blocks'], ['fading', 'fading'], ['blur', 'blur']];
  const shapes = ['Only {v} the {d}.', 'Just {v} the {d}.', '{V} the {d} and nothing else.', '{V} the {d}, nothing more.', '{V} only the {d}.', 'The only thing I want is the {d} gone.', '{V} the {d} and leave everything else.', "{V} the {d} and that's it.", '{V} the {d} only.', 'I only want the {d} removed.', 'Could you just {v} the {d}?', 'Single job: {v} the {d}.', '{V} the {d} and no more than that.'];
  const all = ['scratches', 'dust', 'blotches', 'noise', 'blur', 'jpeg', 'fading'];
  function* cases(): Generator<[string, Record<string, string>]> {
    for (const shape of shapes)
      for (const [slot, word] of kinds)
        for (const v of ['remove', 'get rid of', 'sort out']) {
          const want: Record<string, string> = Object.fromEntries(all.map((k) => [k, k === slot ? 'fix' : 'leave']));
          if (slot !== 'noise') want.grain = 'keep';
          yield [shape.replace('{v}', v).replace('{V}', cap(v)).replace('{d}', word), want];
        }
  }
  assert.deepEqual(misses(cases()).slice(0, 10), []);
});

test("a defect accepted or asked for on one region: 'can stay', 'doesn't matter', 'is fine', 'has'", () => {
  const kinds: [string, string][] = [['scratches', 'scratches'], ['dust', 'dust'], ['blotches', 'stains'], ['noise', 'noise'], ['jpeg', 'jpeg blocks'], ['blur', 'blur']];
  const shapes: [string, 'faces' | 'background', string][] = [
    ['The {d} on {f} can stay.', 'faces', 'leave'], ["I'm not bothered about the {d} on {b}.", 'background', 'leave'], ["The {d} on {b} doesn't matter.", 'background', 'leave'],
    ['Ignore the {d} on {f}.', 'faces', 'leave'], ["Don't remove the {d} from {f}.", 'faces', 'leave'], ['The {d} on {b} is fine.', 'background', 'leave'],
    ['Please remove the {d} on {f}.', 'faces', 'fix'], ['{F} has {d}, please fix.', 'faces', 'fix'], ['There are {d} on {b}, get rid of them.', 'background', 'fix'], ['The {d} on {b} needs fixing.', 'background', 'fix'],
  ];
  function* cases(): Generator<[string, Record<string, string>]> {
    for (const [shape, where, value] of shapes)
      for (const [slot, word] of kinds)
        for (const [f, b] of [['the bride', 'the sky'], ['Grandma', 'the church']] as const)
          yield [shape.replace('{d}', word).replace('{F}', cap(f)).replace('{f}', f).replace('{b}', b), { [`${where}.${slot}`]: value }];
  }
  assert.deepEqual(misses(cases()).slice(0, 10), []);
});

test('grain and tone in their common phrasings', () => {
  const grain: Record<string, string[]> = {
    keep: ['keep the grain', 'leave the grain', "don't remove the grain", 'the grain stays', 'I like the grain', "don't touch the grain", 'no grain removal', 'preserve the film grain', 'leave the grain alone'],
    reduce: ['reduce the grain', 'less grain', 'a bit less grain', 'tone down the grain', 'take some of the grain out', 'cut the grain down', 'lessen the grain', 'thin the grain'],
    remove: ['remove the grain', 'get rid of all the grain', 'remove all grain', 'smooth out the grain completely', 'take out all the grain', 'eliminate the grain'],
  };
  const tone: [string, string][] = [
    ["don't make it black and white", 'keep'], ['no colour changes', 'keep'], ['keep the colours as they are', 'keep'], ['leave the tone alone', 'keep'], ["don't remove the sepia", 'keep'],
    ['warm it up a little', 'warm'], ['add some warmth', 'warm'], ['cool it down', 'cool'], ['take some warmth out', 'cool'], ['convert it to greyscale', 'bw'], ['remove all the colour', 'bw'],
    ['neutralise the colours', 'neutral'], ['get rid of the green tint', 'neutral'], ['fix the white balance', 'neutral'], ['revive the faded colour', 'restore'], ['make the colours vivid again', 'restore'],
  ];
  function* cases(): Generator<[string, Record<string, string>]> {
    for (const [value, said] of Object.entries(grain))
      for (const text of said)
        for (const [where, key] of [['', 'grain'], [' on the faces', 'faces.grain'], [' in the sky', 'background.grain']])
          yield [cap(text) + where + '.', { [key!]: value }];
    for (const [text, value] of tone) for (const after of ['.', ' and remove the dust.', ', thanks.']) yield [cap(text) + after, { tone: value }];
  }
  assert.deepEqual(misses(cases()).slice(0, 10), []);
});

test("a thing the damage is taken from is the background, when the dictionary knows it; clothes and parts of the print are not; 'just not X' excepts X; 'wrong word' corrects", () => {
  const cases: [string, Record<string, string>][] = [
    ['Remove the scratches from the gazebo.', { 'background.scratches': 'fix' }],
    ['Remove the stains from the rickshaw.', { 'background.blotches': 'fix' }],
    ['Take the dust off the gazebo.', { 'background.dust': 'fix' }],
    ['Remove the stain from the corner.', { blotches: 'fix' }],
    ["Please remove the stain from the groom's lapel.", { blotches: 'fix' }],
    ['get the ink blot off his shirt', { blotches: 'fix' }],
    ['could you please take the scratches out of this one', { scratches: 'fix' }],
    ['every kind of clean-up you like, just not the jpeg blocks', { jpeg: 'leave' }],
    ['do whatever you like, but not the jpeg blocks', { jpeg: 'leave' }],
    ['the greens and blues have all but gone, could you saturate them back to how they were?', { tone: 'restore' }],
    ['Remove the lint. Wrong word, the mould.', { dust: 'leave', blotches: 'fix' }],
    // A word no dictionary holds is not guessed to be a place.
    ['Remove the scratches from the zorbleflange.', { scratches: 'fix' }],
  ];
  for (const [text, want] of cases) assert.deepEqual(statedValues(parseInstruction(text)), want, text);
});

test("the same work said again for another place ('on the bride and on the church') is the whole photo's; blue is a cast when too much", () => {
  const cases: [string, Record<string, string>][] = [
    ['fix the scratches on the bride and on the church', { 'faces.scratches': 'fix', 'background.scratches': 'fix', scratches: 'fix' }],
    ["Fix the scratches on the sergeant's face and on the tank behind him.", { 'faces.scratches': 'fix', 'background.scratches': 'fix', scratches: 'fix' }],
    // (Not the same work again: the backdrop's is refused; the rules leave it unstated, the reader reads it as left.)
    ['scratch repair on the people yes, on the backdrop no', { 'faces.scratches': 'fix' }],
    ['too much blue in this, fix pls', { tone: 'neutral' }],
    ['more yellow, less blue', { tone: 'warm' }],
    ['warm it up. hmm no, icy blue instead', { tone: 'cool' }],
    ['make it bluer', { tone: 'cool' }],
  ];
  for (const [text, want] of cases) assert.deepEqual(statedValues(parseInstruction(text)), want, text);
});

test("scope in many words: 'nothing on the faces', 'the background doesn't need anything', 'restore just them'; the Ford's own scratch", () => {
  const cases: [string, Record<string, string>][] = [
    ['Nothing on the faces, please.', { scope: 'background' }],
    ["The background doesn't need anything.", { scope: 'faces' }],
    ['The people matter most; restore just them.', { scope: 'faces' }],
    ["Mend the Ford's scratch, nothing on Dad.", { 'background.scratches': 'fix', scope: 'background' }],
    ["It looks like it's snowing in the dark corners, that's the phone's noise. Clean it up?", { noise: 'fix', grain: 'remove' }],
  ];
  for (const [text, want] of cases) assert.deepEqual(statedValues(parseInstruction(text)), want, text);
});
