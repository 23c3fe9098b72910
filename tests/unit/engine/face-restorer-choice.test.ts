import { test } from 'node:test';
import assert from 'node:assert/strict';
import { facesFit, findModelSet, modelSetCandidates } from '../../../electron/engine/model-restorer.js';
import type { RegisteredModel } from '../../../electron/node/model-registry.js';

const queries = (k: number) => [{ name: 'image', dtype: 'float32', shape: [1, 3, 'H', 'W'] }, { name: 'queries', dtype: 'float32', shape: [1, k, 64] }];
const model = (id: string, task: string, extra: Record<string, unknown> = {}, source: 'shipped' | 'user' = 'shipped'): RegisteredModel => ({
  id, dir: `/m/${id}`, file: `/m/${id}/model.onnx`, source, ok: true,
  manifest: { schema: 1, id, version: '1', task, file: 'model.onnx', sha256: '0'.repeat(64), opset: 17, inputs: queries(11), outputs: [], ...extra } as never,
});
const base = [model('cue', 'cue-encoder'), model('integ', 'integrator'), model('rest', 'restorer')];

test('a face restorer joins the set when it reads the restorer\'s queries and expects the same input', () => {
  assert.equal(findModelSet(base)?.face, undefined, 'no face restorer installed: the faces go to the restorer');
  assert.equal(findModelSet([...base, model('face', 'face-restorer')])?.face?.id, 'face');
  assert.equal(findModelSet([...base, model('face', 'face-restorer', { inputs: queries(9) })])?.face, undefined, 'other queries: not taken');
  assert.equal(findModelSet([...base, model('face', 'face-restorer', { inputs: [] })])?.face, undefined, 'no queries input: not taken');
  assert.equal(findModelSet([...base, model('face', 'face-restorer', { preprocess: { tone: 'restora-tone' } })])?.face, undefined, 'another input: not taken');
  assert.ok(facesFit(model('face', 'face-restorer'), model('rest', 'restorer')));
});

test('a user\'s face restorer wins over the shipped one; one that does not fit leaves the shipped one', () => {
  const shipped = model('face', 'face-restorer');
  assert.equal(findModelSet([...base, shipped, model('mine', 'face-restorer', {}, 'user')])?.face?.id, 'mine');
  assert.equal(findModelSet([...base, shipped, model('mine', 'face-restorer', { inputs: queries(5) }, 'user')])?.face?.id, 'face');
  // a broken user face model is never picked; the shipped set is still tried after the user's
  const broken = { ...model('mine', 'face-restorer', {}, 'user'), ok: false };
  assert.equal(findModelSet([...base, shipped, broken])?.face?.id, 'face');
  assert.equal(modelSetCandidates([...base, shipped]).length, 1);
});
