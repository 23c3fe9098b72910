/**
 * The broker with its real worker processes: requests, jobs with progress,
 * cancellation, and crash isolation (the engine killed mid-job).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServices, waitFor } from '../../devkit/services.js';
import { writeTestPhoto, sha256File } from '../../devkit/images.js';
import type { JobInfo, JobProgress } from '../../electron/shared/jobs.js';
import { RestoraError } from '../../electron/shared/errors.js';
import { JobStarted } from '../../electron/shared/contract/index.js';

let svc: Awaited<ReturnType<typeof startServices>>;
const progress: JobProgress[] = [];
const states: JobInfo[] = [];

before(async () => {
  svc = await startServices();
  svc.broker.onEvent((name, payload) => {
    if (name === 'job.progress') progress.push(payload as JobProgress);
    if (name === 'job.state') states.push(payload as JobInfo);
  });
});
after(() => svc.stop());

test('app.info reports both worker processes ready', async () => {
  const info = await svc.broker.invoke('app.info', {});
  assert.equal(info.name, 'Restora');
  const byService = Object.fromEntries(info.workers.map((w) => [w.service, w]));
  assert.equal(byService.library!.state, 'ready');
  assert.equal(byService.engine!.state, 'ready');
  assert.notEqual(byService.engine!.pid, process.pid);
  assert.ok(byService.engine!.pid! > 0);
});

test('engine.info lists ONNX Runtime and the CPU provider', async () => {
  const info = await svc.broker.invoke('engine.info', {});
  assert.match(info.onnxruntime, /^\d+\.\d+/);
  assert.ok(info.providers.includes('cpu'));
  assert.equal(info.pid, svc.broker.workerPid('engine'));
});

test('a job streams progress with an ETA and ends with its result', async () => {
  const result = await svc.broker.runJob('engine.calibrate', { seconds: 0.6, size: 128 });
  assert.ok(result.gflops > 0.1, `gflops ${result.gflops}`);
  assert.ok(result.iterations > 0);
  const last = states.findLast((s) => s.method === 'engine.calibrate')!;
  const mine = progress.filter((p) => p.jobId === last.jobId);
  assert.ok(mine.length >= 2, 'several progress events');
  assert.ok(mine.some((p) => p.etaSeconds !== null), 'an ETA was given');
  assert.ok(mine.every((p, i) => i === 0 || p.fraction >= mine[i - 1]!.fraction), 'progress never goes backwards');
  assert.equal(last.state, 'done');
});

test('cancel stops a running job promptly and the engine keeps working', async () => {
  const { jobId } = JobStarted.parse(await svc.broker.call('engine.calibrate', { seconds: 60, size: 128 }, 'renderer'));
  await waitFor(() => progress.some((p) => p.jobId === jobId), 15_000, 'first progress');
  const t0 = Date.now();
  svc.broker.jobs.cancel(jobId);
  const info = await svc.broker.jobs.wait(jobId);
  assert.equal(info.state, 'cancelled');
  assert.ok(Date.now() - t0 < 2500, `took ${Date.now() - t0} ms`);
  const engine = await svc.broker.invoke('engine.info', {});
  assert.ok(engine.pid > 0);
});

test('killing the engine mid-job fails that job clearly, restarts the engine, and the library keeps working', async () => {
  const { jobId } = JobStarted.parse(await svc.broker.call('engine.calibrate', { seconds: 60, size: 128 }, 'renderer'));
  await waitFor(() => progress.some((p) => p.jobId === jobId), 15_000, 'first progress');
  const oldPid = svc.broker.workerPid('engine')!;
  process.kill(oldPid, 'SIGKILL');
  const info = await svc.broker.jobs.wait(jobId);
  assert.equal(info.state, 'failed');
  assert.equal(info.error?.code, 'WorkerCrashed');
  assert.match(info.error!.message, /engine process stopped unexpectedly/);
  // The library never noticed.
  const photos = await svc.broker.invoke('library.listPhotos', { offset: 0, limit: 10, query: '' });
  assert.equal(typeof photos.total, 'number');
  // The engine is back, in a new process, and runs jobs again.
  const engine = await svc.broker.invoke('engine.info', {});
  assert.notEqual(engine.pid, oldPid);
  const again = await svc.broker.runJob('engine.calibrate', { seconds: 0.2, size: 64 });
  assert.ok(again.gflops > 0);
  const status = (await svc.broker.invoke('app.info', {})).workers.find((w) => w.service === 'engine')!;
  assert.equal(status.state, 'ready');
  assert.ok(status.restarts >= 1);
});

test('the renderer cannot call internal methods, unknown methods or pass bad parameters', async () => {
  await assert.rejects(svc.broker.call('engine.restoreFile', { input: '/etc/passwd', output: '/tmp/x.png', settings: {} }, 'renderer'), (e: RestoraError) => e.code === 'UnknownMethod');
  await assert.rejects(svc.broker.call('library.resolveMedia', { kind: 'photo', id: 1, size: 'thumb' }, 'renderer'), (e: RestoraError) => e.code === 'UnknownMethod');
  await assert.rejects(svc.broker.call('nope.nothing', {}, 'renderer'), (e: RestoraError) => e.code === 'UnknownMethod');
  await assert.rejects(svc.broker.call('engine.calibrate', { seconds: 'long' }, 'renderer'), (e: RestoraError) => e.code === 'BadRequest' && /seconds/.test(e.message));
  await assert.rejects(svc.broker.call('jobs.get', { jobId: 'job-zzz' }, 'renderer'), (e: RestoraError) => e.code === 'NotFound');
});

test('engine.restoreFile restores a real image, writes atomically and never touches the original', async () => {
  const dir = fs.mkdtempSync(path.join(svc.dataDir, 'in-'));
  const input = path.join(dir, 'Grand-mère 1923.png');
  await writeTestPhoto(input, 300, 200);
  const before = sha256File(input);
  const output = path.join(dir, 'out', 'restored.png');
  const r = await svc.broker.runJob('engine.restoreFile', { input, output, settings: { instruction: 'remove the dust' } });
  assert.equal(r.width, 300);
  assert.equal(r.height, 200);
  assert.ok(fs.existsSync(output));
  assert.equal(sha256File(input), before);
  assert.equal(r.recipe.instruction, 'remove the dust');
  assert.ok(r.recipe.models.length > 0);
  assert.ok(r.recipe.totalSeconds > 0);
  assert.deepEqual(fs.readdirSync(path.dirname(output)), ['restored.png'], 'no partial files left behind');
});

test('engine.restoreFile refuses corrupt and missing input with a clear error', async () => {
  const dir = fs.mkdtempSync(path.join(svc.dataDir, 'bad-'));
  const corrupt = path.join(dir, 'broken.jpg');
  fs.writeFileSync(corrupt, Buffer.from('this is not a jpeg at all'));
  await assert.rejects(svc.broker.runJob('engine.restoreFile', { input: corrupt, output: path.join(dir, 'o.png'), settings: {} }), (e: RestoraError) => ['CorruptInput', 'Unsupported'].includes(e.code));
  await assert.rejects(svc.broker.runJob('engine.restoreFile', { input: path.join(dir, 'nope.png'), output: path.join(dir, 'o.png'), settings: {} }), (e: RestoraError) => e.code === 'NotFound');
  assert.equal(fs.existsSync(path.join(dir, 'o.png')), false);
});

test('engine.analyze estimates damage and suggests instructions', async () => {
  const dir = fs.mkdtempSync(path.join(svc.dataDir, 'an-'));
  const input = path.join(dir, 'noisy.png');
  await writeTestPhoto(input, 300, 200, 9);
  const a = await svc.broker.invoke('engine.analyze', { input });
  assert.equal(a.width, 300);
  assert.equal(a.height, 200);
  assert.ok(a.suggestions.length > 0);
  for (const v of Object.values(a.severity)) assert.ok(v >= 0 && v <= 1);
  assert.ok(a.severity.noise! > 0.1, `the test photo carries noise: ${JSON.stringify(a.severity)}`);
});
