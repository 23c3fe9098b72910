import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recipeLines } from '../../../../../renderer/features/photo/recipe-lines.js';
import type { Recipe } from '../../../../../electron/shared/recipe.js';

const base: Recipe = {
  engineVersion: '0.1.0',
  models: [{ id: 'restora-restorer', version: '2.0.0', sha256: 'abcdef0123456789' }],
  instruction: 'keep the grain, fix the colours',
  semanticTokens: ['grain:keep', 'colour:fix'],
  mode: 'generative',
  fidelity: 0.4,
  seed: 42,
  settings: {
    understood: { grain: 'keep', colour: 'fix' },
    generative: { steps: 6, guidance: 1.5, deterministic: false },
    toneDecision: { actions: ['white balance'], because: 'the instruction asked for the colours' },
    damage: { source: 'user', repaired: 0.031, mask: 'v1.mask.png' },
    geometry: { rotate: 90, straighten: -1.5, ratio: '4:3', crop: { x: 0.1, y: 0.1, w: 0.8, h: 0.6 } },
    requested: { faces: [{ x: 1, y: 1, w: 5, h: 5 }] },
    faces: [{ x: 1, y: 1, w: 5, h: 5 }],
    tileSize: 256,
  },
  executionProvider: 'cpu',
  adapter: 'family-1950s',
  timings: {},
  totalSeconds: 3.25,
};

test('a recipe says everything that decided the version', () => {
  const lines = Object.fromEntries(recipeLines(base).map((l) => [l.label, l.value]));
  assert.equal(lines.Instruction, '“keep the grain, fix the colours”');
  assert.equal(lines['Understood as'], 'grain: keep, colour: fix');
  assert.equal(lines.Mode, 'generative (6 steps, guidance 1.5, a variation)');
  assert.match(lines.Fidelity!, /^0\.4 /);
  assert.equal(lines.Tone, 'white balance — the instruction asked for the colours');
  assert.equal(lines['Repair mask'], 'your mask (3.1 % repaired) · v1.mask.png');
  assert.equal(lines['Crop and turn'], 'Turned 90° clockwise, straightened −1.5°, cropped to 80 % × 60 % (4:3)');
  assert.equal(lines.Adapter, 'family-1950s');
  assert.equal(lines.Models, 'restora-restorer 2.0.0 (abcdef012345)');
  assert.equal(lines.Seed, '42');
  assert.equal(lines.Faces, '1 restored (chosen by hand)');
  assert.equal(lines['Ran on'], 'cpu, 256 px tiles, 3.3 s, Restora 0.1.0');
});

test('an old or plain recipe reads sensibly', () => {
  const plain = { ...base, instruction: '', semanticTokens: [], mode: 'fast' as const, seed: null, adapter: null, models: [], settings: {} };
  const lines = Object.fromEntries(recipeLines(plain).map((l) => [l.label, l.value]));
  assert.equal(lines.Instruction, 'none (Restora fixed what it found)');
  assert.equal(lines['Understood as'], '—');
  assert.equal(lines.Mode, 'fast');
  assert.equal(lines.Tone, 'left as it was');
  assert.equal(lines['Repair mask'], 'none');
  assert.equal(lines['Crop and turn'], 'none');
  assert.equal(lines.Models, 'classical filters (no model)');
  assert.equal(lines.Faces, '0 found and restored');
});
