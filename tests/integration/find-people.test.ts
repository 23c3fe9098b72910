/**
 * The find-people job through the real broker, library and engine processes
 * on real photos (held-out faces-flr portraits and a photo with no face):
 * progress with an ETA, a cancel that keeps what was done, a second run that
 * goes on with the rest (skipping what was done) and groups the faces into
 * people, and a third that has nothing left to do.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { startServices, tempDir, waitFor } from '../../devkit/services.js';
import { writeTestPhoto } from '../../devkit/images.js';
import { sharedDataDir } from '../../devkit/shared-data.js';
import { JobStarted } from '../../electron/shared/contract/index.js';
import type { JobProgress } from '../../electron/shared/jobs.js';

let svc: Awaited<ReturnType<typeof startServices>>;
const work = tempDir('restora-people-');
const progress: JobProgress[] = [];
const FLR = path.join(sharedDataDir(), 'faces-flr');

/** A held-out portrait at 640 px (the search is faster on it; faces stay large). */
async function portrait(set: string, person: string, out: string): Promise<void> {
  const file = fs.readdirSync(path.join(FLR, set)).find((f) => f.startsWith(`${person}_`) && f.endsWith('.jpg'))!;
  await sharp(path.join(FLR, set, file)).resize(640, 640, { fit: 'inside' }).jpeg({ quality: 92 }).toFile(out);
}

before(async () => {
  svc = await startServices();
  svc.broker.onEvent((name, payload) => {
    if (name === 'job.progress') progress.push(payload as JobProgress);
  });
  const folder = path.join(work, 'family');
  fs.mkdirSync(folder, { recursive: true });
  for (const person of ['004', '009']) {
    await portrait('neutral_front', person, path.join(folder, `${person}-neutral.jpg`));
    await portrait('smiling_front', person, path.join(folder, `${person}-smiling.jpg`));
  }
  await writeTestPhoto(path.join(folder, 'no-face.png'), 96, 64, 3);
  await svc.broker.runJob('library.import', { paths: [folder] });
});
after(async () => {
  await svc.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

test('find people: progress with ETA, cancel keeps what was done, the next run does the rest and groups the faces', async () => {
  const { jobId } = JobStarted.parse(await svc.broker.call('people.find', {}, 'renderer'));
  await waitFor(() => progress.some((p) => p.jobId === jobId && Number(p.data?.done) >= 1), 180_000, 'a first photo looked at');
  await svc.broker.invoke('jobs.cancel', { jobId });
  await waitFor(() => ['done', 'failed', 'cancelled'].includes(svc.broker.jobs.get(jobId).state), 30_000, 'the job stopped');
  assert.equal(svc.broker.jobs.get(jobId).state, 'cancelled');
  const mine = progress.filter((p) => p.jobId === jobId);
  assert.equal(mine[0]!.data?.total, 5, 'every photo is to be looked at');
  assert.ok(mine.some((p) => p.etaSeconds !== null && p.etaSeconds > 0), 'an ETA once a photo was done');
  const left = await svc.broker.invoke('people.pending', {});
  assert.ok(left.remaining >= 1 && left.remaining <= 4, `some photos done, some left: ${left.remaining} left`);

  const before = progress.length;
  const second = await svc.broker.runJob('people.find', {});
  assert.equal(second.photos, left.remaining, 'the second run skipped the photos already done');
  assert.equal(second.failed, 0, JSON.stringify(second.errors));
  assert.equal(progress.slice(before).at(-1)?.fraction, 1);

  const people = await svc.broker.invoke('people.list', {});
  assert.equal(people.total, 2, JSON.stringify(people));
  assert.deepEqual(people.people.map((p) => p.faceCount), [2, 2]);
  const photos = await svc.broker.invoke('library.listPhotos', { filter: { hasFaces: true } });
  assert.equal(photos.total, 4, 'the Faces filter finds the four portraits');
  const none = await svc.broker.invoke('library.listPhotos', { filter: { hasFaces: false } });
  assert.deepEqual(none.items.map((p) => p.fileName), ['no-face.png']);
  for (const person of people.people) {
    const names = (await svc.broker.invoke('library.listPhotos', { filter: { personId: person.personId } })).items.map((p) => p.fileName.slice(0, 3));
    assert.equal(new Set(names).size, 1, `one person's photos: ${names.join(', ')}`);
  }
  const named = await svc.broker.invoke('people.rename', { personId: people.people[0]!.personId, name: 'Grandma Ottilie' });
  assert.equal(named.name, 'Grandma Ottilie');
  assert.equal((await svc.broker.invoke('library.listPhotos', { query: 'ottilie' })).total, 2, 'searching her name finds her photos');

  const third = await svc.broker.runJob('people.find', {});
  assert.deepEqual([third.photos, third.faces], [0, 0], 'nothing left to do');
  assert.equal((await svc.broker.invoke('people.list', {})).people.find((p) => p.personId === named.personId)?.name, 'Grandma Ottilie');
});

test('with “find people after import” on, an import in the app is followed by the job on its new photos', async (t) => {
  const { Broker } = await import('../../electron/broker/broker.js');
  const { nodeSpawner } = await import('../../electron/host/node-worker.js');
  const dataDir = tempDir('restora-people-app-');
  const broker = new Broker({ spawn: nodeSpawner(), dataDir, mode: 'browser', version: 'test' });
  t.after(async () => {
    await broker.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  await broker.start();
  const folder = path.join(work, 'later');
  fs.mkdirSync(folder, { recursive: true });
  await portrait('neutral_front', '007', path.join(folder, '007.jpg'));
  await broker.runJob('library.import', { paths: [folder] });
  assert.equal(broker.jobs.list().filter((j) => j.method === 'people.find').length, 0, 'off by default');

  await broker.invoke('settings.set', { findPeopleAfterImport: true });
  await portrait('smiling_front', '007', path.join(folder, '007-smiling.jpg'));
  const imported = await broker.runJob('library.import', { paths: [folder] });
  assert.equal(imported.imported, 1);
  const job = await waitFor(() => broker.jobs.list().find((j) => j.method === 'people.find'), 5_000, 'the job started');
  assert.match(job.label, /Find people in 1 photo/);
  const done = await broker.jobs.wait(job.jobId);
  assert.equal(done.state, 'done', JSON.stringify(done.error));
  assert.deepEqual((await broker.invoke('people.list', {})).people.map((p) => p.faceCount), [1], 'only the new photo was looked at');
});
