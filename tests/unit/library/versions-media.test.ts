import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { makeImageZoo, makePhotoFolder, cleanupZoo } from '../../../devkit/make-images.js';
import { contractHandlers, freshLibrary, recipe, rmAfter, tempDir, testContext } from './helpers.js';
import { photoThumbPaths } from '../../../electron/library/thumbnails.js';
import { RestoraError } from '../../../electron/shared/errors.js';
import type { Recipe } from '../../../electron/shared/recipe.js';

const isCode = (code: string) => (err: unknown) => err instanceof RestoraError && err.code === code;


async function setup(t: Parameters<typeof freshLibrary>[0]) {
  const { lib } = freshLibrary(t);
  const dir = rmAfter(t, tempDir());
  const [file] = await makePhotoFolder(dir, 1);
  const h = contractHandlers(lib);
  const { photoIds } = await h['library.import']({ paths: [file!] }, testContext());
  const writeVersion = async (name: string) => {
    const out = path.join(lib.paths.versions, name);
    await sharp(file!).resize(320).png().toFile(out);
    return out;
  };
  return { lib, h, photoId: photoIds[0]!, file: file!, writeVersion };
}

test('versions keep their full recipe; rename, prefer, compare, delete (file too)', async (t) => {
  const { h, photoId, writeVersion } = await setup(t);
  const ctx = testContext();
  const f1 = await writeVersion('a.png');
  const f2 = await writeVersion('b.png');
  const { versionId: v1 } = await h['library.addVersion']({ photoId, file: f1, recipe: recipe('remove scratches'), preferred: false }, ctx);
  const { versionId: v2 } = await h['library.addVersion']({ photoId, file: f2, recipe: recipe('remove scratches, colourise', 8), label: 'Colour', preferred: true }, ctx);
  let photo = await h['library.getPhoto']({ photoId }, ctx) as { photo: { versionCount: number; preferredVersionId: number | null }; versions: Array<{ id: number; label: string; preferred: boolean; recipe: Recipe; width: number }> };
  assert.equal(photo.photo.versionCount, 2);
  assert.equal(photo.photo.preferredVersionId, v2);
  assert.deepEqual(photo.versions.map((v) => [v.label, v.preferred]), [['Restoration 1', false], ['Colour', true]]);
  assert.deepEqual(photo.versions[0]!.recipe, recipe('remove scratches'));
  assert.equal(photo.versions[0]!.width, 320);

  await h['library.renameVersion']({ versionId: v1, label: 'Clean' }, ctx);
  await h['library.setPreferredVersion']({ photoId, versionId: v1 }, ctx);
  const cmp = await h['library.compareVersions']({ a: v1, b: v2 }, ctx) as { a: { label: string }; b: { label: string }; differences: string[] };
  assert.deepEqual([cmp.a.label, cmp.b.label], ['Clean', 'Colour']);
  assert.deepEqual(cmp.differences, ['instruction', 'seed']);

  await h['library.deleteVersion']({ versionId: v1 }, ctx);
  assert.equal(fs.existsSync(f1), false, 'version file deleted');
  photo = await h['library.getPhoto']({ photoId }, ctx) as typeof photo;
  assert.equal(photo.photo.versionCount, 1);
  assert.equal(photo.photo.preferredVersionId, null, 'deleting the preferred version clears the preference');
  await assert.rejects(async () => h['library.deleteVersion']({ versionId: v1 }, ctx), isCode('NotFound'));
});

test('addVersion refuses files outside the versions folder and unknown photos', async (t) => {
  const { h, photoId, file, writeVersion } = await setup(t);
  await assert.rejects(async () => h['library.addVersion']({ photoId, file, recipe: recipe(''), preferred: false }, testContext()), isCode('BadRequest'));
  const inside = await writeVersion('c.png');
  await assert.rejects(async () => h['library.addVersion']({ photoId: 9999, file: inside, recipe: recipe(''), preferred: false }, testContext()), isCode('NotFound'));
});

test('resolveMedia: thumbnails regenerate when deleted; unknown ids are NotFound; versions get thumbnails', async (t) => {
  const { lib, h, photoId, writeVersion } = await setup(t);
  const ctx = testContext();
  const sha = (lib.db.prepare('SELECT sha256 FROM photos WHERE id = ?').get(photoId) as { sha256: string }).sha256;
  const thumbs = photoThumbPaths(lib.paths.thumbnails, sha);
  fs.rmSync(thumbs.thumb);
  fs.rmSync(thumbs.preview);
  const thumb = await h['library.resolveMedia']({ kind: 'photo', id: photoId, size: 'thumb' }, ctx);
  assert.equal(thumb.path, thumbs.thumb);
  assert.equal(thumb.mime, 'image/jpeg');
  assert.ok(Math.max((await sharp(thumb.path).metadata()).width!, (await sharp(thumb.path).metadata()).height!) <= 256);
  await assert.rejects(async () => h['library.resolveMedia']({ kind: 'photo', id: 777, size: 'thumb' }, ctx), isCode('NotFound'));
  await assert.rejects(async () => h['library.resolveMedia']({ kind: 'version', id: 777, size: 'full' }, ctx), isCode('NotFound'));
  const vf = await writeVersion('d.png');
  const { versionId } = await h['library.addVersion']({ photoId, file: vf, recipe: recipe('x'), preferred: false }, ctx);
  const vthumb = await h['library.resolveMedia']({ kind: 'version', id: versionId, size: 'thumb' }, ctx);
  assert.equal((await sharp(vthumb.path).metadata()).format, 'jpeg');
  assert.deepEqual(await h['library.resolveMedia']({ kind: 'version', id: versionId, size: 'full' }, ctx), { path: fs.realpathSync(vf), mime: 'image/png' });
});

test('resolveMedia full: browser-safe originals are served as they are, TIFF/16-bit/CMYK get an sRGB rendition', async (t) => {
  const { lib } = freshLibrary(t);
  const zoo = await makeImageZoo(path.join(rmAfter(t, tempDir()), 'zoo'));
  t.after(() => cleanupZoo(zoo));
  const h = contractHandlers(lib);
  const ctx = testContext();
  const files = [zoo.good.jpeg, zoo.good.png, zoo.good.tiff16, zoo.good.png16, zoo.good.cmyk, zoo.good.greyAlpha];
  const res = await h['library.import']({ paths: files }, ctx);
  assert.equal(res.imported, files.length);
  const idOf = (f: string) => (lib.db.prepare('SELECT id FROM photos WHERE path = ?').get(f) as { id: number }).id;
  const full = (f: string) => h['library.resolveMedia']({ kind: 'photo', id: idOf(f), size: 'full' }, ctx);
  assert.deepEqual(await full(zoo.good.jpeg), { path: zoo.good.jpeg, mime: 'image/jpeg' });
  assert.deepEqual(await full(zoo.good.greyAlpha), { path: zoo.good.greyAlpha, mime: 'image/png' });
  for (const f of [zoo.good.tiff16, zoo.good.png16, zoo.good.cmyk]) {
    const r = await full(f);
    assert.notEqual(r.path, f);
    assert.ok(r.path.startsWith(lib.paths.cache));
    const m = await sharp(r.path).metadata();
    assert.equal(m.space, 'srgb', path.basename(f));
    assert.equal(m.depth, 'uchar');
    const orig = await sharp(f).metadata();
    assert.deepEqual([m.width, m.height], [orig.width, orig.height], 'full resolution');
  }
});

test('photoSource gives the original; a vanished original is flagged missing, not deleted', async (t) => {
  const { lib, h, photoId, file } = await setup(t);
  const ctx = testContext();
  const src = await h['library.photoSource']({ photoId }, ctx);
  assert.equal(src.path, file);
  assert.match(src.sha256, /^[0-9a-f]{64}$/);
  fs.renameSync(file, file + '.moved');
  await assert.rejects(async () => h['library.photoSource']({ photoId }, ctx), isCode('NotFound'));
  const row = lib.db.prepare('SELECT missing FROM photos WHERE id = ?').get(photoId) as { missing: number };
  assert.equal(row.missing, 1);
  // Thumbnails made at import still show in the grid.
  const thumb = await h['library.resolveMedia']({ kind: 'photo', id: photoId, size: 'thumb' }, ctx);
  assert.ok(fs.existsSync(thumb.path));
  await assert.rejects(async () => h['library.resolveMedia']({ kind: 'photo', id: photoId, size: 'full' }, ctx), isCode('NotFound'));
});
