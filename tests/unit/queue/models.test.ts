/** The model fingerprint submitters and workers compare, and how a difference is told. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeDifference, modelSet } from '../../../electron/queue/models.js';
import { pngSize } from '../../../electron/queue/png-size.js';
import { parseQueueName, queueName } from '../../../electron/queue/protocol.js';

const model = (id: string, version: string, sha: string, ok = true) => ({ id, version, task: 'restorer', source: 'shipped' as const, sha256: sha.repeat(64 / sha.length), ok });
const info = (models: ReturnType<typeof model>[]) => ({ pid: 1, onnxruntime: '1', providers: ['cpu'], threads: 2, models });

test('the fingerprint depends on usable models only, not their order', () => {
  const a = modelSet(info([model('r', '1.7.0', 'ab'), model('i', '1.3.0', 'cd')]));
  const b = modelSet(info([model('i', '1.3.0', 'cd'), model('r', '1.7.0', 'ab'), model('broken', '1', 'ef', false)]));
  assert.equal(a.fingerprint, b.fingerprint);
  assert.match(a.fingerprint, /^[0-9a-f]{64}$/);
  const c = modelSet(info([model('r', '1.7.0', 'ff'), model('i', '1.3.0', 'cd')]));
  assert.notEqual(c.fingerprint, a.fingerprint, 'another file hash is another model');
  assert.equal(describeDifference(a.models, c.models), 'r 1.7.0 (abababab…) here, 1.7.0 (ffffffff…) there');
  assert.equal(describeDifference(a.models, [c.models[0]!], 'here', 'on B'), 'r 1.7.0 (abababab…) here, missing on B');
  assert.equal(describeDifference(a.models, a.models), 'the same models');
  const q = queueName(a.fingerprint);
  assert.deepEqual(parseQueueName(q), { protocol: 1, models: a.fingerprint.slice(0, 16) });
});

test('pngSize reads a PNG header and refuses anything else', () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000001e0000000f00802000000', 'hex');
  assert.deepEqual(pngSize(png), { width: 480, height: 240 });
  assert.equal(pngSize(Buffer.from('not a png at all, not at all')), null);
});
