/**
 * Fault injection, restore, export and backup: the engine or the library
 * worker killed with SIGKILL at seeded moments of a library restore, an
 * export and a backup. After each: a sound catalog (no version without its
 * file, counts right), untouched originals, only whole images in the export
 * folder, no damaged backup listed, and no temporary file left once the
 * library has started again; then the same work succeeds.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import Database from 'better-sqlite3';
import { startServices, tempDir } from '../../../devkit/services.js';
import { makePhotoFolder } from '../../../devkit/make-images.js';
import { assertCatalogSound, assertOriginalsUntouched, fingerprints, killWhen, moments, restarted, temporaryFiles } from './checks.js';

let svc: Awaited<ReturnType<typeof startServices>>;
let photos: string;
let originals: Map<string, string>;
let ids: number[];
before(async () => {
  svc = await startServices();
  photos = tempDir('restora-fault-photos-');
  const files = await makePhotoFolder(photos, 4, { seed: 91 });
  originals = fingerprints(files);
  await svc.broker.runJob('library.import', { paths: [photos] });
  ids = (await svc.broker.invoke('library.listPhotos', { limit: 10 })).items.map((p) => p.id);
});
after(async () => {
  await svc.stop();
  fs.rmSync(photos, { recursive: true, force: true });
});

/** Restarts the library worker (a kill is a restart too), so its start-up sweep runs, and waits for it. */
async function restartLibrary(): Promise<void> {
  const pid = svc.broker.workerPid('library');
  process.kill(pid!, 'SIGKILL');
  await restarted(svc.broker, 'library', pid);
  await new Promise((r) => setTimeout(r, 300));
}

test('restores of library photos killed at random moments (engine or library) leave no half version; the next one succeeds', async () => {
  const m = moments(3);
  const stages = ['decode', 'understand', 'restore', 'encode', 'save'];
  for (let round = 0; round < 4; round++) {
    const photoId = ids[round % ids.length]!;
    const jobId = svc.broker.startJob('restore.photo', { photoId, settings: { faces: [] } });
    const stage = stages[m.int(0, stages.length - 1)]!;
    // The last step records the version in the library; the ones before run in the engine.
    const service = stage === 'save' ? 'library' : m.next() < 0.8 ? 'engine' : 'library';
    const extra = m.int(0, 60);
    const pid = await killWhen(svc.broker, service, jobId, (p) => p.stage === stage, extra);
    const info = await svc.broker.jobs.wait(jobId);
    await restarted(svc.broker, service, pid);
    const what = `restore ${round + 1}: ${service} killed at ${stage} + ${extra} ms (job ${info.state})`;
    assertCatalogSound(svc.dataDir, what);
    assertOriginalsUntouched(originals);
  }
  await restartLibrary();
  assert.deepEqual(temporaryFiles(path.join(svc.dataDir, 'versions')), [], 'no temporary version files left');
  const before = assertCatalogSound(svc.dataDir, 'before the last restore').versions;
  const ok = await svc.broker.runJob('restore.photo', { photoId: ids[0]!, settings: { faces: [] } });
  assert.ok(ok.versionId > 0);
  assert.equal(assertCatalogSound(svc.dataDir, 'after the last restore').versions, before + 1);
});

test('an export killed at random moments leaves only whole images; the next export sweeps what was half written', async () => {
  const m = moments(4);
  const out = tempDir('restora-fault-export-');
  try {
    for (let round = 0; round < 3; round++) {
      const jobId = svc.broker.startJob('library.export', { photoIds: ids, folder: out, format: 'png', quality: 90, originals: true });
      const target = m.next();
      const extra = m.int(0, 80);
      const pid = await killWhen(svc.broker, 'library', jobId, (p) => p.stage === 'export' && p.fraction >= target, extra);
      await svc.broker.jobs.wait(jobId);
      await restarted(svc.broker, 'library', pid);
      for (const name of fs.readdirSync(out).filter((n) => !n.startsWith('.'))) {
        const file = path.join(out, name);
        const meta = await sharp(file, { failOn: 'warning' }).stats().then(() => sharp(file).metadata());
        assert.ok(meta.width && meta.height, `${name} is a whole image (round ${round + 1})`);
      }
      assertCatalogSound(svc.dataDir, `export ${round + 1}`);
      assertOriginalsUntouched(originals);
    }
    const r = await svc.broker.runJob('library.export', { photoIds: ids, folder: out, format: 'png', quality: 90, originals: true });
    assert.equal(r.written.length, ids.length);
    assert.deepEqual(r.skipped, []);
    assert.deepEqual(fs.readdirSync(out).filter((n) => n.startsWith('.')), [], 'temporary files of the killed exports were swept');
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('a backup killed at random moments never leaves a damaged backup listed, and the catalog is untouched', async () => {
  const m = moments(5);
  for (let round = 0; round < 3; round++) {
    const pid = svc.broker.workerPid('library');
    const call = svc.broker.invoke('library.backup', {}).catch(() => null);
    await new Promise((r) => setTimeout(r, m.int(0, 40)));
    process.kill(pid!, 'SIGKILL');
    await call;
    await restarted(svc.broker, 'library', pid);
    assertCatalogSound(svc.dataDir, `backup ${round + 1}`);
  }
  await new Promise((r) => setTimeout(r, 300));
  const { backups } = await svc.broker.invoke('library.listBackups', {});
  for (const b of backups) {
    const db = new Database(path.join(svc.dataDir, 'backups', b.name), { readonly: true });
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok', b.name);
    db.close();
  }
  assert.deepEqual(temporaryFiles(path.join(svc.dataDir, 'backups')), []);
  const made = await svc.broker.invoke('library.backup', {});
  assert.ok(made.bytes > 0);
});
