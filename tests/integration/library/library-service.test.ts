/**
 * The library service in its own process behind the real broker, on a real
 * data directory: import as a job with progress, grid queries, media
 * resolution for the image protocol, the renderer's limits, and an import
 * cancelled hard enough that the broker kills the worker, then resumed.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { startServices, tempDir } from '../../../devkit/services.js';
import { makePhotoFolder } from '../../../devkit/make-images.js';
import type { JobProgress } from '../../../electron/shared/jobs.js';
import type { RestoraError } from '../../../electron/shared/errors.js';
import { JobStarted } from '../../../electron/shared/contract/index.js';

let svc: Awaited<ReturnType<typeof startServices>>;
let photos: string;
const events: Array<{ name: string; payload: unknown }> = [];

before(async () => {
  svc = await startServices();
  svc.broker.onEvent((name, payload) => events.push({ name, payload }));
  photos = tempDir('restora-photos-');
  await makePhotoFolder(path.join(photos, 'Album A'), 6, { seed: 3 });
});

after(async () => {
  await svc?.stop();
  fs.rmSync(photos, { recursive: true, force: true });
});

test('import runs as a job with "N of M" progress, then the grid, folders and media work through the broker', async () => {
  const progress: JobProgress[] = [];
  const res = await svc.broker.runJob('library.import', { paths: [photos] }, (p) => progress.push(p));
  assert.equal(res.imported, 6);
  assert.ok(progress.some((p) => /\d+ of 6/.test(p.message ?? '')), 'progress reports N of M');
  assert.ok(events.some((e) => e.name === 'library.changed'), 'the UI is told the catalog changed');

  const page = await svc.broker.invoke('library.listPhotos', { limit: 4, sort: 'name' });
  assert.equal(page.total, 6);
  assert.deepEqual(page.items.map((p) => p.fileName), ['IMG_0001.jpg', 'IMG_0002.jpg', 'IMG_0003.jpg', 'IMG_0004.jpg']);
  const folders = await svc.broker.invoke('library.listFolders', {});
  assert.deepEqual(folders.folders, [{ folder: path.join(photos, 'Album A'), count: 6 }]);

  const media = await svc.broker.invoke('library.resolveMedia', { kind: 'photo', id: page.items[0]!.id, size: 'preview' });
  assert.equal(media.mime, 'image/jpeg');
  const m = await sharp(media.path).metadata();
  assert.ok(media.path.startsWith(svc.dataDir), 'previews live in the data directory');
  assert.ok(Math.max(m.width!, m.height!) <= 1600);
  await assert.rejects(svc.broker.invoke('library.resolveMedia', { kind: 'photo', id: 999_999, size: 'thumb' }), (e: RestoraError) => e.code === 'NotFound');
});

test('the renderer cannot reach internal library methods', async () => {
  await assert.rejects(svc.broker.call('library.photoSource', { photoId: 1 }, 'renderer'), (e: RestoraError) => e.code === 'UnknownMethod');
  await assert.rejects(svc.broker.call('library.addVersion', { photoId: 1, file: '/etc/passwd', recipe: {} }, 'renderer'), (e: RestoraError) => e.code === 'UnknownMethod');
  await assert.rejects(svc.broker.call('library.listPhotos', { limit: 5000 }, 'renderer'), (e: RestoraError) => e.code === 'BadRequest');
});

test('a cancelled import stops (or is killed), leaves a resumable run, and resuming completes it without duplicates', async (t) => {
  const big = tempDir('restora-big-');
  t.after(() => fs.rmSync(big, { recursive: true, force: true }));
  await makePhotoFolder(big, 30, { seed: 77 });
  const { jobId } = JobStarted.parse(await svc.broker.call('library.import', { paths: [big] }, 'renderer'));
  const t0 = Date.now();
  while (!events.some((e) => e.name === 'job.progress' && (e.payload as JobProgress).jobId === jobId && ((e.payload as JobProgress).data?.done as number) >= 3)) {
    if (Date.now() - t0 > 60_000) throw new Error('no progress');
    await new Promise((r) => setTimeout(r, 20));
  }
  svc.broker.jobs.cancel(jobId);
  const info = await svc.broker.jobs.wait(jobId);
  assert.equal(info.state, 'cancelled');
  const runs = await svc.broker.invoke('library.importRuns', {});
  const run = runs.runs.find((r) => r.roots.includes(big))!;
  assert.ok(run.state === 'cancelled' || run.state === 'interrupted');
  assert.ok(run.pending > 0 && run.pending < 30, `pending ${run.pending}`);
  const resumed = await svc.broker.runJob('library.resumeImport', { runId: run.id });
  assert.equal(resumed.imported, run.pending);
  const total = await svc.broker.invoke('library.listPhotos', { filter: { folder: big } });
  assert.equal(total.total, 30);
});
