/**
 * People (library/people.ts) on a real catalog with real faces: the held-out
 * faces-flr people 001-012, a neutral and a smiling portrait each, their
 * descriptors made by the real face-api nets. Each person's two faces end up
 * together and different people apart; naming, merging and a face the user
 * moved survive later clustering runs and a new analysis; names are searched.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { createFaceDetector } from '../../../electron/engine/faces/detector.js';
import { sharedDataDir } from '../../../devkit/shared-data.js';
import type { FaceBox } from '../../../electron/shared/contract/engine.js';
import { contractHandlers, freshLibrary, rmAfter, tempDir, testContext } from './helpers.js';

const FLR = path.join(sharedDataDir(), 'faces-flr');
const PEOPLE = Array.from({ length: 12 }, (_, i) => String(i + 1).padStart(3, '0'));

function portrait(set: 'neutral_front' | 'smiling_front', person: string): string {
  const dir = path.join(FLR, set);
  const file = fs.readdirSync(dir).find((f) => f.startsWith(`${person}_`) && f.endsWith('.jpg'));
  if (!file) throw new Error(`faces-flr has no ${set} portrait of ${person}`);
  return path.join(dir, file);
}

/** The largest face of a photo with its descriptor, found by the real detector on a 384 px copy, its box in the photo's pixels. */
async function describe(file: string, mirror = false): Promise<FaceBox> {
  const detector = await createFaceDetector();
  let img = sharp(file).rotate().resize(384, 384, { fit: 'inside' });
  if (mirror) img = img.flop();
  const { data, info } = await img.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const faces = await detector.detect(Float32Array.from(data, (v) => v / 255), info.width, info.height, { descriptors: true, tiles: 'off' });
  const f = faces.sort((a, b) => b.box.w * b.box.h - a.box.w * a.box.h)[0];
  if (!f?.descriptor) throw new Error(`no face found in ${file}`);
  const k = ((await sharp(file).metadata()).width ?? info.width) / info.width;
  return { x: f.box.x * k, y: f.box.y * k, w: f.box.w * k, h: f.box.h * k, score: f.score, descriptor: Array.from(f.descriptor) };
}

const described = new Map<string, FaceBox>();

before(async () => {
  for (const p of PEOPLE) for (const set of ['neutral_front', 'smiling_front'] as const) described.set(portrait(set, p), await describe(portrait(set, p)));
});

async function libraryOfPortraits(t: Parameters<typeof freshLibrary>[0]) {
  const { lib } = freshLibrary(t);
  const h = contractHandlers(lib);
  const ctx = testContext();
  const files = PEOPLE.flatMap((p) => [portrait('neutral_front', p), portrait('smiling_front', p)]);
  await h['library.import']({ paths: files }, ctx);
  const rows = lib.db.prepare('SELECT id, path FROM photos').all() as Array<{ id: number; path: string }>;
  const photoOf = new Map(rows.map((r) => [r.path, r.id]));
  for (const f of files) await h['library.storeFaces']({ photoId: photoOf.get(f)!, faces: [described.get(f)!] }, ctx);
  const personOf = (file: string) => (lib.db.prepare('SELECT f.person_id FROM faces f JOIN photos p ON p.id = f.photo_id WHERE p.path = ?').get(file) as { person_id: number | null }).person_id;
  const faceOf = (file: string) => (lib.db.prepare('SELECT id FROM faces WHERE photo_id = ?').get(photoOf.get(file)) as { id: number }).id;
  return { lib, h, ctx, photoOf, personOf, faceOf };
}

test('held-out people 001-012: each person’s neutral and smiling faces are grouped together, and no two people share a group', async (t) => {
  const { h, ctx, personOf } = await libraryOfPortraits(t);
  assert.deepEqual(await h['people.cluster']({}, ctx), { assigned: 24, created: 12, people: 12 });
  const groups = PEOPLE.map((p) => [personOf(portrait('neutral_front', p)), personOf(portrait('smiling_front', p))]);
  for (const [i, [a, b]] of groups.entries()) assert.equal(a, b, `person ${PEOPLE[i]}: both photos together`);
  assert.equal(new Set(groups.map(([a]) => a)).size, 12, 'twelve people, twelve groups');
  const list = await h['people.list']({ limit: 5 }, ctx);
  assert.equal(list.total, 12);
  assert.equal(list.people.length, 5, 'paged');
  assert.ok(list.people.every((p) => p.faceCount === 2 && p.coverFaceId !== null && p.name === null));
  assert.deepEqual(await h['people.cluster']({}, ctx), { assigned: 0, created: 0, people: 12 }, 'a second run has nothing to place');
});

test('names, merges and faces the user moved stay through later clustering runs and a new analysis; names are searched', async (t) => {
  const { lib, h, ctx, photoOf, personOf, faceOf } = await libraryOfPortraits(t);
  await h['people.cluster']({}, ctx);
  const annNeutral = portrait('neutral_front', '001'), annSmiling = portrait('smiling_front', '001');
  const ann = personOf(annNeutral)!;
  await h['people.rename']({ personId: ann, name: 'Ann Whitaker' }, ctx);
  // The user says the smiling face is someone else: it goes to a new person, pinned.
  const { personId: other } = await h['people.moveFace']({ faceId: faceOf(annSmiling) }, ctx);
  assert.notEqual(other, ann);
  assert.equal((await h['people.get']({ personId: ann }, ctx)).faceCount, 1);
  assert.deepEqual((await h['people.get']({ personId: other }, ctx)).faces.map((f) => f.pinned), [true]);

  // A new photo of Ann (her neutral portrait mirrored) joins her, and the pinned face does not move back.
  const dir = rmAfter(t, tempDir());
  const mirrored = path.join(dir, 'ann-mirrored.jpg');
  await sharp(annNeutral).flop().jpeg().toFile(mirrored);
  const { photoIds } = await h['library.import']({ paths: [mirrored] }, ctx);
  await h['library.storeFaces']({ photoId: photoIds[0]!, faces: [await describe(annNeutral, true)] }, ctx);
  assert.deepEqual(await h['people.cluster']({}, ctx), { assigned: 1, created: 0, people: 13 });
  assert.equal(personOf(mirrored), ann, 'the new face joined the named person');
  assert.equal(personOf(annSmiling), other, 'the moved face stayed where the user put it');

  // Analysing the photos again keeps who each face is.
  await h['library.storeFaces']({ photoId: photoOf.get(annSmiling)!, faces: [described.get(annSmiling)!] }, ctx);
  await h['library.storeFaces']({ photoId: photoOf.get(annNeutral)!, faces: [described.get(annNeutral)!] }, ctx);
  await h['people.cluster']({}, ctx);
  assert.equal(personOf(annSmiling), other);
  assert.equal(personOf(annNeutral), ann);
  assert.equal((await h['people.get']({ personId: other }, ctx)).faces[0]!.pinned, true, 'still pinned');

  // Search by name (the library's search) and by person (the filter).
  const search = async (query: string) => (await h['library.listPhotos']({ query }, ctx)).items.map((p) => p.id).sort((a, b) => a - b);
  assert.deepEqual(await search('Whitaker'), [photoOf.get(annNeutral)!, photoIds[0]!].sort((a, b) => a - b));
  assert.deepEqual((await h['library.listPhotos']({ filter: { personId: other } }, ctx)).items.map((p) => p.id), [photoOf.get(annSmiling)]);

  // Merging the split back: one person, named, with all three faces; the other is gone.
  const merged = await h['people.merge']({ into: other, from: ann }, ctx);
  assert.deepEqual([merged.personId, merged.name, merged.faceCount], [other, 'Ann Whitaker', 3]);
  await assert.rejects(async () => h['people.get']({ personId: ann }, ctx), /No person/);
  assert.equal((await search('Whitaker')).length, 3);
  assert.deepEqual((await h['people.list']({ query: 'whit' }, ctx)).people.map((p) => p.personId), [other]);
  await h['people.rename']({ personId: other, name: '' }, ctx);
  assert.deepEqual(await search('Whitaker'), [], 'a cleared name is no longer searched');
  assert.equal((lib.db.prepare('SELECT count(*) AS n FROM people WHERE face_count <> (SELECT count(*) FROM faces f WHERE f.person_id = people.id)').get() as { n: number }).n, 0, 'face counts match the faces');
});

test('a face crop is served by face id: a square JPEG of the face', async (t) => {
  const { lib, faceOf } = await libraryOfPortraits(t);
  const { libraryHandlers } = await import('../../../electron/library/handlers.js');
  const media = await libraryHandlers(lib)['library.resolveMedia']({ kind: 'face', id: faceOf(portrait('neutral_front', '002')), size: 'thumb' }, testContext());
  assert.equal(media.mime, 'image/jpeg');
  const meta = await sharp(media.path).metadata();
  assert.deepEqual([meta.width, meta.height], [160, 160]);
  await assert.rejects(async () => libraryHandlers(lib)['library.resolveMedia']({ kind: 'face', id: 999_999, size: 'thumb' }, testContext()), /No face/);
});

test('same person? pairs of groups of one person come first; declined or told-apart pairs are not offered again', async (t) => {
  const { lib, h, ctx, personOf, faceOf } = await libraryOfPortraits(t);
  const { clusterFaces } = await import('../../../electron/library/people.js');
  // A bar so tight that every face starts its own group: 24 groups of 12 people.
  assert.equal(clusterFaces(lib, { threshold: 0.05 }).created, 24);
  const { pairs } = await h['people.suggestions']({ limit: 12 }, ctx);
  const sameOf = (a: number, b: number) => PEOPLE.some((p) => {
    const both = [personOf(portrait('neutral_front', p)), personOf(portrait('smiling_front', p))];
    return both.includes(a) && both.includes(b);
  });
  const same = pairs.filter((x) => sameOf(x.a.personId, x.b.personId)).length;
  console.log(`suggestions: ${pairs.length}, of one person: ${same}; distances ${pairs.map((x) => x.distance).join(' ')}`);
  assert.ok(pairs.length >= 10 && same >= 10, `${same} of ${pairs.length} suggestions are one person`);
  assert.ok(pairs.every((x, i) => i === 0 || pairs[i - 1]!.distance <= x.distance), 'nearest first');

  // "Not the same person": the pair is not offered again.
  const first = pairs[0]!;
  await h['people.keepApart']({ a: first.b.personId, b: first.a.personId }, ctx);
  const after = (await h['people.suggestions']({ limit: 100 }, ctx)).pairs;
  assert.ok(!after.some((x) => new Set([x.a.personId, x.b.personId, first.a.personId, first.b.personId]).size === 2), 'declined pair gone');

  // A merge carries what its people were told apart from; a face moved between two people tells them apart.
  const second = after[0]!;
  await h['people.merge']({ into: second.a.personId, from: second.b.personId }, ctx);
  const ann = personOf(portrait('neutral_front', '001'))!;
  const annSmilingGroup = personOf(portrait('smiling_front', '001'))!;
  if (annSmilingGroup !== ann) await h['people.merge']({ into: ann, from: annSmilingGroup }, ctx);
  const annSmiling = faceOf(portrait('smiling_front', '001'));
  const moved = await h['people.moveFace']({ faceId: annSmiling, personId: undefined }, ctx);
  const now = (await h['people.suggestions']({ limit: 100 }, ctx)).pairs;
  assert.ok(!now.some((x) => new Set([x.a.personId, x.b.personId]).has(moved.personId) && new Set([x.a.personId, x.b.personId]).has(ann)), 'moved-apart pair not offered');
  await assert.rejects(h['people.keepApart']({ a: ann, b: ann }, ctx), /itself/);
  await assert.rejects(h['people.keepApart']({ a: ann, b: 999_999 }, ctx), /No person/);
});
