import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import exifReader from 'exif-reader';
import sharp from 'sharp';
import { makeImageZoo, makePhotoFolder, cleanupZoo } from '../../../devkit/make-images.js';
import { contractHandlers, freshLibrary, recipe, rmAfter, tempDir, testContext } from './helpers.js';
import { sha256File } from '../../../electron/library/hashes.js';
import { APP_VERSION } from '../../../electron/node/app-version.js';

test('export keeps EXIF and orientation, marks restored copies, never overwrites; originals stay byte-identical', async (t) => {
  const { lib } = freshLibrary(t);
  const zoo = await makeImageZoo(path.join(rmAfter(t, tempDir()), 'zoo'));
  t.after(() => cleanupZoo(zoo));
  const photoDir = rmAfter(t, tempDir());
  const [photo] = await makePhotoFolder(photoDir, 1);
  const originals = [photo!, zoo.orientations[5]!, zoo.good.tiff16, zoo.good.unicode];
  const before = await Promise.all(originals.map((f) => sha256File(f)));

  const h = contractHandlers(lib);
  const ctx = testContext();
  const { photoIds } = await h['library.import']({ paths: originals }, ctx);
  assert.equal(photoIds.length, 4);
  // Map ids by path: the order photos are imported in is the scanner's, not the argument order.
  const idOf = async (file: string) => {
    for (const id of photoIds) if ((await h['library.getPhoto']({ photoId: id }, ctx)).photo.path === file) return id;
    throw new Error(`not imported: ${file}`);
  };
  const [photoId, orientedId, tiffId, unicodeId] = await Promise.all(originals.map(idOf)) as [number, number, number, number];
  for (const id of photoIds) await h['library.resolveMedia']({ kind: 'photo', id, size: 'full' }, ctx);
  const vfile = path.join(lib.paths.versions, 'restored.png');
  await sharp(photo!).png().toFile(vfile);
  const { versionId } = await h['library.addVersion']({ photoId, file: vfile, recipe: recipe('remove scratches, bring back the faded blue'), label: 'Blue sky', preferred: false }, ctx);

  const out = rmAfter(t, tempDir('restora-export-'));
  fs.writeFileSync(path.join(out, 'IMG_0001.jpg'), 'someone else’s file');
  const res = await h['library.export']({
    items: [{ kind: 'photo', id: photoId }, { kind: 'version', id: versionId }, { kind: 'photo', id: orientedId }, { kind: 'photo', id: tiffId }, { kind: 'photo', id: unicodeId }],
    folder: out, format: 'jpeg', quality: 90,
  }, ctx);
  assert.deepEqual(res.skipped, []);
  const names = res.written.map((w) => path.basename(w.path));
  assert.deepEqual(names, ['IMG_0001 (2).jpg', 'IMG_0001 - Blue sky.jpg', 'orient-6.jpg', 'scan16.jpg', 'Фото — 日本語 é.jpg']);
  assert.equal(fs.readFileSync(path.join(out, 'IMG_0001.jpg'), 'utf8'), 'someone else’s file', 'existing file untouched');

  // Original export keeps the camera EXIF.
  const m0 = await sharp(res.written[0]!.path).metadata();
  const e0 = exifReader(m0.exif!);
  assert.equal(e0.Image?.Model, 'Fixture Cam');
  assert.ok(e0.Photo?.DateTimeOriginal instanceof Date);
  // The restored copy says so, with the software version and instruction, and carries the original's EXIF.
  const m1 = await sharp(res.written[1]!.path).metadata();
  const e1 = exifReader(m1.exif!);
  assert.equal(e1.Image?.Software, `Restora ${APP_VERSION}`);
  assert.match(e1.Image?.ImageDescription ?? '', /Restored with Restora .*remove scratches, bring back the faded blue/);
  assert.equal(e1.Image?.Model, 'Fixture Cam');
  assert.equal(e1.Photo?.DateTimeOriginal?.toISOString().slice(0, 19), '1987-06-02T12:00:00');
  assert.ok(m1.hasProfile, 'sRGB ICC profile attached');
  assert.match(m1.xmp?.toString() ?? '', /remove scratches, bring back the faded blue/);
  // Orientation is baked into the pixels and the tag reset.
  const m2 = await sharp(res.written[2]!.path).metadata();
  assert.deepEqual([m2.width, m2.height, m2.orientation ?? 1], [60, 40, 1]);
  // A wide-gamut original keeps its own ICC profile (the pixels are not squeezed into sRGB).
  const p3 = await h['library.import']({ paths: [zoo.good.displayP3] }, ctx);
  const p3out = await h['library.export']({ items: [{ kind: 'photo', id: p3.photoIds[0]! }], folder: out, format: 'webp' }, ctx);
  const iccOut = (await sharp(p3out.written[0]!.path).metadata()).icc!;
  const iccIn = (await sharp(zoo.good.displayP3).metadata()).icc!;
  assert.ok(iccOut.equals(iccIn), 'same ICC profile as the original');
  // Transparent areas become white in a JPEG, not black.
  const alpha = await h['library.import']({ paths: [zoo.good.greyAlpha] }, ctx);
  const flat = await h['library.export']({ items: [{ kind: 'photo', id: alpha.photoIds[0]! }], folder: out, format: 'jpeg' }, ctx);
  const corner = (await sharp(flat.written[0]!.path).raw().toBuffer())[0]!;
  const expected = (await sharp(zoo.good.greyAlpha).flatten({ background: '#ffffff' }).raw().toBuffer())[0]!;
  assert.ok(Math.abs(corner - expected) <= 6, `flattened on white: ${corner} vs ${expected}`);
  // 16-bit TIFF to JPEG gives a normal 8-bit file.
  assert.equal((await sharp(res.written[3]!.path).metadata()).depth, 'uchar');

  // Every format exports.
  for (const format of ['png', 'webp', 'tiff', 'avif'] as const) {
    const r = await h['library.export']({ items: [{ kind: 'version', id: versionId }], folder: out, format, quality: 80 }, ctx);
    assert.equal(r.written.length, 1, `${format}: ${JSON.stringify(r.skipped)}`);
    const meta = await sharp(r.written[0]!.path).metadata();
    assert.equal(meta.format, format === 'avif' ? 'heif' : format);
    // Every format says it was restored, and how (XMP; TIFF cannot carry EXIF here).
    assert.match(meta.xmp?.toString() ?? '', /Restora .*faded blue/s, `${format} XMP`);
  }
  // Shorthand used by the CLI: photos export their preferred version, or the original with `originals`.
  await h['library.setPreferredVersion']({ photoId, versionId }, ctx);
  const short = await h['library.export']({ photoIds: [photoId, tiffId], folder: path.join(out, 'short'), format: 'jpeg' }, ctx);
  assert.deepEqual(short.written.map((w) => [w.kind, w.id]), [['version', versionId], ['photo', tiffId]]);
  const origOnly = await h['library.export']({ photoIds: [photoId], originals: true, folder: path.join(out, 'short'), format: 'png' }, ctx);
  assert.deepEqual(origOnly.written.map((w) => [w.kind, path.basename(w.path)]), [['photo', 'IMG_0001.png']]);
  await assert.rejects(async () => h['library.export']({ folder: out } as never, ctx), /items or photoIds/);

  const after = await Promise.all(originals.map((f) => sha256File(f)));
  assert.deepEqual(after, before, 'import, thumbnails, renditions, versions and export never modify an original');
});

test('many photos at once: naming pattern, resize, metadata choices; dpi and ICC kept exactly; a folder that disappears stops the export', async (t) => {
  const { lib } = freshLibrary(t);
  const h = contractHandlers(lib);
  const ctx = testContext();
  const src = rmAfter(t, tempDir('restora-export-src-'));
  // A 300 dpi scan in Display P3 with a caption, and a 72 dpi sRGB print. (JPEG: sharp reads no EXIF block from a TIFF.)
  const scan = path.join(src, 'Grandma 1952.jpg');
  await sharp({ create: { width: 600, height: 400, channels: 3, background: '#7a5c3e' } })
    .withIccProfile('p3')
    .withExif({ IFD0: { Artist: 'H. Brandt', ImageDescription: 'At the lake', Make: 'Epson', Model: 'V600' } })
    .withDensity(300)
    .jpeg()
    .toFile(scan);
  const print = path.join(src, 'print.jpg');
  await sharp({ create: { width: 300, height: 450, channels: 3, background: '#3e5c7a' } }).withDensity(72).jpeg().toFile(print);
  const { photoIds } = await h['library.import']({ paths: [scan, print] }, ctx);
  const byName = new Map<string, number>();
  for (const id of photoIds) byName.set((await h['library.getPhoto']({ photoId: id }, ctx)).photo.fileName, id);
  const scanId = byName.get('Grandma 1952.jpg')!;
  const printId = byName.get('print.jpg')!;
  const vfile = path.join(lib.paths.versions, 'print-restored.png');
  await sharp({ create: { width: 300, height: 450, channels: 3, background: '#4e6c8a' } }).withIccProfile('srgb').png().toFile(vfile);
  const { versionId } = await h['library.addVersion']({ photoId: printId, file: vfile, recipe: recipe('remove the stains'), label: 'Clean', preferred: true }, ctx);

  const iccOf = async (f: string) => (await sharp(f).metadata()).icc!;
  const out = rmAfter(t, tempDir('restora-export-many-'));
  for (const format of ['jpeg', 'png', 'tiff'] as const) {
    const r = await h['library.export']({ photoIds: [scanId, printId], folder: out, format, naming: '{n} {name} ({version})', longEdge: 200, metadata: 'all' }, ctx);
    assert.deepEqual(r.skipped, []);
    const ext = { jpeg: 'jpg', png: 'png', tiff: 'tif' }[format];
    assert.deepEqual(r.written.map((w) => path.basename(w.path)), [`1 Grandma 1952 (original).${ext}`, `2 print (Clean).${ext}`], 'the preferred version by default, named by the pattern');
    const [a, b] = await Promise.all(r.written.map((w) => sharp(w.path).metadata()));
    assert.deepEqual([a!.width, a!.height, b!.width, b!.height], [200, 133, 133, 200], `${format}: longest side 200`);
    assert.equal(Math.round(a!.density!), 300, `${format}: the scan stays 300 dpi`);
    assert.equal(Math.round(b!.density!), 72, `${format}: the restored print states its original's 72 dpi (not 25.4)`);
    assert.ok(a!.icc!.equals(await iccOf(scan)), `${format}: the scan's own ICC profile, byte for byte`);
    assert.ok(b!.icc!.equals(await iccOf(vfile)), `${format}: the version's ICC profile, byte for byte`);
  }
  // Metadata choices.
  const none = await h['library.export']({ items: [{ kind: 'photo', id: scanId }], folder: out, format: 'jpeg', metadata: 'none' }, ctx);
  const mNone = await sharp(none.written[0]!.path).metadata();
  const eNone = mNone.exif ? exifReader(mNone.exif) : {};
  assert.equal((eNone as { Image?: { Artist?: string } }).Image?.Artist, undefined, 'no author with metadata: none');
  assert.ok(mNone.icc!.equals(await iccOf(scan)), 'the colour profile stays even with metadata: none');
  assert.equal(Math.round(mNone.density!), 300);
  const essential = await h['library.export']({ items: [{ kind: 'photo', id: scanId }], folder: out, format: 'jpeg', metadata: 'essential' }, ctx);
  const eEss = exifReader((await sharp(essential.written[0]!.path).metadata()).exif!);
  assert.equal(eEss.Image?.Artist, 'H. Brandt');
  assert.equal(eEss.Image?.ImageDescription, undefined, 'essential leaves captions out');
  // A bad pattern is refused with a message.
  await assert.rejects(async () => h['library.export']({ photoIds: [scanId], folder: out, naming: 'same' }, ctx), /needs \{name\} or \{n\}/);
  await assert.rejects(async () => h['library.export']({ photoIds: [scanId], folder: out, naming: '../{name}' }, ctx), /no \//);

  // The folder disappears after the first file: the rest are reported, the folder is not made again.
  const gone = path.join(rmAfter(t, tempDir('restora-export-gone-')), 'usb');
  const job = testContext();
  const watching = { ...job, progress(u: { message?: string }) {
    if (u.message === '2 of 3') fs.rmSync(gone, { recursive: true, force: true });
  } };
  const r = await h['library.export']({ items: [{ kind: 'photo', id: scanId }, { kind: 'photo', id: printId }, { kind: 'version', id: versionId }], folder: gone, format: 'png' }, watching as never);
  assert.equal(r.written.length, 1);
  assert.equal(r.skipped.length, 2);
  for (const sk of r.skipped) assert.match(sk.reason, /disappeared after 1 of 3 file\(s\); the rest were not exported/);
  assert.equal(fs.existsSync(gone), false, 'a vanished folder is not recreated');
  assert.ok(fs.existsSync(scan) && fs.existsSync(print), 'originals untouched');
});

test('checkFiles flags moved files missing; relink finds them by content, not by name alone', async (t) => {
  const { lib } = freshLibrary(t);
  const dir = rmAfter(t, tempDir());
  const files = await makePhotoFolder(path.join(dir, 'old'), 3);
  const h = contractHandlers(lib);
  const ctx = testContext();
  const { photoIds } = await h['library.import']({ paths: [path.join(dir, 'old')] }, ctx);
  const newDir = path.join(dir, 'new place', 'deeper');
  fs.mkdirSync(newDir, { recursive: true });
  fs.renameSync(files[0]!, path.join(newDir, 'IMG_0001.jpg'));
  fs.renameSync(files[1]!, path.join(newDir, 'renamed.jpg'));
  // Same name as a missing photo, different picture: must not be relinked.
  await makePhotoFolder(path.join(dir, 'impostor'), 3, { seed: 99 });
  fs.renameSync(path.join(dir, 'impostor', 'IMG_0003.jpg'), path.join(newDir, 'IMG_0003.jpg'));
  fs.rmSync(files[2]!);

  const check = await h['library.checkFiles']({}, ctx);
  assert.deepEqual(check, { checked: 3, missing: 3, found: 0 });
  const missing = (await h['library.listPhotos']({ offset: 0, limit: 10, query: '', filter: { missing: true, recursive: false }, sort: 'imported' }, ctx) as { total: number }).total;
  assert.equal(missing, 3);

  const rel = await h['library.relink']({ folder: path.join(dir, 'new place') }, ctx);
  assert.deepEqual(rel, { relinked: 2, stillMissing: 1 });
  const row = (id: number) => lib.db.prepare('SELECT path, missing FROM photos WHERE id = ?').get(id) as { path: string; missing: number };
  assert.deepEqual(row(photoIds[0]!), { path: path.join(newDir, 'IMG_0001.jpg'), missing: 0 });
  assert.deepEqual(row(photoIds[1]!), { path: path.join(newDir, 'renamed.jpg'), missing: 0 });
  assert.equal(row(photoIds[2]!).missing, 1);
  // The relinked photo works again for the engine.
  const src = await h['library.photoSource']({ photoId: photoIds[1]! }, ctx);
  assert.equal(src.path, path.join(newDir, 'renamed.jpg'));
  // Putting the file back makes checkFiles clear the flag.
  fs.copyFileSync(path.join(dir, 'impostor', 'IMG_0001.jpg'), files[2]!);
  assert.deepEqual(await h['library.checkFiles']({}, ctx), { checked: 3, missing: 0, found: 1 });
});

test('relink finds moved photos even when no check has flagged them yet', async (t) => {
  const { lib } = freshLibrary(t);
  const dir = rmAfter(t, tempDir());
  const [file] = await makePhotoFolder(path.join(dir, 'a'), 1);
  const h = contractHandlers(lib);
  const { photoIds } = await h['library.import']({ paths: [file!] }, testContext());
  fs.mkdirSync(path.join(dir, 'b'));
  fs.renameSync(file!, path.join(dir, 'b', 'x.jpg'));
  assert.deepEqual(await h['library.relink']({ folder: path.join(dir, 'b') }, testContext()), { relinked: 1, stillMissing: 0 });
  assert.equal((lib.db.prepare('SELECT path FROM photos WHERE id = ?').get(photoIds[0]!) as { path: string }).path, path.join(dir, 'b', 'x.jpg'));
});

test('importing a missing photo from its new place relinks it instead of duplicating it', async (t) => {
  const { lib } = freshLibrary(t);
  const dir = rmAfter(t, tempDir());
  const [file] = await makePhotoFolder(dir, 1);
  const h = contractHandlers(lib);
  const { photoIds } = await h['library.import']({ paths: [file!] }, testContext());
  const moved = path.join(dir, 'moved.jpg');
  fs.renameSync(file!, moved);
  const res = await h['library.import']({ paths: [moved] }, testContext());
  assert.deepEqual([res.imported, res.relinked, res.duplicates], [0, 1, 0]);
  assert.deepEqual(res.photoIds, photoIds);
  assert.equal((lib.db.prepare('SELECT path FROM photos WHERE id = ?').get(photoIds[0]!) as { path: string }).path, moved);
});
