/** What the Restore panel's controls send to the engine: settings per mode, the faces chosen, the seed, and the understood chips. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RestoreSettings } from '../../../../../electron/shared/recipe.js';
import type { Analysis } from '../../../../../electron/shared/contract/engine.js';
import { Geometry } from '../../../../../electron/shared/geometry.js';
import { chosenFaces, clampSeed, DEFAULT_FORM, faceChoices, settingChips, settingsFor, understoodTokens } from '../../../../../renderer/features/restore/restore-settings.js';

const analysis: Analysis = {
  width: 1000,
  height: 500,
  severity: {},
  source: 'heuristic',
  suggestions: [],
  faces: [
    { x: 100, y: 50, w: 200, h: 100, score: 0.9 },
    { x: 600, y: 250, w: 100, h: 50, score: 0.8 },
  ],
  facesDetected: true,
  notes: [],
  seconds: 0,
};

test('fast mode sends the instruction, mode and fidelity only, and the engine accepts it', () => {
  const s = settingsFor({ ...DEFAULT_FORM, instruction: 'keep the grain', steps: 8, variation: true }, undefined);
  assert.deepEqual(s, { instruction: 'keep the grain', mode: 'fast', fidelity: 0.7 });
  assert.equal(RestoreSettings.safeParse(s).success, true);
});

test('generative mode adds its steps, and a seed only when a variation is asked for', () => {
  const same = settingsFor({ ...DEFAULT_FORM, mode: 'generative', fidelity: 0.5, steps: 2 }, undefined);
  assert.deepEqual(same, { instruction: '', mode: 'generative', fidelity: 0.5, steps: 2 });
  const variation = settingsFor({ ...DEFAULT_FORM, mode: 'generative', steps: 2, variation: true, seed: 42 }, undefined);
  assert.deepEqual([variation.deterministic, variation.seed], [false, 42]);
});

test('a personalisation is named only when one is chosen', () => {
  assert.equal(settingsFor(DEFAULT_FORM, undefined).adapter, undefined);
  assert.equal(settingsFor({ ...DEFAULT_FORM, adapter: 'Grandma' }, undefined).adapter, 'Grandma');
});

test('faces: all of them unless one is switched off; then the ones left on, in image pixels', () => {
  assert.equal(chosenFaces(analysis, [true, true], false), undefined, 'every face found');
  assert.deepEqual(chosenFaces(analysis, [false, true], false), [{ x: 600, y: 250, w: 100, h: 50 }]);
  assert.deepEqual(chosenFaces(analysis, [false, false], false), [], 'none: no face restoration');
  assert.equal(chosenFaces(null, [], false), undefined, 'before the analysis arrives');
  assert.deepEqual(settingsFor(DEFAULT_FORM, [])?.faces, []);
});

test('a batch restores every face in each photo, whatever was switched off on the first', () => {
  assert.equal(chosenFaces(analysis, [false, true], true), undefined);
});

test('face boxes are drawn relative to the photo, each saying whether it will be restored', () => {
  assert.deepEqual(faceChoices(analysis, [true, false]), [
    { x: 0.1, y: 0.1, w: 0.2, h: 0.2, on: true },
    { x: 0.6, y: 0.5, w: 0.1, h: 0.1, on: false },
  ]);
  assert.equal(faceChoices(analysis, [])[1]!.on, true, 'a face without a choice yet is restored');
  assert.deepEqual(faceChoices(null, []), []);
});

test('on a cropped or turned photo the faces are where the crop puts them; one cropped away is not shown or sent', () => {
  const rightHalf = Geometry.parse({ crop: { x: 0.5, y: 0, w: 0.5, h: 1 } });
  const shown = faceChoices(analysis, [true, true], rightHalf);
  assert.equal(shown[0]!.outside, true, 'face 1 is in the left half');
  assert.deepEqual(shown[1], { x: 0.2, y: 0.5, w: 0.2, h: 0.1, on: true });
  assert.equal(chosenFaces(analysis, [true, true], false, rightHalf), undefined, 'every face found on the cropped picture');
  assert.deepEqual(chosenFaces(analysis, [false, true], false, rightHalf), [{ x: 100, y: 250, w: 100, h: 50 }], 'in the cropped picture\'s pixels');
  assert.deepEqual(chosenFaces(analysis, [true, false], false, rightHalf), [], 'the one chosen is cropped away: no face restoration');
  const turned = faceChoices(analysis, [true, true], Geometry.parse({ rotate: 90 }));
  assert.deepEqual(turned[1], { x: 0.4, y: 0.6, w: 0.1, h: 0.1, on: true }, 'a quarter turn clockwise');
});

test('a typed seed becomes a whole number the contract accepts', () => {
  assert.equal(clampSeed('42'), 42);
  assert.equal(clampSeed('4.9'), 4);
  assert.equal(clampSeed('-3'), 0);
  assert.equal(clampSeed('abc'), 0);
  assert.equal(clampSeed(1e12), 4294967295);
});

test('the understood chips leave out what only restates a default, but always show grain, colour and cast', () => {
  assert.deepEqual(understoodTokens(['scratches:remove', 'noise:normal', 'grain:keep', 'faces:all', 'colour:fix', 'sharpen:strong']), ['grain:keep', 'colour:fix', 'sharpen:strong']);
});

test('understood chips: a setting the learned reader read is marked as such, with its certainty in the title', () => {
  const chips = settingChips({
    instruction: 'no airbrushing their faces into strangers',
    canonical: { global: 'keep the identity' },
    regions: { all: { identity: { value: 'keep', source: 'learned', because: 'learned reader, 97% sure' }, grain: { value: 'keep', source: 'words', because: 'keep the grain' } } },
    edits: {},
    notes: [],
  });
  const identity = chips.find((c) => c.key === 'identity')!;
  assert.equal(identity.source, 'learned');
  assert.match(identity.title, /^read from your words by the learned reader — learned reader, 97% sure/);
  assert.match(chips.find((c) => c.key === 'grain')!.title, /^from your words — “keep the grain”/);
});
