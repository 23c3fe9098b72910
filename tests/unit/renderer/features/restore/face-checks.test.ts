/** The identity check as the Restore panel reads it from a version's recipe: plain words, and nothing from recipes without it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeCheck, faceChecksOf } from '../../../../../renderer/features/restore/face-checks.js';
import type { Recipe } from '../../../../../electron/shared/recipe.js';

const recipe = (settings: Record<string, unknown>): Recipe =>
  ({ engineVersion: '1', models: [], instruction: '', semanticTokens: [], mode: 'fast', fidelity: 0.5, seed: null, settings, executionProvider: 'cpu', adapter: null, timings: {}, totalSeconds: 1 }) as Recipe;

test('each restored face reads "same person likely / unsure" with its drift; older or odd recipes give none', () => {
  const checks = faceChecksOf(recipe({ faceChecks: [{ x: 1, y: 2, w: 30, h: 40, distance: 0.123, samePerson: 'likely' }, { x: 90, y: 2, w: 30, h: 40, distance: 0.61, samePerson: 'unsure' }, { x: 'bad' }] }));
  assert.deepEqual(checks.map(describeCheck), ['Face 1: same person likely (drift 0.12)', 'Face 2: same person unsure (drift 0.61)']);
  assert.deepEqual(faceChecksOf(recipe({})), []);
  assert.deepEqual(faceChecksOf(recipe({ faceChecks: 'nope' })), []);
});
