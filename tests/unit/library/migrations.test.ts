/** Each migration is tested by migrating a populated database written at the previous version. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openCatalog, schemaVersion, type Catalog } from '../../../electron/library/catalog.js';
import { LATEST_VERSION, migrations } from '../../../electron/library/migrations/index.js';
import { spawn } from 'node:child_process';
import { tempDir } from './helpers.js';
import { createLibrary } from '../../../electron/library/library.js';
import { listImportRuns } from '../../../electron/library/import-service.js';

function catalogFile(t: { after(fn: () => void): void }): string {
  const dir = tempDir('restora-mig-');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'catalog.sqlite');
}

function insertPhoto(db: Catalog, id: number, fileName: string, folder: string, phash: string | null): void {
  db.prepare(
    `INSERT INTO photos(id, path, folder, file_name, size_bytes, mtime_ms, sha256, phash, format, width, height, color_space, bit_depth, imported_at)
     VALUES (?, ?, ?, ?, 100, 0, ?, ?, 'jpeg', 10, 10, 'srgb', 8, '2024-01-01T00:00:00.000Z')`,
  ).run(id, path.join(folder, fileName), folder, fileName, `sha-${id}`, phash);
}

test('migrations are numbered 1..N without gaps', () => {
  assert.deepEqual(migrations.map((m) => m.version), Array.from({ length: migrations.length }, (_, i) => i + 1));
  assert.equal(LATEST_VERSION, migrations.length);
});

test('a new catalog is at the latest version, in WAL mode, with foreign keys on', (t) => {
  const db = openCatalog(catalogFile(t));
  t.after(() => db.close());
  assert.equal(schemaVersion(db), LATEST_VERSION);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  assert.throws(() => db.prepare(`INSERT INTO versions(photo_id, file, label, created_at, width, height, recipe) VALUES (999, 'x', 'l', 'now', 1, 1, '{}')`).run(), /FOREIGN KEY/);
});

test('001 → 002: existing photos, tags, albums and version instructions become searchable', (t) => {
  const file = catalogFile(t);
  const v1 = openCatalog(file, { targetVersion: 1 });
  assert.equal(schemaVersion(v1), 1);
  insertPhoto(v1, 1, 'grandma_1952.jpg', '/photos/family', null);
  insertPhoto(v1, 2, 'beach.jpg', '/photos/holiday', null);
  v1.prepare(`INSERT INTO tags(id, name) VALUES (1, 'wedding')`).run();
  v1.prepare('INSERT INTO photo_tags(photo_id, tag_id) VALUES (2, 1)').run();
  v1.prepare(`INSERT INTO albums(id, name, created_at) VALUES (1, 'Summer Trip', 'now')`).run();
  v1.prepare(`INSERT INTO album_photos(album_id, photo_id, added_at) VALUES (1, 1, 'now')`).run();
  v1.prepare(`INSERT INTO versions(photo_id, file, label, created_at, width, height, recipe, instruction) VALUES (1, '/v/1.png', 'r', 'now', 10, 10, '{}', 'remove scratches and colourise')`).run();
  assert.equal((v1.prepare('SELECT version_count FROM photos WHERE id = 1').get() as { version_count: number }).version_count, 1);
  v1.close();

  const v2 = openCatalog(file, { targetVersion: 2 });
  t.after(() => v2.close());
  assert.equal(schemaVersion(v2), 2);
  const find = (q: string) => (v2.prepare('SELECT rowid FROM photos_fts WHERE photos_fts MATCH ? ORDER BY rowid').all(q) as Array<{ rowid: number }>).map((r) => r.rowid);
  assert.deepEqual(find('grandma*'), [1]);
  assert.deepEqual(find('family'), [1]);
  assert.deepEqual(find('wedding'), [2]);
  assert.deepEqual(find('summer'), [1]);
  assert.deepEqual(find('scratches'), [1]);
  // And the triggers keep it current afterwards.
  v2.prepare(`UPDATE albums SET name = 'Winter' WHERE id = 1`).run();
  assert.deepEqual(find('summer'), []);
  assert.deepEqual(find('winter'), [1]);
  v2.prepare('DELETE FROM albums WHERE id = 1').run();
  assert.deepEqual(find('winter'), []);
});

test('002 → 003: look-alike groups are computed for photos already in the catalog', (t) => {
  const file = catalogFile(t);
  const v2 = openCatalog(file, { targetVersion: 2 });
  insertPhoto(v2, 1, 'a.jpg', '/p', 'ffff0000ffff0000');
  insertPhoto(v2, 2, 'a-copy.jpg', '/p', 'ffff0000ffff0007'); // 3 bits away from 1
  insertPhoto(v2, 3, 'b.jpg', '/p', '0123456789abcdef');
  insertPhoto(v2, 4, 'a-far.jpg', '/p', 'ffff0000ffff00ff'); // 8 from 1, 5 from 2: joins through 2
  insertPhoto(v2, 5, 'nohash.jpg', '/p', null);
  v2.close();

  const v3 = openCatalog(file, { targetVersion: 3 });
  t.after(() => v3.close());
  assert.equal(schemaVersion(v3), 3);
  const groups = Object.fromEntries((v3.prepare('SELECT id, duplicate_group FROM photos').all() as Array<{ id: number; duplicate_group: number | null }>).map((r) => [r.id, r.duplicate_group]));
  assert.deepEqual(groups, { 1: 1, 2: 1, 3: null, 4: 1, 5: null });
});

test('003 → 004: search keeps every row and stays live after the FTS rebuild; new partial indexes are used', (t) => {
  const file = catalogFile(t);
  const v3 = openCatalog(file, { targetVersion: 3 });
  insertPhoto(v3, 1, 'grandma_1952.jpg', '/photos/family', null);
  insertPhoto(v3, 2, 'beach.jpg', '/photos/holiday', null);
  v3.prepare(`INSERT INTO versions(photo_id, file, label, created_at, width, height, recipe, instruction) VALUES (2, '/v/2.png', 'r', 'now', 10, 10, '{}', 'sharpen faces')`).run();
  v3.close();

  const v4 = openCatalog(file, { targetVersion: 4 });
  t.after(() => v4.close());
  assert.equal(schemaVersion(v4), 4);
  const find = (q: string) => (v4.prepare('SELECT rowid FROM photos_fts WHERE photos_fts MATCH ? ORDER BY rowid').all(q) as Array<{ rowid: number }>).map((r) => r.rowid);
  assert.deepEqual(find('gr*'), [1]);
  assert.deepEqual(find('sharpen'), [2]);
  // Triggers still feed the rebuilt table.
  insertPhoto(v4, 3, 'grandpa.jpg', '/photos/family', null);
  v4.prepare(`UPDATE photos SET file_name = 'harbour.jpg' WHERE id = 2`).run();
  assert.deepEqual(find('gra*'), [1, 3]);
  assert.deepEqual(find('harb*'), [2]);
  assert.deepEqual(find('beach'), []);
  const plan = (v4.prepare('EXPLAIN QUERY PLAN SELECT count(*) FROM photos WHERE version_count > 0').all() as Array<{ detail: string }>).map((r) => r.detail).join();
  assert.match(plan, /photos_restored/);
});

test('004 → 005: import runs gain an owner pid; old running runs count as interrupted, live owners are left alone', async (t) => {
  const home = tempDir('restora-mig-home-');
  t.after(() => fs.rmSync(home, { recursive: true, force: true }));
  const file = path.join(home, 'catalog.sqlite');
  const v4 = openCatalog(file, { targetVersion: 4 });
  v4.prepare(`INSERT INTO import_runs(id, state, roots, started_at) VALUES (1, 'running', '["/a"]', 'now')`).run();
  v4.prepare(`INSERT INTO import_pending(run_id, path) VALUES (1, '/a/x.jpg')`).run();
  v4.close();

  const lib = createLibrary(home);
  assert.equal(schemaVersion(lib.db), LATEST_VERSION);
  assert.deepEqual(listImportRuns(lib).map((r) => [r.id, r.state, r.pending]), [[1, 'interrupted', 1]]);
  // A run owned by another live process (e.g. a CLI import beside the app) is not interrupted by opening the catalog.
  const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
  t.after(() => other.kill('SIGKILL'));
  lib.db.prepare(`INSERT INTO import_runs(id, state, roots, started_at, pid) VALUES (2, 'running', '["/b"]', 'now', ?)`).run(other.pid);
  lib.close();
  const again = createLibrary(home);
  assert.equal(listImportRuns(again).find((r) => r.id === 2)!.state, 'running');
  again.close();
  other.kill('SIGKILL');
  await new Promise((r) => other.once('exit', r));
  const third = createLibrary(home);
  t.after(() => third.close());
  assert.equal(listImportRuns(third).find((r) => r.id === 2)!.state, 'interrupted');
});

test('005 → 006: photos gain a damaged reason, NULL (whole) for every photo already there', (t) => {
  const file = catalogFile(t);
  const v5 = openCatalog(file, { targetVersion: 5 });
  insertPhoto(v5, 1, 'whole.jpg', '/photos', null);
  v5.close();
  const v6 = openCatalog(file, { targetVersion: 6 });
  t.after(() => v6.close());
  assert.equal(schemaVersion(v6), 6);
  assert.deepEqual(v6.prepare('SELECT id, damaged FROM photos').all(), [{ id: 1, damaged: null }]);
  v6.prepare(`UPDATE photos SET damaged = 'its image data ends early' WHERE id = 1`).run();
  const plan = (v6.prepare('EXPLAIN QUERY PLAN SELECT count(*) FROM photos WHERE damaged IS NOT NULL').all() as Array<{ detail: string }>).map((r) => r.detail).join();
  assert.match(plan, /photos_damaged/);
});

test('006 → 007: names, folders, tags, albums and instructions are searchable inside words; metadata columns start unread', (t) => {
  const file = catalogFile(t);
  const v5 = openCatalog(file, { targetVersion: 6 });
  insertPhoto(v5, 1, '1908FamilyPhoto.jpg', '/scans/Box 3', null);
  insertPhoto(v5, 2, '1925Girl.jpg', '/scans/Grandparents', null);
  v5.prepare(`UPDATE photos SET camera = 'Epson Perfection V600' WHERE id = 2`).run();
  v5.prepare(`INSERT INTO tags(id, name) VALUES (1, 'Sommerfest')`).run();
  v5.prepare('INSERT INTO photo_tags(photo_id, tag_id) VALUES (1, 1)').run();
  v5.prepare(`INSERT INTO albums(id, name, created_at) VALUES (1, 'Ancestors', 'now')`).run();
  v5.prepare(`INSERT INTO album_photos(album_id, photo_id, added_at) VALUES (1, 2, 'now')`).run();
  v5.prepare(`INSERT INTO versions(photo_id, file, label, created_at, width, height, recipe, instruction) VALUES (2, '/v/2.png', 'r', 'now', 10, 10, '{}', 'remove the scratches')`).run();
  v5.close();

  const v6 = openCatalog(file, { targetVersion: 7 });
  t.after(() => v6.close());
  assert.equal(schemaVersion(v6), 7);
  const find = (q: string) => (v6.prepare('SELECT rowid FROM photos_search WHERE photos_search MATCH ? ORDER BY rowid').all(`"${q}"`) as Array<{ rowid: number }>).map((r) => r.rowid);
  assert.deepEqual(find('family'), [1]);
  assert.deepEqual(find('girl'), [2]);
  assert.deepEqual(find('parents'), [2]);
  assert.deepEqual(find('merfe'), [1]);
  assert.deepEqual(find('cestor'), [2]);
  assert.deepEqual(find('cratch'), [2]);
  assert.deepEqual(find('perfection'), [2]);
  assert.deepEqual((v6.prepare('SELECT id, text_read, caption FROM photos ORDER BY id').all() as Array<{ id: number; text_read: number; caption: string | null }>).map((r) => [r.id, r.text_read, r.caption]), [[1, 0, null], [2, 0, null]]);
  // Metadata read later (the worker's background pass) reaches the index through the triggers, as renames do.
  v6.prepare(`UPDATE photos SET caption = 'Grandma Ottilie at the lake', artist = 'H. Brandt', text_read = 1 WHERE id = 1`).run();
  assert.deepEqual(find('ottilie'), [1]);
  assert.deepEqual(find('brandt'), [1]);
  v6.prepare(`UPDATE tags SET name = 'Harvest' WHERE id = 1`).run();
  assert.deepEqual(find('merfe'), []);
  assert.deepEqual(find('arves'), [1]);
  v6.prepare('DELETE FROM photos WHERE id = 2').run();
  assert.deepEqual(find('girl'), []);
  const plan = (v6.prepare(`EXPLAIN QUERY PLAN SELECT id FROM photos WHERE camera = 'x' COLLATE NOCASE`).all() as Array<{ detail: string }>).map((r) => r.detail).join();
  assert.match(plan, /photos_camera/);
});

test('007 → 008: photos 7-8 bits apart become look-alikes; farther ones stay apart', (t) => {
  const file = catalogFile(t);
  const v6 = openCatalog(file, { targetVersion: 7 });
  insertPhoto(v6, 1, 'print.jpg', '/p', 'ffff0000ffff0000');
  insertPhoto(v6, 2, 'faded print.jpg', '/p', 'ffff0000ffff007f'); // 7 bits from 1
  insertPhoto(v6, 3, 'other.jpg', '/p', 'ffff0000ffff0fff'); // 12 from 1, 5 from 2: joins through 2
  insertPhoto(v6, 4, 'far.jpg', '/p', '0123456789abcdef');
  insertPhoto(v6, 5, 'copy.jpg', '/p', '0123456789abcdee'); // 1 from 4: already a group at 6 bits
  v6.prepare('UPDATE photos SET duplicate_group = 4 WHERE id IN (4, 5)').run();
  v6.close();

  const v7 = openCatalog(file, { targetVersion: 8 });
  t.after(() => v7.close());
  assert.equal(schemaVersion(v7), 8);
  const groups = Object.fromEntries((v7.prepare('SELECT id, duplicate_group FROM photos').all() as Array<{ id: number; duplicate_group: number | null }>).map((r) => [r.id, r.duplicate_group]));
  assert.deepEqual(groups, { 1: 1, 2: 1, 3: 1, 4: 4, 5: 4 });
});

test('008 → 009: photos keep their face counts; faces get a table that cascades with its photo', (t) => {
  const file = catalogFile(t);
  const v8 = openCatalog(file, { targetVersion: 8 });
  insertPhoto(v8, 1, 'family.jpg', '/photos', null);
  insertPhoto(v8, 2, 'beach.jpg', '/photos', null);
  v8.prepare('UPDATE photos SET faces = 3 WHERE id = 1').run();
  v8.close();

  const v9 = openCatalog(file, { targetVersion: 9 });
  t.after(() => v9.close());
  assert.equal(schemaVersion(v9), 9);
  assert.deepEqual(v9.prepare('SELECT id, faces FROM photos ORDER BY id').all(), [{ id: 1, faces: 3 }, { id: 2, faces: null }]);
  v9.prepare(`INSERT INTO faces(photo_id, x, y, w, h, score, landmarks, found_at) VALUES (2, 10, 20, 30, 40, 0.9, '[[1,2]]', 'now')`).run();
  assert.throws(() => v9.prepare(`INSERT INTO faces(photo_id, x, y, w, h, score, found_at) VALUES (99, 1, 1, 1, 1, 1, 'now')`).run(), /FOREIGN KEY/);
  const plan = (v9.prepare('EXPLAIN QUERY PLAN SELECT * FROM faces WHERE photo_id = 2').all() as Array<{ detail: string }>).map((r) => r.detail).join();
  assert.match(plan, /faces_photo/);
  v9.prepare('DELETE FROM photos WHERE id = 2').run();
  assert.equal((v9.prepare('SELECT count(*) AS n FROM faces').get() as { n: number }).n, 0);
});

test('009 → 010: photos, tags and faces stay searchable; people get a table whose names are searched and whose face counts follow the faces', (t) => {
  const file = catalogFile(t);
  const v9 = openCatalog(file, { targetVersion: 9 });
  insertPhoto(v9, 1, 'family.jpg', '/photos', null);
  insertPhoto(v9, 2, 'beach.jpg', '/photos', null);
  v9.prepare(`INSERT INTO tags(id, name) VALUES (1, 'wedding')`).run();
  v9.prepare('INSERT INTO photo_tags(photo_id, tag_id) VALUES (1, 1)').run();
  v9.prepare(`INSERT INTO faces(id, photo_id, x, y, w, h, score, found_at) VALUES (10, 1, 1, 1, 9, 9, 0.9, 'now'), (11, 2, 1, 1, 9, 9, 0.8, 'now')`).run();
  v9.close();

  const v10 = openCatalog(file, { targetVersion: 10 });
  t.after(() => v10.close());
  assert.equal(schemaVersion(v10), 10);
  const search = (text: string) => (v10.prepare('SELECT rowid AS id FROM photos_search WHERE photos_search MATCH ? ORDER BY rowid').all(`"${text}"`) as Array<{ id: number }>).map((r) => r.id);
  assert.deepEqual(search('wedding'), [1], 'the search table was rebuilt with what was there');
  assert.deepEqual(search('beach'), [2]);
  assert.deepEqual(v10.prepare('SELECT id, pinned, person_id FROM faces ORDER BY id').all(), [{ id: 10, pinned: 0, person_id: null }, { id: 11, pinned: 0, person_id: null }]);

  v10.prepare(`INSERT INTO people(id, name, created_at) VALUES (5, NULL, 'now')`).run();
  v10.prepare('UPDATE faces SET person_id = 5').run();
  assert.equal((v10.prepare('SELECT face_count FROM people WHERE id = 5').get() as { face_count: number }).face_count, 2);
  assert.deepEqual(search('Margaret'), []);
  v10.prepare(`UPDATE people SET name = 'Margaret Ellis' WHERE id = 5`).run();
  assert.deepEqual(search('Margaret'), [1, 2], 'naming a person makes her photos findable by name');
  assert.deepEqual(search('wedding'), [1], 'and keeps the rest of the row');
  v10.prepare(`UPDATE people SET name = 'Peggy' WHERE id = 5`).run();
  assert.deepEqual(search('Margaret'), []);
  assert.deepEqual(search('Peggy'), [1, 2]);
  v10.prepare('UPDATE faces SET person_id = NULL WHERE id = 11').run();
  assert.deepEqual(search('Peggy'), [1], 'a face moved away takes the name off its photo');
  v10.prepare('DELETE FROM photos WHERE id = 1').run();
  assert.equal((v10.prepare('SELECT face_count FROM people WHERE id = 5').get() as { face_count: number }).face_count, 0, 'removing a photo removes its faces from the count');
  insertPhoto(v10, 3, 'new.jpg', '/photos', null);
  assert.deepEqual(search('new.jpg'), [3], 'photos imported later are indexed');
});

test('a catalog from a newer Restora is refused, not damaged', (t) => {
  const file = catalogFile(t);
  const db = openCatalog(file);
  db.pragma(`user_version = ${LATEST_VERSION + 1}`);
  db.close();
  assert.throws(() => openCatalog(file), /newer Restora/);
});
