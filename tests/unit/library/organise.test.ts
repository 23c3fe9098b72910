import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { makePhotoFolder } from '../../../devkit/make-images.js';
import { contractHandlers, freshLibrary, rmAfter, tempDir, testContext } from './helpers.js';
import { photoThumbPaths } from '../../../electron/library/thumbnails.js';
import { RestoraError } from '../../../electron/shared/errors.js';
import type { Library } from '../../../electron/library/library.js';

async function libraryWithPhotos(t: Parameters<typeof freshLibrary>[0], n: number) {
  const { lib } = freshLibrary(t);
  const dir = rmAfter(t, tempDir());
  const files = await makePhotoFolder(dir, n);
  const h = contractHandlers(lib);
  const res = await h['library.import']({ paths: [dir] }, testContext());
  return { lib, h, files, ids: res.photoIds };
}

const isCode = (code: string) => (err: unknown) => err instanceof RestoraError && err.code === code;

test('albums: create with photos, rename, add/remove, unique names, delete keeps photos', async (t) => {
  const { lib, h, ids } = await libraryWithPhotos(t, 4);
  const ctx = testContext();
  const { albumId } = await h['library.createAlbum']({ name: 'Grandparents', photoIds: [ids[0]!, ids[1]!] }, ctx) as { albumId: number };
  assert.deepEqual(ctx.events.at(-1), { name: 'library.changed', payload: { entity: 'albums', ids: [albumId] } });
  await assert.rejects(async () => h['library.createAlbum']({ name: 'grandparents', photoIds: [] }, ctx), isCode('Conflict'));
  assert.deepEqual(await h['library.addToAlbum']({ albumId, photoIds: [ids[1]!, ids[2]!, 999_999] }, ctx), { added: 1 });
  await h['library.renameAlbum']({ albumId, name: 'Family' }, ctx);
  let albums = (await h['library.listAlbums']({}, ctx) as { albums: Array<{ id: number; name: string; photoCount: number }> }).albums;
  assert.deepEqual(albums.map((a) => [a.name, a.photoCount]), [['Family', 3]]);
  assert.deepEqual(await h['library.removeFromAlbum']({ albumId, photoIds: [ids[0]!] }, ctx), { removed: 1 });
  const photo = await h['library.getPhoto']({ photoId: ids[1]! }, ctx) as { photo: { albums: Array<{ name: string }> } };
  assert.deepEqual(photo.photo.albums.map((a) => a.name), ['Family']);
  await h['library.deleteAlbum']({ albumId }, ctx);
  albums = (await h['library.listAlbums']({}, ctx) as { albums: Array<{ id: number; name: string; photoCount: number }> }).albums;
  assert.equal(albums.length, 0);
  assert.equal((lib.db.prepare('SELECT count(*) AS n FROM photos').get() as { n: number }).n, 4);
  await assert.rejects(async () => h['library.renameAlbum']({ albumId, name: 'x' }, ctx), isCode('NotFound'));
});

test('tags: bulk add and remove on many photos, case-insensitive, unused tags disappear', async (t) => {
  const { h, ids } = await libraryWithPhotos(t, 5);
  const ctx = testContext();
  await h['library.tagPhotos']({ photoIds: ids, add: ['Wedding', 'scanned'], remove: [] }, ctx);
  await h['library.tagPhotos']({ photoIds: [ids[0]!], add: ['wedding'], remove: [] }, ctx);
  let tags = (await h['library.listTags']({}, ctx) as { tags: Array<{ name: string; photoCount: number }> }).tags;
  assert.deepEqual(tags.map((x) => [x.name, x.photoCount]), [['scanned', 5], ['Wedding', 5]]);
  await h['library.tagPhotos']({ photoIds: ids.slice(0, 3), add: [], remove: ['WEDDING'] }, ctx);
  await h['library.tagPhotos']({ photoIds: ids, add: [], remove: ['scanned'] }, ctx);
  tags = (await h['library.listTags']({}, ctx) as { tags: Array<{ name: string; photoCount: number }> }).tags;
  assert.deepEqual(tags.map((x) => [x.name, x.photoCount]), [['Wedding', 2]]);
  const photo = await h['library.getPhoto']({ photoId: ids[4]! }, ctx) as { photo: { tags: string[] } };
  assert.deepEqual(photo.photo.tags, ['Wedding']);
});

test('ratings and favourites apply to many photos at once and show in summaries', async (t) => {
  const { h, ids } = await libraryWithPhotos(t, 3);
  const ctx = testContext();
  await h['library.setRating']({ photoIds: ids.slice(0, 2), rating: 5 }, ctx);
  await h['library.setFavorite']({ photoIds: [ids[2]!], favorite: true }, ctx);
  const p0 = await h['library.getPhoto']({ photoId: ids[0]! }, ctx) as { photo: { rating: number; favorite: boolean } };
  const p2 = await h['library.getPhoto']({ photoId: ids[2]! }, ctx) as { photo: { rating: number; favorite: boolean } };
  assert.deepEqual([p0.photo.rating, p0.photo.favorite, p2.photo.rating, p2.photo.favorite], [5, false, 0, true]);
});

test('getPhoto reports file facts: EXIF date and camera, dimensions, hashes', async (t) => {
  const { h, ids } = await libraryWithPhotos(t, 1);
  const { photo } = await h['library.getPhoto']({ photoId: ids[0]! }, testContext()) as { photo: Record<string, unknown> };
  assert.equal(photo.takenAt, '1987-06-02T12:00:00');
  assert.equal(photo.camera, 'Restora Fixture Cam');
  assert.equal(photo.format, 'jpeg');
  assert.match(photo.sha256 as string, /^[0-9a-f]{64}$/);
  assert.match(photo.phash as string, /^[0-9a-f]{16}$/);
  await assert.rejects(async () => h['library.getPhoto']({ photoId: 424242 }, testContext()), isCode('NotFound'));
});

test('removing photos drops rows and thumbnails but never the original files', async (t) => {
  const { lib, h, ids, files } = await libraryWithPhotos(t, 3);
  // Remove the newest photo: a plain rowid would hand its id out again.
  ids.reverse();
  files.reverse();
  const sha = (lib as Library).db.prepare('SELECT sha256 FROM photos WHERE id = ?').get(ids[0]!) as { sha256: string };
  const thumbs = photoThumbPaths(lib.paths.thumbnails, sha.sha256);
  assert.ok(fs.existsSync(thumbs.thumb));
  const res = await h['library.removePhotos']({ photoIds: [ids[0]!] }, testContext());
  assert.deepEqual(res, { removed: 1 });
  assert.equal(fs.existsSync(thumbs.thumb), false);
  assert.ok(files.every((f) => fs.existsSync(f)), 'originals untouched');
  // It can be imported again afterwards, under a new id (ids are never reused: the renderer caches media by id).
  const again = await h['library.import']({ paths: [files[0]!] }, testContext());
  assert.equal(again.imported, 1);
  assert.ok(again.photoIds[0]! > Math.max(...ids));
});
