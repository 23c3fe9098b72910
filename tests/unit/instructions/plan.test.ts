/** What each pass is told: settings per region, edits over words, the canonical sentence and the forced integrator slots. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planInstruction, raiseAskedDamage, restorerSteering } from '../../../electron/shared/instructions/plan.js';
import { SlotEdits, strengthNumber, strengthValue, type SlotName } from '../../../electron/shared/instructions/slots.js';
import { readToneWords } from '../../../electron/engine/semantic/tone-words.js';

test('synonymous instructions give the same canonical sentence and forced slots', () => {
  const a = planInstruction('remove the scratches but keep the grain');
  const b = planInstruction('get rid of the scrathces, dont touch the grain pls');
  assert.equal(a.canonical.global, b.canonical.global);
  assert.deepEqual(a.force.global, b.force.global);
  assert.deepEqual(a.force.global, { grain: 'keep' });
});

test('the faces get their own settings; the photo keeps one tone and one scope', () => {
  const p = planInstruction('sharpen the faces but leave the background soft, make it warmer');
  assert.equal(p.stated.global.blur?.value, 'leave');
  assert.equal(p.stated.global.sharpness, undefined);
  assert.equal(p.stated.faces.sharpness?.value, 'crisp');
  assert.equal(p.stated.faces.tone?.value, 'warm');
  assert.equal(p.facesDiffer, true);
  assert.equal(planInstruction('remove the dust').facesDiffer, false);
});

test('edits win over the words and are marked as edits', () => {
  const p = planInstruction('remove all the grain', { grain: 'keep', 'faces.sharpness': 'crisp' });
  assert.deepEqual([p.stated.global.grain?.value, p.stated.global.grain?.source], ['keep', 'edit']);
  assert.equal(p.stated.faces.sharpness?.source, 'edit');
  assert.equal(p.force.global.grain, 'keep');
  assert.equal(SlotEdits.safeParse({ grain: 'lots' }).success, false);
  assert.equal(SlotEdits.safeParse({ 'faces.tone': 'warm' }).success, false, 'tone is one per photo');
});

test('integrator slots: leave is off, tone maps onto cast and colour, asked damage is at least low', () => {
  const p = planInstruction("leave the scratches, dust and stains, don't sharpen, make it black and white, gently, only the faces");
  assert.deepEqual(p.force.global, { scratches: 'off', blur: 'off', cast: 'fix', colour: 'bw', scope: 'faces', strength: 'gentle' });
  const asked = planInstruction('remove the dust and the noise').stated.global;
  assert.deepEqual(raiseAskedDamage(asked, { scratches: 'off', noise: 'high' }), { scratches: 'low' });
});

test('the tone stage reads its wishes from the same parser, edits included', () => {
  assert.equal(readToneWords('keep the warm sepia tone').tone, 'keep');
  assert.equal(readToneWords('remove the blue pen marks').tone, undefined);
  assert.equal(readToneWords('restore the colours of this faded photo').fade, undefined);
  const edited = planInstruction('', { tone: 'cool', fading: 'fix' }).stated.global;
  assert.deepEqual([edited.tone?.value, edited.fading?.value], ['cool', 'fix']);
});

test('strength takes a number from 0 to 1 beside its names; the integrator reads a number as normal', () => {
  assert.equal(SlotEdits.safeParse({ strength: '0.3' }).success, true);
  assert.equal(SlotEdits.safeParse({ 'faces.strength': '1' }).success, true);
  for (const bad of ['1.5', '-0.1', '2', 'lots', '0.3.1']) assert.equal(SlotEdits.safeParse({ strength: bad }).success, false, bad);
  assert.equal(SlotEdits.safeParse({ grain: '0.3' }).success, false, 'only strength is a number');
  assert.equal(strengthNumber('.25'), 0.25);
  assert.equal(strengthValue(0.333), '0.33');
  const p = planInstruction('remove the dust', { strength: '0.3' });
  assert.deepEqual(p.stated.global.strength, { value: '0.3', source: 'edit' });
  assert.equal(p.canonical.global, planInstruction('remove the dust').canonical.global);
  assert.equal(p.force.global.strength, undefined);
});

test('the restorer is not told of physical damage the repair stage or the "leave" operation owns', () => {
  const steer = (text: string, repaired: string[]) => restorerSteering(planInstruction(text).stated.global, new Set(repaired as SlotName[]));
  // Repaired scratches and left scratches both leave the restorer the rest of the sentence, like no instruction.
  const fixed = steer('remove the scratches and the noise', ['scratches', 'dust']);
  assert.equal(fixed?.canonical, planInstruction('remove the noise').canonical.global, 'repaired damage is taken out of the sentence');
  assert.equal(fixed?.stated.scratches, undefined, 'and is not raised to "low" for the restorer');
  assert.equal(fixed?.force.scratches, 'off', 'the repair removed it: the restorer reads no damage to remove');
  const left = steer('leave the scratches alone', []);
  assert.equal(left?.canonical, '', 'a "leave" is the explicit operation’s');
  assert.equal(left?.force.scratches, 'off', 'and still tells the restorer the damage is not to be removed');
  // Without a repair (no detector, or stains not asked of it) the restorer is still the remover: told as before.
  assert.equal(steer('remove the scratches', []), null, 'nothing owned elsewhere: the plan’s own sentence');
  const stains = steer('remove the stains and the dust', ['dust']);
  assert.match(stains?.canonical ?? '', /remove the stains/, 'stains not repaired stay in the sentence');
  assert.equal(stains?.force.scratches, undefined, 'and the restorer still reads the damage it is to remove');
  assert.equal(steer('make it warmer', ['scratches']), null, 'no damage stated: nothing changes');
});

test('"gently" is the blend after the restorer: the restorer itself reads a normal strength', () => {
  const gentle = restorerSteering(planInstruction('restore it gently, keep the grain').stated.global, new Set());
  assert.equal(gentle?.canonical, planInstruction('keep the grain').canonical.global);
  assert.deepEqual(gentle?.force, { grain: 'keep', strength: 'normal' });
  assert.equal(restorerSteering(planInstruction('go all out').stated.global, new Set()), null, 'strong is the restorer’s and the explicit fixes’');
});

test("an edit may name a setting by its chip's label ('where' for scope, 'stains' for blotches)", () => {
  const plan = planInstruction('', { where: 'faces', 'background.stains': 'leave' });
  assert.equal(plan.stated.global.scope?.value, 'faces');
  assert.equal(plan.stated.global.blotches?.value, 'leave');
  assert.equal(plan.stated.faces.blotches, undefined);
});
