/**
 * Batches, the Jobs list and Settings through the real broker and worker
 * processes: a batch names its photos, pauses between them and resumes, keeps
 * every result; a folder-to-folder batch writes named files with before/after
 * pictures; the Jobs list shows one row per job and clears finished ones;
 * settings are stored in the data folder and refuse bad values.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { startServices, tempDir, waitFor } from '../../devkit/services.js';
import { writeTestPhoto } from '../../devkit/images.js';
import type { JobInfo, JobProgress } from '../../electron/shared/jobs.js';
import { JobStarted } from '../../electron/shared/contract/index.js';

let svc: Awaited<ReturnType<typeof startServices>>;
const states: JobInfo[] = [];
const progress: JobProgress[] = [];
const work = tempDir('restora-batch-');
let photoIds: number[] = [];

before(async () => {
  svc = await startServices();
  svc.broker.onEvent((name, payload) => {
    if (name === 'job.state') states.push(payload as JobInfo);
    if (name === 'job.progress') progress.push(payload as JobProgress);
  });
  const folder = path.join(work, 'scans');
  fs.mkdirSync(folder, { recursive: true });
  for (const [i, name] of ['1908FamilyPhoto.png', '1925Girl.png', 'harbour.png'].entries()) await writeTestPhoto(path.join(folder, name), 64, 48, i + 1);
  photoIds = (await svc.broker.runJob('library.import', { paths: [folder] })).photoIds;
});
after(() => {
  svc.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

test('a batch lists its photos by name, pauses after the photo it is on, resumes, and keeps every result', async () => {
  const { jobId } = JobStarted.parse(await svc.broker.call('restore.batch', { photoIds, settings: { instruction: 'remove the dust' } }, 'renderer'));
  const early = await svc.broker.invoke('batch.status', { jobId });
  assert.ok(early.items.length === 0 || early.items.length === 3, 'nothing, or every photo');
  let first = early;
  for (const t0 = Date.now(); first.items.length === 0 && Date.now() - t0 < 30_000; ) {
    await new Promise((r) => setTimeout(r, 25));
    first = await svc.broker.invoke('batch.status', { jobId });
  }
  assert.deepEqual(first.items.map((i) => i.name).sort(), ['1908FamilyPhoto.png', '1925Girl.png', 'harbour.png']);
  await waitFor(() => progress.some((p) => p.jobId === jobId), 60_000, 'the batch started');
  const paused = await svc.broker.invoke('jobs.pause', { jobId });
  assert.ok(paused.state === 'paused' || paused.pauseRequested, JSON.stringify(paused));
  await waitFor(() => svc.broker.jobs.get(jobId).state === 'paused', 120_000, 'paused after the photo it was on');
  const mid = await svc.broker.invoke('batch.status', { jobId });
  const doneNow = mid.items.filter((i) => i.state === 'done').length;
  assert.ok(doneNow >= 1 && doneNow < 3, `paused between photos: ${doneNow} done`);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await svc.broker.invoke('batch.status', { jobId })).items.filter((i) => i.state === 'done').length, doneNow, 'nothing runs while paused');
  assert.equal((await svc.broker.invoke('jobs.resume', { jobId })).state, 'running');
  await waitFor(() => ['done', 'failed', 'cancelled'].includes(svc.broker.jobs.get(jobId).state), 180_000, 'the batch finished');
  const end = await svc.broker.invoke('batch.status', { jobId });
  assert.equal(svc.broker.jobs.get(jobId).state, 'done');
  assert.ok(end.items.every((i) => i.state === 'done' && i.versionId! > 0 && i.photoId! > 0), JSON.stringify(end.items));
  assert.equal(end.etaSeconds, 0);
  // Each photo got a version, with what was asked in its recipe, to run again.
  const v = await svc.broker.invoke('library.getVersion', { versionId: end.items[0]!.versionId! });
  assert.equal(v.recipe.instruction, 'remove the dust');
  assert.equal((v.recipe.settings.requested as { instruction?: string }).instruction, 'remove the dust');
});

test('the Jobs list shows one row per job with a human name and clears finished jobs', async () => {
  const jobs = await svc.broker.invoke('jobs.list', {});
  assert.ok(jobs.length > 0);
  assert.ok(jobs.every((j) => j.parentId === undefined), 'steps are not rows of their own');
  assert.ok(!jobs.some((j) => j.method.startsWith('engine.')), 'no engine steps listed');
  assert.ok(jobs.some((j) => j.label === 'Restore 3 photos'));
  const withSteps = await svc.broker.invoke('jobs.list', { includeSteps: true });
  assert.ok(withSteps.some((j) => j.method === 'engine.restoreFile' && j.parentId !== undefined), 'the engine passes are there as steps');
  const { removed } = await svc.broker.invoke('jobs.clear', {});
  assert.ok(removed.length >= jobs.length);
  assert.deepEqual(await svc.broker.invoke('jobs.list', { includeSteps: true }), []);
});

test('a folder-to-folder batch writes named files in the chosen format, with before/after pictures, and never overwrites', async () => {
  const input = path.join(work, 'box of prints');
  fs.mkdirSync(input, { recursive: true });
  await writeTestPhoto(path.join(input, 'a.png'), 60, 40, 7);
  await writeTestPhoto(path.join(input, 'b.png'), 40, 60, 8);
  const output = path.join(work, 'restored');
  fs.mkdirSync(output, { recursive: true });
  fs.writeFileSync(path.join(output, '1-a.jpg'), 'not mine');
  const r = await svc.broker.runJob('restore.folder', { inputs: [input], output, format: 'jpeg', naming: '{n}-{name}', settings: { instruction: 'remove the dust' } });
  assert.equal(r.items.length, 2);
  assert.ok(r.items.every((i) => i.state === 'done'), JSON.stringify(r.items));
  assert.deepEqual(r.items.map((i) => path.basename(i.output!)), ['1-a (2).jpg', '2-b.jpg']);
  assert.equal(fs.readFileSync(path.join(output, '1-a.jpg'), 'utf8'), 'not mine');
  const meta = await sharp(r.items[1]!.output!).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 40, 60]);
  for (const item of r.items) {
    const before = await svc.broker.resolveMedia({ kind: 'preview', id: item.beforeId!, size: 'preview' });
    const after = await svc.broker.resolveMedia({ kind: 'preview', id: item.afterId!, size: 'preview' });
    assert.equal(before.mime, 'image/jpeg');
    assert.ok(fs.existsSync(before.path) && fs.existsSync(after.path));
  }
  fs.mkdirSync(path.join(work, 'empty'));
  await assert.rejects(async () => svc.broker.runJob('restore.folder', { inputs: [path.join(work, 'empty')], output, settings: {} }), /No images found/);
  await assert.rejects(async () => svc.broker.runJob('restore.folder', { inputs: [path.join(work, 'nothing here')], output, settings: {} }), /nothing here does not exist/);
});

test('settings are stored in the data folder; threads restart the idle engine; bad values and a damaged file are handled', async () => {
  const start = await svc.broker.invoke('settings.get', {});
  assert.equal(start.file, path.join(svc.dataDir, 'settings.json'));
  assert.deepEqual(start.settings, { defaultMode: 'fast', device: 'cpu', threads: 0, tileSize: 0, cacheLimitMB: 2048, findPeopleAfterImport: false });
  const enginePid = svc.broker.workerPid('engine');
  const set = await svc.broker.invoke('settings.set', { threads: 1, defaultMode: 'generative' });
  assert.equal(set.engineRestarted, true);
  assert.notEqual(svc.broker.workerPid('engine'), enginePid, 'a fresh engine reads the new thread count');
  assert.equal((await svc.broker.invoke('engine.info', {})).threads, 1);
  assert.deepEqual(JSON.parse(fs.readFileSync(start.file, 'utf8')), { ...start.settings, threads: 1, defaultMode: 'generative' });
  // A change names only what it changes: the others stay.
  const one = await svc.broker.invoke('settings.set', { cacheLimitMB: 500 });
  assert.deepEqual(one.settings, { ...start.settings, threads: 1, defaultMode: 'generative', cacheLimitMB: 500 });
  assert.equal(one.engineRestarted, false, 'the engine restarts only for its own settings');
  await assert.rejects(async () => svc.broker.call('settings.set', { tileSize: 100 }, 'renderer'), /tile size must be 0 \(the model’s own\) or from 128 to 2048/);
  await assert.rejects(async () => svc.broker.call('settings.set', { colour: 'red' }, 'renderer'), /colour/);
  fs.writeFileSync(start.file, '{"threads": "many", "defaultMode": "generative"');
  const damaged = await svc.broker.invoke('settings.get', {});
  assert.equal(damaged.settings.threads, 0);
  assert.match(damaged.problem ?? '', /could not be read.*defaults are used/);
  fs.writeFileSync(start.file, '{"threads": "many", "defaultMode": "generative"}');
  const partly = await svc.broker.invoke('settings.get', {});
  assert.equal(partly.settings.defaultMode, 'generative', 'valid fields are kept');
  assert.equal(partly.settings.threads, 0);
  assert.match(partly.problem ?? '', /not valid/);
  const cache = await svc.broker.invoke('cache.info', {});
  assert.equal(cache.limitBytes, 2048 * 2 ** 20, "the damaged file left the default");
  const cleared = await svc.broker.invoke('cache.clear', {});
  assert.equal(cleared.freedBytes, cache.cacheBytes, 'the batches\' previews are freed');
  assert.equal((await svc.broker.invoke('cache.info', {})).cacheBytes, 0);
});

test("Settings' tile size is the tile the engine restores with (its recipe says so); 0 goes back to the model's own", async () => {
  const own = await svc.broker.runJob('restore.photo', { photoId: photoIds[0]!, settings: {} });
  const ownTile = (await svc.broker.invoke('library.getVersion', { versionId: own.versionId })).recipe.settings.tileSize;
  const set = await svc.broker.invoke('settings.set', { tileSize: 256 });
  assert.equal(set.engineRestarted, true);
  const small = await svc.broker.runJob('restore.photo', { photoId: photoIds[0]!, settings: {} });
  const recipe = (await svc.broker.invoke('library.getVersion', { versionId: small.versionId })).recipe;
  assert.equal(recipe.settings.tileSize, 256, `the engine used the tile Settings chose (the model's own is ${String(ownTile)})`);
  await svc.broker.invoke('settings.set', { tileSize: 0 });
  const back = await svc.broker.runJob('restore.photo', { photoId: photoIds[0]!, settings: {} });
  assert.equal((await svc.broker.invoke('library.getVersion', { versionId: back.versionId })).recipe.settings.tileSize, ownTile);
});
