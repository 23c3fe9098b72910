/**
 * Export of many photos from the Library's selection in headless Chromium:
 * the preferred versions (a cropped restoration included), named by a
 * pattern, resized, in a chosen format and metadata choice; the dpi and the
 * ICC profile of each original kept exactly. A folder that is a file is
 * refused with the reason.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import exifReader from 'exif-reader';
import { cloneDataDir, seedDataDir, tempDir } from '../../devkit/services.js';
import { appPerTest } from '../../devkit/browser.js';

const app = appPerTest();
const work = tempDir('restora-e2e-export-');
const src = path.join(work, 'scans');
let seeded: string;

before(async () => {
  fs.mkdirSync(src, { recursive: true });
  await sharp({ create: { width: 240, height: 160, channels: 3, background: '#7a5c3e' } })
    .withIccProfile('p3')
    .withExif({ IFD0: { Artist: 'H. Brandt', ImageDescription: 'At the lake', Make: 'Epson', Model: 'V600' } })
    .withDensity(300)
    .jpeg()
    .toFile(path.join(src, 'lake 1952.jpg'));
  await sharp({ create: { width: 160, height: 200, channels: 3, background: '#3e5c7a' } }).withDensity(72).jpeg().toFile(path.join(src, 'print 1960.jpg'));
  seeded = await seedDataDir(async (broker) => {
    const { photoIds } = await broker.runJob('library.import', { paths: [src] });
    const { items } = await broker.invoke('library.listPhotos', { query: 'print' });
    const print = items.find((p) => p.fileName === 'print 1960.jpg')!.id;
    assert.equal(photoIds.length, 2);
    // A restoration cropped to the left half, made the preferred version.
    const made = await broker.runJob('restore.photo', { photoId: print, settings: { geometry: { crop: { x: 0, y: 0, w: 0.5, h: 1 } } }, label: 'Cropped' });
    await broker.invoke('library.setPreferredVersion', { photoId: print, versionId: made.versionId });
  });
});
after(() => {
  fs.rmSync(work, { recursive: true, force: true });
  if (seeded) fs.rmSync(seeded, { recursive: true, force: true });
});

test('the selection is exported at once: preferred versions, named, resized, with dpi and ICC kept exactly', async (t) => {
  const { page, errors } = await app.open(t, cloneDataDir(seeded));
  page.setDefaultTimeout(20_000);
  await page.getByTestId('photo-count').filter({ hasText: '2 photos' }).waitFor();
  await page.locator('.cell').first().getByRole('button').first().click();
  await page.keyboard.press('Control+a');
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export 2 photos' });

  // A folder that is a file, and a pattern that names every file alike, are refused with the reason.
  fs.writeFileSync(path.join(work, 'a file'), 'x');
  await dialog.getByLabel('Export folder', { exact: true }).fill(path.join(work, 'a file'));
  await dialog.getByLabel('File names').fill('{date}');
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  await dialog.getByRole('alert').filter({ hasText: 'needs {name} or {n}' }).waitFor();
  await dialog.getByLabel('File names').fill('{n} {name} ({version})');
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  await dialog.getByRole('alert').filter({ hasText: 'it is a file, not a folder' }).waitFor();

  const out = path.join(work, 'out');
  await dialog.getByLabel('Export folder', { exact: true }).fill(out);
  await dialog.getByLabel('Export format').selectOption('png');
  await dialog.getByLabel('Resize').check();
  await dialog.getByLabel('Long edge pixels').fill('120');
  await dialog.getByLabel('Metadata').selectOption('essential');
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  await dialog.getByTestId('export-many-result').filter({ hasText: '2 files written' }).waitFor({ timeout: 60_000 });
  const files = fs.readdirSync(out).sort();
  assert.deepEqual(files.map((f) => f.replace(/^\d /, '')).sort(), ['lake 1952 (original).png', 'print 1960 (Cropped).png']);
  assert.deepEqual(files.map((f) => f[0]).sort(), ['1', '2'], 'numbered in the export');
  const lake = await sharp(path.join(out, files.find((f) => f.includes('lake'))!)).metadata();
  const print = await sharp(path.join(out, files.find((f) => f.includes('print'))!)).metadata();
  assert.deepEqual([lake.width, lake.height], [120, 80], 'resized to 120 px on the long side');
  assert.deepEqual([print.width, print.height], [48, 120], 'the crop is kept: the left half (80×200) of the 160×200 print, resized');
  assert.equal(Math.round(lake.density!), 300);
  assert.equal(Math.round(print.density!), 72, 'the restored print states its original’s 72 dpi');
  const iccIn = (await sharp(path.join(src, 'lake 1952.jpg')).metadata()).icc!;
  assert.ok(lake.icc!.equals(iccIn), 'the original’s ICC profile, byte for byte');
  const exif = exifReader(lake.exif!);
  assert.equal(exif.Image?.Artist, 'H. Brandt', 'essential metadata keeps the author');
  assert.deepEqual(errors, []);
});
