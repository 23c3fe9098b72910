/**
 * People at 100,000 photos (rows inserted directly: 150,000 faces, 20,000
 * people): every query the people view and the find-people job make reads an
 * index (checked with EXPLAIN QUERY PLAN) and answers in milliseconds, not in
 * a scan of the faces.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { prng } from '../../../devkit/make-images.js';
import { createLibrary, type Library } from '../../../electron/library/library.js';
import { clusterFaces, listPeople, pendingPhotos, personWithFaces } from '../../../electron/library/people.js';
import { listPhotos } from '../../../electron/library/search.js';
import { ListPhotosParams } from '../../../electron/shared/contract/library.js';
import { tempDir } from './helpers.js';

const PHOTOS = 100_000, PEOPLE = 20_000, FACES = 150_000;
let lib: Library;
let home: string;

before(() => {
  home = tempDir('restora-people-scale-');
  lib = createLibrary(home);
  const rnd = prng(11);
  const photo = lib.db.prepare(
    `INSERT INTO photos(path, folder, file_name, size_bytes, mtime_ms, sha256, format, width, height, color_space, bit_depth, imported_at, faces)
     VALUES (?, '/photos', ?, 1000, 0, ?, 'jpeg', 800, 600, 'srgb', 8, '2026-01-01T00:00:00.000Z', ?)`,
  );
  const person = lib.db.prepare(`INSERT INTO people(id, name, created_at) VALUES (?, ?, '2026-01-01')`);
  const face = lib.db.prepare(`INSERT INTO faces(photo_id, x, y, w, h, score, descriptor, person_id, found_at) VALUES (?, 1, 1, 40, 40, ?, ?, ?, 'now')`);
  const blob = Buffer.alloc(512);
  lib.db.transaction(() => {
    // The last 1,000 photos are not looked at yet.
    for (let i = 1; i <= PHOTOS; i++) photo.run(`/photos/p${i}.jpg`, `p${i}.jpg`, `sha${i}`, i > PHOTOS - 1000 ? null : 1);
    for (let p = 1; p <= PEOPLE; p++) person.run(p, p % 10 === 0 ? `Person named ${p}` : null);
    // Sizes like a family archive: a few people in thousands of photos, most in a handful.
    for (let f = 0; f < FACES; f++) face.run(1 + Math.floor(rnd() * (PHOTOS - 1000)), rnd(), blob, 1 + Math.floor(PEOPLE * rnd() ** 3));
    lib.db.exec('UPDATE photos SET faces = (SELECT count(*) FROM faces f WHERE f.photo_id = photos.id) WHERE faces IS NOT NULL');
  })();
});
after(() => {
  lib.close();
  fs.rmSync(home, { recursive: true, force: true });
});

function plan(sql: string, ...args: unknown[]): string {
  return (lib.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
}

function ms(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

test('the people list pages through the size index, with no sort of its own', () => {
  const p = plan('SELECT id FROM people pe WHERE pe.face_count > 0 ORDER BY pe.face_count DESC, pe.id LIMIT 100 OFFSET 0');
  assert.match(p, /people_by_size/);
  assert.doesNotMatch(p, /TEMP B-TREE/);
  const first = listPeople(lib, { offset: 0, limit: 100, query: '' });
  assert.equal(first.people.length, 100);
  assert.ok(first.people[0]!.faceCount >= first.people[99]!.faceCount);
  assert.equal(first.total, (lib.db.prepare('SELECT count(DISTINCT person_id) AS n FROM faces').get() as { n: number }).n, 'face counts kept by the triggers');
  const worst = Math.max(ms(() => listPeople(lib, { offset: 0, limit: 100, query: '' })), ms(() => listPeople(lib, { offset: 5000, limit: 100, query: '' })));
  console.log(`people.list at ${PEOPLE} people / ${FACES} faces: ${worst.toFixed(1)} ms a page`);
  assert.ok(worst < 250, `a page took ${worst.toFixed(1)} ms`);
});

test('a person’s faces and photos, and the photos still to look at, are read by index', () => {
  for (const q of ['SELECT id FROM faces WHERE person_id = ? ORDER BY pinned DESC, score DESC LIMIT 60', 'SELECT f.id FROM faces f WHERE f.person_id = ? ORDER BY f.pinned DESC, f.score DESC LIMIT 1']) {
    const p = plan(q, 1);
    assert.match(p, /faces_person_best/, 'best faces first, and the cover face, straight from the index');
    assert.doesNotMatch(p, /TEMP B-TREE/);
  }
  assert.match(plan('SELECT id FROM faces WHERE person_id IS NULL AND descriptor IS NOT NULL AND id > ? ORDER BY id LIMIT 500', 0), /faces_unassigned/);
  const biggest = listPeople(lib, { offset: 0, limit: 1, query: '' }).people[0]!;
  const t = ms(() => personWithFaces(lib, biggest.personId, 60));
  const photos = ListPhotosParams.parse({ filter: { personId: biggest.personId }, limit: 200 });
  const tp = ms(() => listPhotos(lib, photos));
  const pending = pendingPhotos(lib, { afterId: 0, limit: 200 });
  assert.equal(pending.remaining, 1000);
  assert.equal(pending.photoIds[0], PHOTOS - 999);
  const tq = ms(() => pendingPhotos(lib, { afterId: 0, limit: 200 }));
  console.log(`person ${biggest.personId} (${biggest.faceCount} faces): faces ${t.toFixed(1)} ms, photos page ${tp.toFixed(1)} ms; pending photos ${tq.toFixed(1)} ms`);
  // The job asks for pending photos once per 200 photos, each of which takes the engine seconds.
  assert.ok(t < 100 && tp < 500 && tq < 500, `${t}, ${tp}, ${tq} ms`);
  const withFaces = listPeople(lib, { offset: 0, limit: 1, query: '' }).total;
  assert.deepEqual(clusterFaces(lib), { assigned: 0, created: 0, people: withFaces }, 'nothing to place, nobody made; people without faces left');
});
