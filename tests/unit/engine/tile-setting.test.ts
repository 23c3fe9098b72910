import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chosenTile } from '../../../electron/engine/pipeline/tile-setting.js';

const model = { size: 512, overlap: 32, multiple: 64 };

test("Settings' tile size replaces the model's, rounded down to the multiple the model needs", () => {
  assert.deepEqual(chosenTile(model, '256'), { size: 256, overlap: 32, multiple: 64 });
  assert.deepEqual(chosenTile(model, 136), { size: 128, overlap: 32, multiple: 64 });
  assert.deepEqual(chosenTile(model, 20), { size: 64, overlap: 16, multiple: 64 }, 'never below one multiple; overlap at most a quarter');
});

test("no setting, 0 or nonsense keeps the model's own tile", () => {
  for (const s of [undefined, '', '0', 0, 'big', -5]) assert.deepEqual(chosenTile(model, s), model);
});
