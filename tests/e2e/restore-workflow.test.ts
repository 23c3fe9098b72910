/**
 * The Restore panel's workflow in headless Chromium on small generated
 * photos: crop, quarter turn and straighten (typed, and by a dragged horizon)
 * become the version's geometry; bad crops are refused with the reason; a
 * batch lists its photos, pauses, resumes and shows every before/after, one
 * of them full size beside its original; a folder is restored into another
 * through the folder picker, with a format and a naming pattern.
 */
import { test, before, after, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { cloneDataDir, seedDataDir, tempDir } from '../../devkit/services.js';
import { appPerTest, type AppSession } from '../../devkit/browser.js';
import { writeTestPhoto } from '../../devkit/images.js';
import { dataPaths } from '../../electron/node/data-dir.js';
import { Geometry, outputSize } from '../../electron/shared/geometry.js';

const app = appPerTest();
let host: AppSession['host'];
let page: Page;
let errors: string[];
const work = tempDir('restora-e2e-workflow-');
const scans = path.join(work, 'scans');
let imported: string;

before(async () => {
  fs.mkdirSync(scans, { recursive: true });
  for (const [i, name] of ['harbour 1931.png', 'picnic 1948.png', 'wedding 1952.png'].entries()) await writeTestPhoto(path.join(scans, name), 120, 80, i + 1);
  imported = await seedDataDir(async (broker) => {
    await broker.runJob('library.import', { paths: [scans] });
  });
});
after(() => {
  fs.rmSync(work, { recursive: true, force: true });
  if (imported) fs.rmSync(imported, { recursive: true, force: true });
});

async function open(t: TestContext): Promise<void> {
  ({ host, page, errors } = await app.open(t, cloneDataDir(imported)));
  page.setDefaultTimeout(20_000);
  await page.getByTestId('photo-count').filter({ hasText: '3 photos' }).waitFor();
}

function lastVersion(): { width: number; height: number; recipe: { settings: { requested?: { geometry?: unknown } } }; file: string } {
  const db = new Database(dataPaths(host.dataDir).catalog, { readonly: true });
  try {
    const row = db.prepare('SELECT width, height, recipe, file FROM versions ORDER BY id DESC LIMIT 1').get() as { width: number; height: number; recipe: string; file: string };
    return { ...row, recipe: JSON.parse(row.recipe) };
  } finally {
    db.close();
  }
}

test('crop, turn and straighten are the recipe step the version is made with; bad crops say why', async (t) => {
  await open(t);
  await page.locator('.cell', { hasText: 'harbour 1931.png' }).getByRole('button').first().click();
  await page.getByRole('button', { name: /Restore \(1\)/ }).click();
  const editor = page.getByTestId('crop-editor');
  await editor.getByTestId('crop-stage').locator('img').waitFor();
  await editor.getByRole('button', { name: 'Rotate right 90°' }).click();
  // The turn is set before the crop is typed (on a loaded machine the two could otherwise cross).
  await editor.getByTestId('geometry-summary').filter({ hasText: 'Turned 90° clockwise' }).waitFor();
  await editor.getByRole('button', { name: /Type the crop/ }).click();
  const typeCrop = async (x: string, y: string, w: string, h: string) => {
    await editor.getByLabel('Crop left percent').fill(x);
    await editor.getByLabel('Crop top percent').fill(y);
    await editor.getByLabel('Crop width percent').fill(w);
    await editor.getByLabel('Crop height percent').fill(h);
    await editor.getByRole('button', { name: 'Set crop' }).click();
  };
  await typeCrop('10', '10', '0', '50');
  await editor.getByTestId('crop-problem').filter({ hasText: 'The crop width must be above 0 (the crop is empty)' }).waitFor();
  await typeCrop('80', '10', '50', '50');
  await editor.getByTestId('crop-problem').filter({ hasText: 'The crop must lie inside the photo' }).waitFor();
  await typeCrop('0', '0', '5', '5');
  await editor.getByTestId('crop-problem').filter({ hasText: /The crop leaves \d+×\d+ pixels of this 120×80 photo/ }).waitFor();
  await typeCrop('10', '20', '80', '60');
  await editor.getByTestId('geometry-summary').filter({ hasText: 'Turned 90° clockwise, cropped to 80 % × 60 %' }).waitFor();
  await editor.getByLabel('Straighten degrees').fill('3');
  await editor.getByTestId('geometry-summary').filter({ hasText: 'straightened 3.0°' }).waitFor();

  // A horizon dragged falling to the right is levelled by turning anticlockwise.
  await editor.getByRole('button', { name: 'Draw horizon' }).click();
  // The stage shows the photo turned and straightened: it stands up.
  await page.waitForFunction(() => {
    const img = document.querySelector<HTMLImageElement>('[data-testid="crop-stage"] img');
    return !!img && img.complete && img.naturalHeight > img.naturalWidth;
  });
  const box = (await editor.getByTestId('crop-stage').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.52, { steps: 4 });
  await page.mouse.move(box.x + box.width * 0.9, box.y + box.height * 0.55, { steps: 4 });
  await page.mouse.up();
  await editor.getByTestId('geometry-summary').filter({ hasNotText: 'straightened 3.0°' }).waitFor();
  const summary = await editor.getByTestId('geometry-summary').textContent();
  const angle = Number(/straightened (−?)([\d.]+)°/.exec(summary ?? '')!.slice(1).join('').replace('−', '-'));
  assert.ok(angle < 3 && angle > -10, `the dragged horizon turned the photo back (now ${angle}°): ${summary}`);

  // The region preview is of the cropped photo, and opens full size beside its original.
  await page.getByTestId('run-preview').click();
  await page.getByTestId('preview-result').getByRole('button', { name: 'Open full size' }).click({ timeout: 120_000 });
  const viewer = page.getByTestId('fullsize-viewer');
  await page.waitForFunction(() => {
    const imgs = [...document.querySelectorAll<HTMLImageElement>('[data-testid="fullsize-viewer"] img')];
    return imgs.length === 2 && imgs.every((i) => i.complete && i.naturalWidth > 0);
  });
  assert.deepEqual(await viewer.locator('figcaption').allTextContents(), ['Original', 'Restored']);
  await viewer.getByRole('button', { name: 'Zoom in' }).click();
  await page.keyboard.press('Escape');
  await viewer.waitFor({ state: 'detached' });

  await page.getByTestId('run-restore').click();
  await page.getByTestId('restore-status').filter({ hasText: 'Restored 1 photo(s)' }).waitFor({ timeout: 120_000 });
  const v = lastVersion();
  const geometry = Geometry.parse(v.recipe.settings.requested?.geometry);
  assert.equal(geometry.rotate, 90);
  assert.ok(Math.abs(geometry.straighten - angle) < 0.051, `${geometry.straighten} vs ${angle}`);
  assert.deepEqual(geometry.crop && [geometry.crop.w, geometry.crop.h].map((n) => Math.round(n * 100)), [80, 60]);
  const expected = outputSize({ width: 120, height: 80 }, geometry);
  assert.deepEqual([v.width, v.height], [expected.width, expected.height], 'the version is the cropped, turned photo');
  const meta = await sharp(v.file).metadata();
  assert.deepEqual([meta.width, meta.height], [expected.width, expected.height]);
  assert.ok(expected.height > expected.width, 'turned to portrait');
  assert.deepEqual(errors, []);
});

test('a batch lists its photos with thumbnails and progress, pauses, resumes, and shows every before/after full size', async (t) => {
  await open(t);
  await page.locator('.cell', { hasText: 'harbour 1931.png' }).getByRole('button').first().click();
  await page.keyboard.press('Control+a');
  await page.getByRole('button', { name: /Restore \(3\)/ }).click();
  await page.getByTestId('run-restore').click();
  const batch = page.getByTestId('batch');
  await batch.getByTestId('batch-item').nth(2).waitFor();
  assert.deepEqual((await batch.locator('.batch-name').allTextContents()).sort(), ['harbour 1931.png', 'picnic 1948.png', 'wedding 1952.png']);
  assert.equal(await batch.locator('img.batch-thumb').count(), 3, 'each photo has its thumbnail');
  await batch.getByRole('button', { name: 'Pause' }).click();
  await batch.getByTestId('batch-summary').filter({ hasText: 'paused' }).waitFor({ timeout: 120_000 });
  // Paused between photos: those done are done, the rest wait; none is running.
  await page.waitForFunction(() => {
    const states = [...document.querySelectorAll('[data-testid="batch-item"]')].map((e) => e.getAttribute('data-state'));
    return states.includes('done') && states.includes('queued') && !states.includes('running');
  });
  const states = await batch.getByTestId('batch-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
  await page.waitForTimeout(800);
  assert.deepEqual(await batch.getByTestId('batch-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-state'))), states, 'nothing runs while paused');
  await batch.getByRole('button', { name: 'Resume' }).click();
  // Leaving the panel while the batch runs and coming back: it is followed again.
  await page.getByRole('tab', { name: 'Jobs' }).click();
  await page.getByRole('tab', { name: 'Restore' }).click();
  await batch.getByTestId('batch-item').nth(2).waitFor();
  await batch.getByTestId('batch-outcome').filter({ hasText: 'Restored 3 of 3 photos' }).waitFor({ timeout: 180_000 });
  assert.equal(await batch.getByTestId('result-strip').locator('.result-pair').count(), 3);
  await batch.getByRole('button', { name: 'Open picnic 1948.png full size' }).click();
  const viewer = page.getByTestId('fullsize-viewer');
  await viewer.waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('[data-testid="fullsize-viewer"] img')].every((i) => i.complete && i.naturalWidth > 0));
  const srcs = await viewer.locator('img').evaluateAll((els) => els.map((e) => (e as HTMLImageElement).src));
  assert.ok(/\/media\/photo\/\d+\//.test(srcs[0]!) && /\/media\/version\/\d+\//.test(srcs[1]!), `original beside the result: ${srcs.join(' ')}`);
  await viewer.getByRole('button', { name: '100%' }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="fullsize-viewer"] [data-testid="zoom-readout"]')].every((e) => e.textContent === '100%'));
  await page.keyboard.press('Escape');
  await viewer.waitFor({ state: 'detached' });
  // Leaving the panel after the batch finished and coming back to the same photos: its results are still there.
  await page.getByRole('tab', { name: 'Jobs' }).click();
  await page.getByRole('tab', { name: 'Restore' }).click();
  await batch.getByTestId('batch-outcome').filter({ hasText: 'Restored 3 of 3 photos' }).waitFor();
  assert.equal(await batch.getByTestId('result-strip').locator('.result-pair').count(), 3);
  // Choosing other photos clears the finished batch.
  await page.getByRole('tab', { name: 'Library' }).click();
  await page.locator('.cell', { hasText: 'wedding 1952.png' }).getByRole('button').first().click();
  await page.getByRole('button', { name: /Restore \(1\)/ }).click();
  await page.getByTestId('crop-editor').waitFor();
  assert.equal(await page.getByTestId('batch').count(), 0);
  assert.deepEqual(errors, []);
});

test('a folder is restored into another, chosen with the folder picker, in a format and a naming pattern', async (t) => {
  await open(t);
  await page.getByRole('tab', { name: 'Restore' }).click();
  const card = page.getByTestId('folder-batch');
  await card.getByLabel('Input folder', { exact: true }).fill(path.join(work, 'not there'));
  await card.getByRole('button', { name: 'Browse for input folder' }).click();
  const picker = page.getByTestId('folder-picker');
  await page.getByRole('alert').filter({ hasText: 'not there does not exist' }).waitFor();
  await page.getByRole('dialog', { name: 'Choose: Input folder' }).getByRole('button', { name: 'Close' }).click();
  await card.getByLabel('Input folder', { exact: true }).fill(work);
  await card.getByRole('button', { name: 'Browse for input folder' }).click();
  await picker.getByRole('button', { name: /scans/ }).click();
  await picker.getByTestId('folder-picker-path').filter({ hasText: scans }).waitFor();
  await picker.getByText('3 images here').waitFor();
  await picker.getByRole('button', { name: 'Use this folder' }).click();
  assert.equal(await card.getByLabel('Input folder', { exact: true }).inputValue(), scans);
  const out = path.join(work, 'restored');
  await card.getByLabel('Output folder', { exact: true }).fill(out);
  await card.getByLabel('Output format').selectOption('webp');
  await card.getByLabel('Naming pattern').fill('{date}');
  await card.getByRole('button', { name: 'Restore folder' }).click();
  await page.getByRole('alert').filter({ hasText: 'needs {name} or {n}' }).waitFor();
  await card.getByLabel('Naming pattern').fill('{n}-{name}-fixed');
  await card.getByRole('button', { name: 'Restore folder' }).click();
  const batch = page.getByTestId('batch');
  await batch.getByTestId('batch-outcome').filter({ hasText: 'Restored 3 of 3 photos' }).waitFor({ timeout: 180_000 });
  assert.deepEqual(fs.readdirSync(out).sort(), ['1-harbour 1931-fixed.webp', '2-picnic 1948-fixed.webp', '3-wedding 1952-fixed.webp']);
  assert.equal((await sharp(path.join(out, '1-harbour 1931-fixed.webp')).metadata()).format, 'webp');
  assert.equal(await batch.getByTestId('result-strip').locator('img').count(), 6, 'before and after of each file');
  assert.deepEqual(errors, []);
});
