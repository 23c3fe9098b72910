/**
 * A version's recipe in headless Chromium: everything that decided it is
 * shown; "Re-run" makes a new version with the same settings; "apply this
 * recipe to the selected photos" restores them in one batch, saying how a
 * crop drawn on a photo of another size was placed, and why a photo too
 * small for it failed; a copied recipe is applied from the Library's
 * selection bar.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { cloneDataDir, seedDataDir, tempDir } from '../../devkit/services.js';
import { appPerTest } from '../../devkit/browser.js';
import { writeTestPhoto } from '../../devkit/images.js';

const app = appPerTest();
const work = tempDir('restora-e2e-recipe-');
let seeded: string;

before(async () => {
  const src = path.join(work, 'scans');
  fs.mkdirSync(src, { recursive: true });
  await writeTestPhoto(path.join(src, 'harbour.png'), 120, 80, 1);
  await writeTestPhoto(path.join(src, 'square.png'), 100, 100, 2);
  await writeTestPhoto(path.join(src, 'tiny.png'), 24, 24, 3);
  await writeTestPhoto(path.join(src, 'street.png'), 90, 60, 4);
  seeded = await seedDataDir(async (broker) => {
    await broker.runJob('library.import', { paths: [src] });
    const { items } = await broker.invoke('library.listPhotos', { query: 'harbour' });
    const photoId = items.find((p) => p.fileName === 'harbour.png')!.id;
    await broker.runJob('restore.photo', { photoId, settings: { instruction: 'remove the dust', geometry: { crop: { x: 0, y: 0, w: 0.5, h: 1 } } }, label: 'Left half' });
  });
});
after(() => {
  fs.rmSync(work, { recursive: true, force: true });
  if (seeded) fs.rmSync(seeded, { recursive: true, force: true });
});

const cell = (page: Page, name: string) => page.locator('.cell', { hasText: name }).locator('.cell-button');

test('the recipe shows what decided a version; re-run; apply it to the selected photos; paste it from the selection bar', async (t) => {
  const { page, errors } = await app.open(t, cloneDataDir(seeded));
  page.setDefaultTimeout(20_000);
  await page.getByTestId('photo-count').filter({ hasText: '4 photos' }).waitFor();
  await cell(page, 'square.png').click();
  await cell(page, 'tiny.png').click({ modifiers: ['Control'] });
  await cell(page, 'harbour.png').click({ modifiers: ['Control'] });
  await page.getByTestId('selection-count').filter({ hasText: '3 selected' }).waitFor();
  await page.keyboard.press('Enter');
  await page.getByTestId('photo-title').filter({ hasText: 'harbour.png' }).waitFor();
  await page.getByRole('button', { name: 'Recipe of Left half' }).click();

  const dialog = page.getByRole('dialog', { name: 'Recipe of “Left half”' });
  const recipe = dialog.getByTestId('recipe');
  const line = async (label: string) => (await recipe.locator(`.recipe-line[data-label="${label}"] dd`).textContent()) ?? '';
  assert.equal(await line('Instruction'), '“remove the dust”');
  assert.match(await line('Understood as'), /\w+: \w+/);
  assert.match(await line('Mode'), /^fast$/);
  assert.match(await line('Fidelity'), /^0\.7 /);
  assert.match(await line('Tone'), /\w/);
  assert.match(await line('Repair mask'), /\w/);
  assert.equal(await line('Crop and turn'), 'Cropped to 50 % × 100 %');
  assert.match(await line('Adapter'), /none/);
  assert.match(await line('Models'), /restora-\S+ \d+\.\d+\.\d+ \([0-9a-f]{12}\)/);
  assert.match(await line('Seed'), /none/);

  await dialog.getByRole('button', { name: 'Re-run' }).click();
  await dialog.getByTestId('rerun-result').filter({ hasText: 'Re-run done' }).waitFor({ timeout: 120_000 });

  await dialog.getByRole('button', { name: 'Apply this recipe to the 2 selected photos' }).click();
  const batch = dialog.getByTestId('batch');
  await batch.getByTestId('batch-outcome').filter({ hasText: 'Restored 1 of 2 photos; 1 failed' }).waitFor({ timeout: 120_000 });
  const square = batch.getByTestId('batch-item').filter({ hasText: 'square.png' });
  assert.equal(await square.getAttribute('data-state'), 'done');
  await square.getByText('The crop was drawn on a 120×80 photo; it was placed at the same relative position on this 100×100 one').waitFor();
  const tiny = batch.getByTestId('batch-item').filter({ hasText: 'tiny.png' });
  assert.equal(await tiny.getAttribute('data-state'), 'failed');
  await tiny.getByText(/The crop leaves 12×24 pixels of this 24×24 photo/).waitFor();

  // Copy it, and paste it onto another selection from the Library.
  await dialog.getByRole('button', { name: 'Copy recipe' }).click();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await page.keyboard.press('Escape');
  await page.getByTestId('photo-view').waitFor({ state: 'detached' });
  await cell(page, 'street.png').click();
  await page.getByRole('button', { name: 'Apply recipe…' }).click();
  const paste = page.getByRole('dialog', { name: /Apply the recipe of “Left half” of harbour.png/ });
  await paste.getByRole('button', { name: 'Apply the recipe to the 1 selected photo' }).click();
  await paste.getByTestId('batch-outcome').filter({ hasText: 'Restored 1 of 1 photo' }).waitFor({ timeout: 120_000 });
  await paste.getByRole('button', { name: 'Close' }).click();
  await cell(page, 'street.png').locator('..').locator('.badge.versions', { hasText: '1' }).waitFor();
  assert.deepEqual(errors, []);
});
