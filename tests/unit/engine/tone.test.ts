import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyTone, isIdentityTone, toneThumbnail } from '../../../electron/engine/semantic/tone.js';
import { findModelSet, restorerTokens } from '../../../electron/engine/model-restorer.js';
import type { RegisteredModel } from '../../../electron/node/model-registry.js';

test('the tone thumbnail averages each output pixel over its own rectangle of the photo', () => {
  // 6×4 RGB, value = pixel index in channel 0, constant 0.5 in 1, 8-bit input scaled to 0..1
  const w = 4, h = 6;
  const f = new Float32Array(w * h * 3);
  for (let p = 0; p < w * h; p++) [f[p * 3], f[p * 3 + 1], f[p * 3 + 2]] = [p, 0.5, p % 2];
  const t = toneThumbnail(f, w, h, 2);
  assert.equal(t.length, 12);
  // top-left output: rows 0..2, cols 0..1 → pixel indices 0,1,4,5,8,9
  assert.equal(t[0], (0 + 1 + 4 + 5 + 8 + 9) / 6);
  assert.equal(t[1], 0.5);
  assert.equal(t[2], 0.5);
  // non-divisible sizes: bins overlap (floor/ceil, as adaptive average pooling), every bin is a mean
  const u8 = new Uint8Array(7 * 5 * 3).fill(255);
  assert.ok(toneThumbnail(u8, 7, 5, 3).every((v) => Math.abs(v - 1) < 1e-6));
  // smaller than the view: resized up, not averaged
  assert.equal(toneThumbnail(new Float32Array(2 * 2 * 3).fill(0.25), 2, 2, 8).length, 8 * 8 * 3);
});

test('a tone matrix maps colours and clamps; the identity leaves them alone', () => {
  const id = Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]);
  const px = Float32Array.from([0.2, 0.4, 0.6, 0.9, 0.1, 0.0]);
  assert.deepEqual(Array.from(applyTone(Float32Array.from(px), id)), Array.from(px));
  assert.ok(isIdentityTone(id));
  // stretch contrast around 0.5 by 2 and swap nothing: 0.9 → 1.3 clamps to 1, 0.1 → -0.3 clamps to 0
  const stretch = Float32Array.from([2, 0, 0, -0.5, 0, 2, 0, -0.5, 0, 0, 2, -0.5]);
  const out = applyTone(Float32Array.from(px), stretch);
  assert.deepEqual(Array.from(out).map((v) => Math.round(v * 100) / 100), [0, 0.3, 0.7, 1, 0, 0]);
  assert.ok(!isIdentityTone(stretch));
});

const model = (id: string, task: string, extra: Record<string, unknown> = {}): RegisteredModel => ({
  id, dir: `/m/${id}`, file: `/m/${id}/model.onnx`, source: 'shipped', ok: true,
  manifest: { schema: 1, id, version: '1', task, file: 'model.onnx', sha256: '0'.repeat(64), opset: 17, inputs: [], outputs: [], ...extra } as never,
});

test('a restorer trained behind a tone model is only used with that tone model', () => {
  const base = [model('cue', 'cue-encoder'), model('integ', 'integrator')];
  const plain = model('rest', 'restorer');
  assert.equal(findModelSet([...base, plain])?.tone, undefined);
  const toned = model('rest', 'restorer', { preprocess: { tone: 'restora-tone' } });
  assert.equal(findModelSet([...base, toned]), null, 'its tone model is missing: the set is not usable');
  assert.equal(findModelSet([...base, toned, model('other-tone', 'tone')]), null, 'another tone model does not stand in');
  const set = findModelSet([...base, toned, model('restora-tone', 'tone')]);
  assert.equal(set?.tone?.id, 'restora-tone');
});

test('a restorer behind a tone model says which slots it is steered with', () => {
  assert.deepEqual(restorerTokens(model('rest', 'restorer')), {});
  assert.deepEqual(restorerTokens(model('rest', 'restorer', { preprocess: { tone: 'restora-tone', restorerTokens: { fade: 'off', cast: 'keep', bad: 3 } } })), { fade: 'off', cast: 'keep' });
});
