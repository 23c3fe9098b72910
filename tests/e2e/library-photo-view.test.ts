/**
 * The photo view end to end: versions made by the real engine through the
 * Restore tab, then opened from the grid: metadata, compare any two versions
 * with synced zoom, rename, prefer, delete (with confirm), export (the file
 * exists and says Restora in its EXIF), and keyboard navigation.
 */
import { test, before, after, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import exifReader from 'exif-reader';
import type { Page } from 'playwright-core';
import { cloneDataDir, seedDataDir, tempDir } from '../../devkit/services.js';
import { appPerTest } from '../../devkit/browser.js';
import { makePhotoFolder } from '../../devkit/make-images.js';

const app = appPerTest();
let page: Page;
let errors: string[];
let folder: string;
/** The three photos imported and IMG_0002 restored twice ("remove the dust", then "brighten the faded sky"), as the first test does through the UI. */
let restored: string;

before(async () => {
  folder = tempDir('restora-e2e-photo-');
  // Small photos (with their camera EXIF) keep the engine runs quick on a 2-core machine.
  for (const file of await makePhotoFolder(folder, 3)) {
    const small = await sharp(file).resize(320, 320, { fit: 'inside' }).keepExif().jpeg({ quality: 90 }).toBuffer();
    fs.writeFileSync(file, small);
  }
  restored = await seedDataDir(async (broker) => {
    await broker.runJob('library.import', { paths: [folder] });
    const { items } = await broker.invoke('library.listPhotos', { query: 'IMG_0002' });
    const photoId = items.find((p) => p.fileName === 'IMG_0002.jpg')!.id;
    for (const instruction of ['remove the dust', 'brighten the faded sky']) {
      await broker.runJob('restore.photo', { photoId, settings: { instruction, mode: 'fast', fidelity: 0.7 } });
    }
  });
});
after(() => {
  fs.rmSync(folder, { recursive: true, force: true });
  if (restored) fs.rmSync(restored, { recursive: true, force: true });
});

/** The app on an empty library, or on a copy of the restored one with IMG_0002 open in the photo view. */
async function open(t: TestContext, library: 'empty' | 'restored'): Promise<void> {
  ({ page, errors } = await app.open(t, library === 'restored' ? cloneDataDir(restored) : undefined));
  page.setDefaultTimeout(15_000);
  if (library === 'empty') return;
  await page.getByLabel('Sort by').selectOption('name');
  await page.locator('.cell', { hasText: 'IMG_0002.jpg' }).locator('.badge.versions', { hasText: '2' }).waitFor();
  await page.locator('.cell', { hasText: 'IMG_0002.jpg' }).locator('.cell-button').dblclick();
  await view().waitFor();
  await page.getByTestId('photo-title').filter({ hasText: 'IMG_0002.jpg' }).waitFor();
}

const view = () => page.getByTestId('photo-view');
const imagesLoaded = (selector: string) =>
  page.waitForFunction((s) => {
    const imgs = [...document.querySelectorAll<HTMLImageElement>(s)];
    return imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0);
  }, selector, { timeout: 20_000 });

test('two restorations of one photo are made through the Restore tab', async (t) => {
  await open(t, 'empty');
  await page.getByLabel('Folder or file to import').fill(folder);
  await page.getByRole('button', { name: 'Import' }).click();
  await page.getByTestId('import-report').filter({ hasText: 'Imported 3 photo(s)' }).waitFor({ timeout: 30_000 });
  await page.getByLabel('Sort by').selectOption('name');
  for (const instruction of ['remove the dust', 'brighten the faded sky']) {
    await page.locator('.cell', { hasText: 'IMG_0002.jpg' }).locator('.cell-button').click();
    await page.getByRole('button', { name: /Restore \(1\)/ }).click();
    await page.getByLabel('Instruction', { exact: true }).fill(instruction);
    await page.getByTestId('run-restore').click();
    await page.getByTestId('restore-status').filter({ hasText: 'Restored 1 photo(s)' }).waitFor({ timeout: 60_000 });
    await page.getByRole('tab', { name: 'Library' }).click();
    await page.getByLabel('Sort by').selectOption('name');
  }
  await page.locator('.cell', { hasText: 'IMG_0002.jpg' }).locator('.badge.versions', { hasText: '2' }).waitFor();
  assert.deepEqual(errors, []);
});

test('the photo view shows the picture, its metadata and its version stack', async (t) => {
  await open(t, 'restored');
  const facts = page.getByTestId('metadata');
  await facts.getByText('Restora Fixture Cam').waitFor();
  await facts.getByText(/^\d+ × \d+/).waitFor();
  await facts.getByText(/JPEG · /).waitFor();
  await facts.getByText(/1987/).waitFor();
  await facts.getByText(/srgb · 8-bit/).waitFor();
  const stack = page.getByRole('region', { name: 'Versions' });
  await stack.getByText('“remove the dust”').waitFor();
  await stack.getByText('“brighten the faded sky”').waitFor();
  await imagesLoaded('.zoom-img');
  await page.keyboard.press('+');
  await page.getByTestId('zoom-readout').filter({ hasNotText: /^\s*$/ }).waitFor();
  await page.getByRole('button', { name: '100%' }).click();
  await page.getByTestId('zoom-readout').filter({ hasText: /^100%$/ }).waitFor();
  await page.getByRole('button', { name: 'Fit' }).click();
  assert.deepEqual(errors, []);
});

test('any two versions compare side by side with the same zoom and pan', async (t) => {
  await open(t, 'restored');
  await page.getByRole('button', { name: 'Compare' }).click();
  const compare = page.getByTestId('compare');
  await compare.waitFor();
  await page.getByLabel('Left side').selectOption({ label: 'Restoration 1' });
  await page.getByLabel('Right side').selectOption({ label: 'Restoration 2' });
  await imagesLoaded('[data-testid="compare"] .zoom-img');
  const srcs = await compare.locator('.zoom-img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).src));
  assert.equal(srcs.length, 2);
  assert.match(srcs[0]!, /\/media\/version\/\d+\/preview/);
  assert.match(srcs[1]!, /\/media\/version\/\d+\/preview/);
  assert.notEqual(srcs[0], srcs[1]);
  await compare.getByText('Restoration 1').waitFor();

  // Zoom in around a point and pan: both sides move together.
  const box = (await compare.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.4);
  await page.mouse.wheel(0, -400);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.3 + 40, box.y + box.height * 0.4 + 25, { steps: 4 });
  await page.mouse.up();
  const transforms = await compare.locator('.zoom-img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLElement).style.transform));
  assert.match(transforms[0]!, /scale\(/);
  assert.equal(transforms[0], transforms[1]);
  assert.ok(Number(await compare.getAttribute('data-scale')) > 0, 'zoomed');

  const divider = page.getByRole('slider', { name: 'Before/after divider' });
  await divider.focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await divider.getAttribute('aria-valuenow'), '55');
  assert.deepEqual(errors, []);
});

test('a version is renamed, preferred, exported with its metadata, and another deleted', async (t) => {
  await open(t, 'restored');
  const out = tempDir('restora-e2e-export-');
  t.after(() => fs.rmSync(out, { recursive: true, force: true }));
  // Side by side, so the rename shows in the compare menus too.
  await page.getByRole('button', { name: 'Compare' }).click();
  await page.getByTestId('compare').waitFor();
  const stack = page.getByRole('region', { name: 'Versions' });
  await stack.getByRole('button', { name: 'Rename Restoration 2' }).click();
  await page.getByLabel('Version name').fill('Sky fixed');
  await page.getByLabel('Version name').press('Enter');
  await stack.getByRole('button', { name: 'Sky fixed', exact: true }).waitFor();
  await page.getByLabel('Right side').locator('option', { hasText: 'Sky fixed' }).waitFor({ state: 'attached' });
  await stack.getByRole('button', { name: 'Prefer Sky fixed' }).click();
  await stack.locator('[data-version-id]', { hasText: 'Sky fixed' }).locator('.badge', { hasText: 'preferred' }).waitFor();

  await page.getByLabel('What to export').selectOption({ label: 'Sky fixed' });
  await page.getByLabel('Export folder').fill(out);
  await page.getByLabel('Export format').selectOption('jpeg');
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const result = page.getByTestId('export-result');
  await result.waitFor({ timeout: 30_000 });
  const written = fs.readdirSync(out);
  assert.equal(written.length, 1);
  assert.match(written[0]!, /Sky fixed\.jpg$/);
  assert.match((await result.textContent())!, /Sky fixed\.jpg/);
  const meta = await sharp(path.join(out, written[0]!)).metadata();
  assert.equal(meta.format, 'jpeg');
  const exif = exifReader(meta.exif!);
  assert.match(String(exif.Image?.Software), /Restora/);
  assert.equal(exif.Image?.Model, 'Fixture Cam');

  await stack.getByRole('button', { name: 'Delete Restoration 1' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete version' }).click();
  await stack.locator('[data-version-id]').first().waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-version-id]').length === 1);
  assert.equal(await stack.getByText('Restoration 1').count(), 0);
  assert.deepEqual(errors, []);
});

test('the preferred version is what the grid and the photo view show and Export offers; O shows the original', async (t) => {
  await open(t, 'restored');
  // The first restoration became the preferred version: the photo view shows it alone.
  await imagesLoaded('.zoom-img');
  const shown = () => view().locator('.zoom-img').first().getAttribute('src');
  assert.match((await shown())!, /\/media\/version\/\d+\/preview/);
  assert.equal(await page.getByLabel('Show side').locator('option:checked').textContent(), 'Restoration 1');
  assert.equal(await page.getByLabel('What to export').locator('option:checked').textContent(), 'Restoration 1');
  // One key shows the original, the same key goes back.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('o');
  await page.waitForFunction(() => /\/media\/photo\/\d+\/preview/.test(document.querySelector<HTMLImageElement>('[data-testid="photo-view"] .zoom-img')?.src ?? ''));
  await page.keyboard.press('o');
  await page.waitForFunction(() => /\/media\/version\/\d+\/preview/.test(document.querySelector<HTMLImageElement>('[data-testid="photo-view"] .zoom-img')?.src ?? ''));
  // Compare: the original before, the preferred version after.
  await page.keyboard.press('c');
  await page.getByTestId('compare').waitFor();
  assert.equal(await page.getByLabel('Left side').locator('option:checked').textContent(), 'Original');
  assert.equal(await page.getByLabel('Right side').locator('option:checked').textContent(), 'Restoration 1');
  // Preferring another version changes what the grid shows.
  const stack = page.getByRole('region', { name: 'Versions' });
  await stack.getByRole('button', { name: 'Prefer Restoration 2' }).click();
  await stack.locator('[data-version-id]', { hasText: 'Restoration 2' }).locator('.badge', { hasText: 'preferred' }).waitFor();
  const preferredId = await stack.locator('[data-version-id]', { hasText: 'Restoration 2' }).getAttribute('data-version-id');
  await page.keyboard.press('Escape');
  await view().waitFor({ state: 'detached' });
  const thumb = page.locator('.cell', { hasText: 'IMG_0002.jpg' }).locator('img');
  await page.waitForFunction((id) => new RegExp(`/media/version/${id}/thumb`).test(document.querySelector<HTMLImageElement>('.cell[data-photo-id] img[alt="IMG_0002.jpg"]')?.src ?? ''), preferredId);
  assert.match((await thumb.getAttribute('src'))!, /\/media\/version\/\d+\/thumb/);
  const plain = page.locator('.cell', { hasText: 'IMG_0001.jpg' }).locator('img');
  assert.match((await plain.getAttribute('src'))!, /\/media\/photo\/\d+\/thumb/, 'a photo without versions shows its original');
  assert.deepEqual(errors, []);
});

test('arrow keys move between photos and Esc returns to the grid with the photo selected', async (t) => {
  await open(t, 'restored');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('ArrowRight');
  await page.getByTestId('photo-title').filter({ hasText: 'IMG_0003.jpg' }).waitFor();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.getByTestId('photo-title').filter({ hasText: 'IMG_0001.jpg' }).waitFor();
  await page.keyboard.press('3');
  await page.getByRole('button', { name: 'Rate 3 stars' }).and(page.locator('[aria-pressed="true"]')).waitFor();
  await page.keyboard.press('Escape');
  await view().waitFor({ state: 'detached' });
  await page.locator('.cell[aria-selected="true"]', { hasText: 'IMG_0001.jpg' }).waitFor();
  await page.keyboard.press('Enter');
  await page.getByTestId('photo-title').filter({ hasText: 'IMG_0001.jpg' }).waitFor();
  await page.keyboard.press('Escape');
  assert.deepEqual(errors, []);
});
