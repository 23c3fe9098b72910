/**
 * The catalog after a copy, a backup and a restore: closing checkpoints the
 * write-ahead log so catalog.sqlite alone is complete; backups are checked,
 * named, rotated, and restoring one brings the library back (keeping the
 * catalog as it was); killed writes' leftovers are swept at start.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { makePhotoFolder } from '../../../devkit/make-images.js';
import { contractHandlers, freshLibrary, rmAfter, tempDir, testContext } from './helpers.js';
import { createLibrary } from '../../../electron/library/library.js';
import { autoBackup, createBackup, listBackups } from '../../../electron/library/backup.js';
import { tidyDataFolder } from '../../../electron/library/housekeeping.js';
import { isLeftover } from '../../../electron/node/leftovers.js';

const count = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM photos').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

test('after a clean close, catalog.sqlite alone holds the whole library (a copy of it loses nothing)', async (t) => {
  const home = rmAfter(t, tempDir('restora-home-'));
  const photos = rmAfter(t, tempDir());
  await makePhotoFolder(photos, 3);
  const lib = createLibrary(home);
  await contractHandlers(lib)['library.import']({ paths: [photos] }, testContext());
  lib.close();
  const wal = path.join(home, 'catalog.sqlite-wal');
  assert.ok(!fs.existsSync(wal) || fs.statSync(wal).size === 0, 'the write-ahead log was folded in');
  const copy = path.join(home, 'copy.sqlite');
  fs.copyFileSync(path.join(home, 'catalog.sqlite'), copy);
  assert.equal(count(copy), 3);
});

test('backups are checked copies made while the library works; restoring one brings the photos back and keeps the catalog as it was', async (t) => {
  const { lib } = freshLibrary(t);
  const photos = rmAfter(t, tempDir());
  await makePhotoFolder(photos, 4);
  const h = contractHandlers(lib);
  await h['library.import']({ paths: [photos] }, testContext());
  const made = await h['library.backup']({}, testContext());
  assert.match(made.name, /^catalog-\d{8}-\d{6}-manual\.sqlite$/);
  assert.equal(made.reason, 'manual');
  const file = path.join(lib.paths.root, 'backups', made.name);
  assert.equal(count(file), 4);
  assert.equal(new Database(file, { readonly: true }).pragma('integrity_check', { simple: true }), 'ok');

  const ids = (await h['library.listPhotos']({ limit: 10 }, testContext())).items.map((p) => p.id);
  await h['library.removePhotos']({ photoIds: ids.slice(0, 3) }, testContext());
  assert.equal((await h['library.listPhotos']({}, testContext())).total, 1);

  const ctx = testContext();
  const r = await h['library.restoreBackup']({ name: made.name }, ctx);
  assert.equal(r.restored.name, made.name);
  assert.equal(r.previous.reason, 'before-restore');
  assert.equal((await h['library.listPhotos']({}, testContext())).total, 4, 'the open catalog sees the restored photos');
  assert.equal(count(path.join(lib.paths.root, 'backups', r.previous.name)), 1, 'the catalog as it was is kept');
  assert.ok(ctx.events.some((e) => e.name === 'library.changed'));
  assert.equal(lib.db.pragma('integrity_check', { simple: true }), 'ok');
  await assert.rejects(h['library.restoreBackup']({ name: '../catalog.sqlite' }, testContext()), /No backup named/);
});

test('a damaged backup is refused by its check, and the catalog is left as it is', async (t) => {
  const { lib } = freshLibrary(t);
  const photos = rmAfter(t, tempDir());
  await makePhotoFolder(photos, 2);
  const h = contractHandlers(lib);
  await h['library.import']({ paths: [photos] }, testContext());
  const made = await h['library.backup']({}, testContext());
  const file = path.join(lib.paths.root, 'backups', made.name);
  // Overwrite the pages after the header: the file still opens as SQLite, its tables do not read.
  const bytes = fs.readFileSync(file);
  const pageSize = bytes.readUInt16BE(16);
  bytes.fill(0x5a, pageSize, bytes.length);
  fs.writeFileSync(file, bytes);
  await h['library.removePhotos']({ photoIds: [(await h['library.listPhotos']({ limit: 1 }, testContext())).items[0]!.id] }, testContext());
  await assert.rejects(h['library.restoreBackup']({ name: made.name }, testContext()), /is damaged/);
  assert.equal((await h['library.listPhotos']({}, testContext())).total, 1, 'the catalog is as it was');
  assert.ok(!listBackups(lib).some((b) => b.reason === 'before-restore'), 'nothing was replaced, so nothing was set aside');
});

test('automatic backups: one a day, only of a catalog with photos, the oldest rotated out', async (t) => {
  const { lib } = freshLibrary(t);
  assert.equal(await autoBackup(lib), null, 'an empty catalog is not backed up');
  const photos = rmAfter(t, tempDir());
  await makePhotoFolder(photos, 1);
  await contractHandlers(lib)['library.import']({ paths: [photos] }, testContext());
  const day = 24 * 3600 * 1000;
  const t0 = Date.parse('2025-01-01T12:00:00Z');
  assert.ok(await autoBackup(lib, new Date(t0)));
  assert.equal(await autoBackup(lib, new Date(t0 + day / 2)), null, 'not twice a day');
  for (let d = 1; d <= 9; d++) assert.ok(await autoBackup(lib, new Date(t0 + d * day)));
  const autos = listBackups(lib).filter((b) => b.reason === 'auto');
  assert.equal(autos.length, 7);
  assert.equal(autos[0]!.createdAt, '2025-01-10T12:00:00Z');
  await createBackup(lib, 'manual', new Date(t0));
  await createBackup(lib, 'manual', new Date(t0));
  const manual = listBackups(lib).filter((b) => b.reason === 'manual');
  assert.equal(new Set(manual.map((b) => b.name)).size, 2, 'two backups in one second get two names');
});

test('leftovers of killed writes are swept at start; live writers and unknown files are left alone', async (t) => {
  const { lib } = freshLibrary(t);
  const dead = 2 ** 22 + 12345; // above any real pid limit: no such process
  const thumbs = path.join(lib.paths.thumbnails, 'ab');
  fs.mkdirSync(thumbs, { recursive: true });
  const versionDir = path.join(lib.paths.versions, '7');
  fs.mkdirSync(versionDir, { recursive: true });
  const files = {
    deadThumb: path.join(thumbs, `abc-thumb.jpg.${dead}-k2j3.tmp`),
    deadVersion: path.join(versionDir, `.x.png.${dead}.partial`),
    deadHelper: path.join(versionDir, `.x.png.${dead}-0a1b2c3d4e5f.tmp`),
    liveVersion: path.join(versionDir, `.y.png.${process.pid}-0a1b2c3d4e5f.tmp`),
    orphanOld: path.join(versionDir, 'never-recorded.png'),
    orphanNew: path.join(versionDir, 'being-recorded.png'),
    userish: path.join(lib.paths.root, 'notes.2019.tmp.txt'),
  };
  for (const f of Object.values(files)) fs.writeFileSync(f, 'x');
  const hourAgo = new Date(Date.now() - 3600 * 1000);
  fs.utimesSync(files.orphanOld, hourAgo, hourAgo);
  const { leftovers, orphanVersions } = tidyDataFolder(lib);
  assert.deepEqual(leftovers.sort(), [files.deadThumb, files.deadVersion, files.deadHelper].sort());
  assert.deepEqual(orphanVersions, [files.orphanOld]);
  for (const f of [files.liveVersion, files.orphanNew, files.userish]) assert.ok(fs.existsSync(f), `${path.basename(f)} kept`);
  // Outside the data folder only hidden names with a pid count.
  assert.equal(isLeftover(`photo.${dead}.partial`, () => 0), false);
  assert.equal(isLeftover(`.photo.png.${dead}.partial`, () => Date.now()), true);
});
