import { test } from 'node:test';
import assert from 'node:assert/strict';
import { methods, events, isMethodName, methodsOf, jobLabel, parseParams, parseResult, type MethodName } from '../../../electron/shared/contract/index.js';
import { RequestEnvelope, WorkerInbound, ClientInbound } from '../../../electron/shared/rpc.js';
import { RestoraError, toWireError } from '../../../electron/shared/errors.js';
import { parseMediaPath, mediaPath } from '../../../electron/shared/media.js';
import { RestoreSettings, MAX_INSTRUCTION_CHARS } from '../../../electron/shared/recipe.js';

test('every method belongs to a service and carries documentation', () => {
  for (const [name, spec] of Object.entries(methods)) {
    assert.ok(['host', 'library', 'engine'].includes(spec.service), name);
    assert.ok(spec.doc.length > 5, `${name} needs a doc`);
    assert.ok(name.includes('.'), `${name} is namespaced`);
  }
  assert.ok(methodsOf('engine').includes('engine.restoreFile'));
  assert.ok(methodsOf('library').length > 0);
});

test('every job declares a human label made from its parameters, short enough for the jobs list', () => {
  const jobs = (Object.keys(methods) as MethodName[]).filter((m) => methods[m].job);
  assert.ok(jobs.length >= 10);
  for (const m of jobs) assert.equal(typeof methods[m].label, 'function', `${m} needs a label`);
  assert.equal(jobLabel('library.import', parseParams('library.import', { paths: ['/a', '/b'] })), 'Import 2 item(s)');
  assert.equal(jobLabel('engine.restoreFile', parseParams('engine.restoreFile', { input: '/scans/Großvater.png', output: '/o.png', settings: {} })), 'Restore Großvater.png');
  assert.equal(jobLabel('library.relink', parseParams('library.relink', { folder: 'C:\\Backup\\Pictures' })), 'Relink from Pictures');
  const long = jobLabel('engine.restoreFile', parseParams('engine.restoreFile', { input: `/${'x'.repeat(300)}.png`, output: '/o.png', settings: {} }));
  assert.equal(long.length, 200);
});

test('parameters and results are checked against the method’s own schema, with typed errors', () => {
  assert.equal(parseParams('engine.calibrate', {}).seconds, 1);
  assert.throws(() => parseParams('engine.calibrate', { seconds: -1 }), (e: RestoraError) => e.code === 'BadRequest' && /engine\.calibrate/.test(e.message));
  assert.deepEqual(parseResult('library.relink', { relinked: 2, stillMissing: 0 }), { relinked: 2, stillMissing: 0 });
  assert.throws(() => parseResult('library.relink', { relinked: 'two' }), (e: RestoraError) => e.code === 'Internal' && /library service broke the contract for library\.relink/.test(e.message));
});

test('internal methods are marked so renderer transports can refuse them', () => {
  assert.equal(methods['engine.restoreFile'].exposure, 'internal');
  assert.equal(methods['library.resolveMedia'].exposure, 'internal');
  assert.equal(methods['app.info'].exposure, 'renderer');
});

test('isMethodName rejects prototype keys and unknown names', () => {
  assert.equal(isMethodName('app.info'), true);
  assert.equal(isMethodName('toString'), false);
  assert.equal(isMethodName('__proto__'), false);
  assert.equal(isMethodName('library.dropTables'), false);
});

test('envelopes reject malformed messages', () => {
  assert.equal(RequestEnvelope.safeParse({ t: 'req', id: 1, method: 'app.info', params: {} }).success, true);
  assert.equal(RequestEnvelope.safeParse({ t: 'req', id: -1, method: 'app.info' }).success, false);
  assert.equal(RequestEnvelope.safeParse({ t: 'req', id: 1, method: 'x'.repeat(101) }).success, false);
  assert.equal(RequestEnvelope.safeParse({ t: 'req', id: 1, method: '../etc' }).success, false);
  assert.equal(WorkerInbound.safeParse({ t: 'cancel', job: 'job-1' }).success, true);
  assert.equal(WorkerInbound.safeParse({ t: 'evil' }).success, false);
  assert.equal(ClientInbound.safeParse({ t: 'res', id: 3, ok: false, error: { code: 'Nope', message: 'x' } }).success, false);
});

test('params schemas apply defaults and bounds', () => {
  const s = RestoreSettings.parse({});
  assert.equal(s.mode, 'fast');
  assert.equal(s.instruction, '');
  assert.equal(RestoreSettings.safeParse({ fidelity: 1.5 }).success, false);
  assert.equal(RestoreSettings.safeParse({ instruction: 'x'.repeat(10_000) }).success, true);
  const tooLong = RestoreSettings.safeParse({ instruction: 'x'.repeat(MAX_INSTRUCTION_CHARS + 1) });
  assert.equal(tooLong.success, false);
  assert.equal(methods['engine.calibrate'].params.parse({}).seconds, 1);
});

test('every event has a schema', () => {
  for (const name of ['job.progress', 'job.state', 'worker.status', 'library.changed'] as const) assert.ok(events[name]);
  assert.equal(events['job.progress'].safeParse({ jobId: 'job-1', stage: 's', fraction: 2, etaSeconds: null, elapsedSeconds: 0 }).success, false);
});

test('errors serialise to the wire without leaking internals', () => {
  assert.deepEqual(new RestoraError('NotFound', 'No photo 3').toWire(), { code: 'NotFound', message: 'No photo 3' });
  assert.equal(toWireError(new TypeError('boom')).code, 'Internal');
  assert.equal(toWireError('text').message, 'text');
  assert.equal(toWireError({ code: 'Cancelled', message: 'stop' }).code, 'Cancelled');
});

test('media paths accept only catalog ids and known sizes', () => {
  assert.deepEqual(parseMediaPath('photo/42/thumb'), { kind: 'photo', id: 42, size: 'thumb' });
  assert.deepEqual(parseMediaPath('/version/7/full'), { kind: 'version', id: 7, size: 'full' });
  assert.equal(mediaPath({ kind: 'photo', id: 5, size: 'preview' }), 'photo/5/preview');
  for (const bad of ['photo/0/thumb', 'photo/-1/thumb', 'photo/1/huge', '../../etc/passwd', 'photo/1/thumb/../../x', 'file/1/thumb', 'photo/1e3/thumb', 'photo/%2e%2e/thumb']) {
    assert.equal(parseMediaPath(bad), null, bad);
  }
});
