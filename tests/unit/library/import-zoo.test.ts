import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { makeImageZoo, cleanupZoo, type ImageZoo } from '../../../devkit/make-images.js';
import { contractHandlers, freshLibrary, tempDir, testContext } from './helpers.js';
import { photoThumbPaths } from '../../../electron/library/thumbnails.js';
import type { Library } from '../../../electron/library/library.js';
import { lyingJpeg } from '../../../devkit/images.js';

let zoo: ImageZoo;
let zooParent: string;
before(async () => {
  zooParent = tempDir('restora-zoo-');
  zoo = await makeImageZoo(path.join(zooParent, 'zoo'));
});
after(async () => {
  await cleanupZoo(zoo);
  fs.rmSync(zooParent, { recursive: true, force: true });
});

function photoByPath(lib: Library, file: string) {
  return lib.db.prepare('SELECT * FROM photos WHERE path = ?').get(file) as Record<string, unknown> | undefined;
}

test('importing the zoo imports every readable format and skips each bad file with a reason', async (t) => {
  const { lib } = freshLibrary(t);
  const h = contractHandlers(lib);
  const ctx = testContext();
  const res = await h['library.import']({ paths: [zoo.root] }, ctx);
  const reasons = new Map(res.skipped.map((s) => [s.path, s.reason]));
  for (const [name, file] of Object.entries(zoo.good)) {
    assert.ok(photoByPath(lib, file), `${name} should be imported; skipped because: ${reasons.get(file)}`);
  }
  for (const file of zoo.orientations) assert.ok(photoByPath(lib, file), `${path.basename(file)} imported`);
  assert.ok(photoByPath(lib, path.join(zoo.loopDir, 'in-loop.jpg')), 'photo inside the symlink loop imported once');

  const expectSkip = (file: string | null, pattern: RegExp) => {
    if (file === null) return;
    const reason = reasons.get(file);
    assert.ok(reason, `${path.basename(file)} should be skipped`);
    assert.match(reason!, pattern, `${path.basename(file)}: ${reason}`);
    assert.equal(photoByPath(lib, file), undefined);
  };
  expectSkip(zoo.bad.empty, /empty/i);
  expectSkip(zoo.bad.corrupt, /damaged|corrupt|not an image/i);
  // Data that ends early is imported as damaged, with what could be read and the reason.
  for (const file of [zoo.bad.truncatedJpeg, zoo.bad.truncatedPng]) {
    const row = photoByPath(lib, file);
    assert.ok(row, `${path.basename(file)} is imported as damaged; skipped because: ${reasons.get(file)}`);
    assert.equal(row.damaged, 'its image data ends early');
    assert.deepEqual(res.damaged.find((d) => d.path === file), { path: file, reason: 'its image data ends early' });
  }
  expectSkip(zoo.bad.fakeExtension, /not an image/i);
  expectSkip(zoo.bad.bomb, /too large.*50000×50000/i);
  expectSkip(zoo.bad.bmp, /BMP/);
  expectSkip(zoo.bad.selfLink, /loop|cannot read/i);
  expectSkip(zoo.bad.fifo, /not a regular file/i);

  const count = (lib.db.prepare('SELECT count(*) AS n FROM photos').get() as { n: number }).n;
  assert.equal(res.imported, count);
  assert.equal(res.skippedCount, res.skipped.length);
  assert.equal(count, Object.keys(zoo.good).length + 8 + 1 + 2 + (process.getuid?.() === 0 ? 2 : 0));
  // Progress said "N of M" with the current file and ended at 100 %.
  assert.ok(ctx.progressLog.some((p) => /^\d+ of \d+: /.test(p.message ?? '')));
  assert.equal(ctx.progressLog.at(-1)!.fraction, 1);
  // Each photo has both thumbnails on disk, sRGB 8-bit JPEGs no larger than their size.
  for (const row of lib.db.prepare('SELECT sha256, width, height FROM photos').all() as Array<{ sha256: string; width: number; height: number }>) {
    const tp = photoThumbPaths(lib.paths.thumbnails, row.sha256);
    const m = await sharp(tp.thumb).metadata();
    assert.equal(m.format, 'jpeg');
    assert.equal(m.space, 'srgb');
    assert.equal(m.depth, 'uchar');
    assert.ok(Math.max(m.width!, m.height!) <= 256);
    assert.ok(fs.existsSync(tp.preview));
    // Thumbnail keeps the display aspect ratio.
    assert.ok(Math.abs(m.width! / m.height! - row.width / row.height) < 0.05);
  }
});

test('a file whose header claims more pixels than its bytes can hold is refused from its header, fast', async (t) => {
  const { lib } = freshLibrary(t);
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const liar = path.join(dir, 'liar.jpg');
  fs.writeFileSync(liar, await lyingJpeg(16000, 12000));
  const t0 = performance.now();
  const res = await contractHandlers(lib)['library.import']({ paths: [liar] }, testContext());
  const ms = performance.now() - t0;
  assert.equal(res.imported, 0);
  assert.match(res.skipped[0]!.reason, /^This file is damaged: its header claims 16000×12000 pixels, but the file holds only \d+ bytes\.$/);
  assert.ok(ms < 2000, `refused in ${ms.toFixed(0)} ms`);
  assert.equal(fs.readdirSync(lib.paths.thumbnails).length, 0, 'nothing was rendered');
});

test('16-bit, CMYK and grey+alpha originals are recorded with their colour facts', async (t) => {
  const { lib } = freshLibrary(t);
  await contractHandlers(lib)['library.import']({ paths: [zoo.good.tiff16, zoo.good.png16, zoo.good.cmyk, zoo.good.greyAlpha] }, testContext());
  assert.equal(photoByPath(lib, zoo.good.tiff16)!.bit_depth, 16);
  assert.equal(photoByPath(lib, zoo.good.png16)!.bit_depth, 16);
  assert.equal(photoByPath(lib, zoo.good.cmyk)!.color_space, 'cmyk');
  assert.equal(photoByPath(lib, zoo.good.greyAlpha)!.has_alpha, 1);
  assert.equal(photoByPath(lib, zoo.good.greyAlpha)!.color_space, 'b-w');
});

test('thumbnails are colour-managed: a Display P3 photo is converted to sRGB, not just relabelled', async (t) => {
  const { lib } = freshLibrary(t);
  const dir = tempDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const srgb = [100, 180, 60];
  const px = Buffer.alloc(64 * 64 * 3);
  for (let i = 0; i < px.length; i += 3) px.set(srgb, i);
  // withIccProfile converts the (sRGB) pixels into P3 values and tags them: stored values differ from srgb.
  const file = path.join(dir, 'p3.png');
  await sharp(px, { raw: { width: 64, height: 64, channels: 3 } }).withIccProfile('p3').png().toFile(file);
  const res = await contractHandlers(lib)['library.import']({ paths: [file] }, testContext());
  assert.equal(res.imported, 1);
  const row = photoByPath(lib, file)!;
  assert.equal(row.has_icc, 1);
  const { data } = await sharp(photoThumbPaths(lib.paths.thumbnails, row.sha256 as string).thumb).raw().toBuffer({ resolveWithObject: true });
  const got = Array.from(data.subarray(0, 3));
  got.forEach((v, i) => assert.ok(Math.abs(v - srgb[i]!) <= 4, `thumbnail pixel ${got} should be close to sRGB ${srgb}`));
});

test('all eight EXIF orientations give upright thumbnails and display dimensions', async (t) => {
  const { lib } = freshLibrary(t);
  await contractHandlers(lib)['library.import']({ paths: zoo.orientations }, testContext());
  for (let o = 1; o <= 8; o++) {
    const row = photoByPath(lib, zoo.orientations[o - 1]!)!;
    assert.equal(row.orientation, o);
    assert.deepEqual([row.width, row.height], [60, 40], `orientation ${o} display size`);
    const thumb = photoThumbPaths(lib.paths.thumbnails, row.sha256 as string).thumb;
    const { data, info } = await sharp(thumb).raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([info.width, info.height], [60, 40]);
    const pixel = (x: number, y: number) => Array.from(data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3));
    const [r1, , b1] = pixel(5, 5);
    assert.ok(r1! > 150 && b1! < 100, `orientation ${o}: top-left should be red, got ${pixel(5, 5)}`);
    const [r2, , b2] = pixel(54, 34);
    assert.ok(b2! > 150 && r2! < 100, `orientation ${o}: bottom-right should be blue, got ${pixel(54, 34)}`);
    const [r3, , b3] = pixel(54, 5);
    assert.ok(b3! > 150 && r3! < 100, `orientation ${o}: top-right should be blue`);
  }
});

test('unreadable files and folders are skipped with a reason (needs a non-root user)', { skip: process.getuid?.() === 0 ? 'running as root: chmod does not block reads' : false }, async (t) => {
  const { lib } = freshLibrary(t);
  const res = await contractHandlers(lib)['library.import']({ paths: [zoo.unreadableDir, zoo.unreadableFile] }, testContext());
  assert.equal(res.imported, 0);
  assert.match(res.skipped.find((s) => s.path === zoo.unreadableDir)?.reason ?? '', /permission/i);
  assert.match(res.skipped.find((s) => s.path === zoo.unreadableFile)?.reason ?? '', /EACCES|permission/i);
});

test('unicode and very long paths import and keep their names', async (t) => {
  const { lib } = freshLibrary(t);
  const h = contractHandlers(lib);
  const res = await h['library.import']({ paths: [zoo.good.unicode, zoo.good.longPath] }, testContext());
  assert.equal(res.imported, 2, JSON.stringify(res.skipped));
  assert.ok(zoo.good.longPath.length > 400);
  const list = await h['library.listPhotos']({ offset: 0, limit: 10, query: '日本語', filter: { recursive: false }, sort: 'imported' }, testContext());
  assert.equal(list.items.length, 1);
  assert.equal(list.items[0]!.fileName, 'Фото — 日本語 é.jpg');
});

test('a cut-off JPEG or PNG is told by its own structure (no end marker), whatever the decoder says', async () => {
  const { endsEarly } = await import('../../../electron/library/thumbnails.js');
  const jpeg = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#884422' } }).jpeg().toBuffer();
  const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#224488' } }).png().toBuffer();
  assert.equal(await endsEarly(jpeg), false);
  assert.equal(await endsEarly(Buffer.concat([jpeg, Buffer.alloc(16)])), false, 'zero padding after the end marker');
  assert.equal(await endsEarly(jpeg.subarray(0, jpeg.length - 40)), true);
  assert.equal(await endsEarly(png), false);
  assert.equal(await endsEarly(png.subarray(0, png.length - 20)), true);
  assert.equal(await endsEarly(Buffer.from('not an image at all')), false);
  assert.equal(await endsEarly('/nonexistent/file.jpg'), false);
});
