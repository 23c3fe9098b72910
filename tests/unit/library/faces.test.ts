/**
 * Faces in the library, on a real SQLite catalog: what the engine found is
 * stored per face, the Faces filter and the photo view read it, a new
 * analysis replaces the old, and removing a photo removes its faces.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makePhotoFolder } from '../../../devkit/make-images.js';
import { contractHandlers, freshLibrary, rmAfter, tempDir, testContext } from './helpers.js';
import { RestoraError } from '../../../electron/shared/errors.js';

const face = (x: number, w: number, score = 0.9) => ({ x, y: 12, w, h: w * 1.2, score, landmarks: [[x + 3, 20], [x + 8, 20], [x + 5, 24], [x + 3, 28], [x + 8, 28]] as Array<[number, number]> });

async function library(t: Parameters<typeof freshLibrary>[0]) {
  const { lib } = freshLibrary(t);
  const dir = rmAfter(t, tempDir());
  await makePhotoFolder(dir, 3);
  const h = contractHandlers(lib);
  const { photoIds } = (await h['library.import']({ paths: [dir] }, testContext())) as { photoIds: number[] };
  return { lib, h, ids: photoIds };
}

test('stored faces come back largest first with their landmarks, and the Faces filter finds the photo', async (t) => {
  const { h, ids } = await library(t);
  const ctx = testContext();
  assert.deepEqual((await h['library.photoFaces']({ photoId: ids[0]! }, ctx) as { faces: unknown }).faces, null, 'not analysed yet');
  await h['library.storeFaces']({ photoId: ids[0]!, faces: [face(10, 20, 0.8), face(50, 40)] }, ctx);
  await h['library.storeFaces']({ photoId: ids[1]!, faces: [] }, ctx);
  assert.deepEqual(ctx.events.at(-1), { name: 'library.changed', payload: { entity: 'photos', ids: [ids[1]] } });

  const stored = await h['library.photoFaces']({ photoId: ids[0]! }, ctx) as { width: number; faces: Array<ReturnType<typeof face> & { faceId: number }> };
  assert.deepEqual(stored.faces.map(({ faceId: _id, ...f }) => f), [face(50, 40), face(10, 20, 0.8)].map((f) => ({ ...f, personId: null, personName: null })));
  assert.ok(stored.width > 0);
  assert.deepEqual((await h['library.photoFaces']({ photoId: ids[1]! }, ctx) as { faces: unknown[] }).faces, [], 'analysed, no faces');

  const list = async (hasFaces: boolean) => ((await h['library.listPhotos']({ filter: { hasFaces }, limit: 10, offset: 0 }, ctx)) as { items: Array<{ id: number; faces: number | null }> }).items;
  assert.deepEqual((await list(true)).map((p) => [p.id, p.faces]), [[ids[0], 2]]);
  assert.deepEqual((await list(false)).map((p) => p.id), [ids[1]], 'the photo never analysed matches neither');
  const photo = await h['library.getPhoto']({ photoId: ids[0]! }, ctx) as { photo: { faces: number } };
  assert.equal(photo.photo.faces, 2, 'the photo view shows the count');
});

test('a new analysis replaces the faces found before; removing the photo removes its faces', async (t) => {
  const { lib, h, ids } = await library(t);
  const ctx = testContext();
  await h['library.storeFaces']({ photoId: ids[2]!, faces: [face(1, 10), face(30, 12), face(60, 14)] }, ctx);
  await h['library.storeFaces']({ photoId: ids[2]!, faces: [face(5, 25)] }, ctx);
  assert.deepEqual((await h['library.photoFaces']({ photoId: ids[2]! }, ctx) as { faces: Array<{ faceId: number }> }).faces.map(({ faceId: _id, ...f }) => f), [{ ...face(5, 25), personId: null, personName: null }]);
  assert.equal((lib.db.prepare('SELECT faces FROM photos WHERE id = ?').get(ids[2]) as { faces: number }).faces, 1);
  await h['library.removePhotos']({ photoIds: [ids[2]!] }, ctx);
  assert.equal((lib.db.prepare('SELECT count(*) AS n FROM faces').get() as { n: number }).n, 0);
});

test('faces of a photo that is not in the library are refused, and nothing is stored', async (t) => {
  const { lib, h } = await library(t);
  await assert.rejects(async () => h['library.storeFaces']({ photoId: 999_999, faces: [face(1, 10)] }, testContext()), (e: RestoraError) => e.code === 'NotFound');
  await assert.rejects(async () => h['library.photoFaces']({ photoId: 999_999 }, testContext()), (e: RestoraError) => e.code === 'NotFound');
  assert.equal((lib.db.prepare('SELECT count(*) AS n FROM faces').get() as { n: number }).n, 0);
});
