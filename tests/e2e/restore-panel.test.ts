/**
 * The Restore panel on a real portrait (Face Research Lab London Set,
 * CC-BY 4.0) in headless Chromium: analysis and face boxes, cancelling a
 * running job, then a full restore that becomes a version, compared before/after;
 * then a generative restore with the fidelity, steps and variation controls;
 * then the understood settings as chips, one changed and the preview run again.
 */
import { test, before, after, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { cloneDataDir, seedDataDir, tempDir } from '../../devkit/services.js';
import { appPerTest, type AppSession } from '../../devkit/browser.js';
import Database from 'better-sqlite3';
import { sharedDataDir } from '../../devkit/shared-data.js';
import { dataPaths } from '../../electron/node/data-dir.js';

const app = appPerTest();
let host: AppSession['host'];
let page: Page;
let errors: string[];
let folder: string;
/** A library with the portrait imported. */
let imported: string;

before(async () => {
  folder = tempDir('restora-e2e-portrait-');
  const src = path.join(sharedDataDir(), 'faces-flr', 'neutral_front', '014_03.jpg');
  await sharp(src).resize(640, 640).modulate({ saturation: 0.3 }).jpeg({ quality: 40 }).toFile(path.join(folder, 'Aunt Edith 1962.jpg'));
  imported = await seedDataDir(async (broker) => {
    await broker.runJob('library.import', { paths: [folder] });
  });
});
after(() => {
  fs.rmSync(folder, { recursive: true, force: true });
  if (imported) fs.rmSync(imported, { recursive: true, force: true });
});

async function open(t: TestContext, library: 'empty' | 'imported'): Promise<void> {
  ({ host, page, errors } = await app.open(t, library === 'imported' ? cloneDataDir(imported) : undefined));
}

/** Selects the portrait in the library and opens the Restore tab on it. */
async function restorePortrait(): Promise<void> {
  await page.locator('.cell', { hasText: 'Aunt Edith 1962.jpg' }).getByRole('button').first().click();
  await page.getByRole('button', { name: /Restore \(1\)/ }).click();
  await page.getByTestId('analysis').waitFor({ timeout: 60_000 });
}

test('analysis shows the face; a running restore can be cancelled; a full restore becomes a version', async (t) => {
  await open(t, 'empty');
  await page.getByLabel('Folder or file to import').fill(folder);
  await page.getByRole('button', { name: 'Import' }).click();
  await page.getByTestId('photo-count').filter({ hasText: '1 photo' }).waitFor({ timeout: 30_000 });
  await restorePortrait();
  const faceBox = page.getByRole('button', { name: /Face 1: will be restored/ });
  await faceBox.waitFor();
  await faceBox.click();
  await page.getByRole('button', { name: /Face 1: left as it is/ }).click();
  // Turned a quarter: the face is still offered, where the turn puts it (a portrait's face box moves from the top to the side).
  const upright = await faceBox.boundingBox();
  await page.getByRole('button', { name: 'Rotate right 90°' }).click();
  await page.getByTestId('geometry-summary').filter({ hasText: 'Turned 90° clockwise' }).waitFor();
  await page.waitForFunction(() => document.querySelector('.region-picker img') instanceof HTMLImageElement && (document.querySelector('.region-picker img') as HTMLImageElement).complete);
  const turnedBox = await page.getByRole('button', { name: /Face 1: will be restored/ }).boundingBox();
  assert.ok(upright && turnedBox && Math.abs(turnedBox.x - upright.x) + Math.abs(turnedBox.y - upright.y) > 2, `the box moved with the turn: ${JSON.stringify(upright)} → ${JSON.stringify(turnedBox)}`);
  await page.getByRole('button', { name: 'Rotate left 90°' }).click();

  // Cancel a running job: nothing is saved.
  await page.getByLabel('Instruction', { exact: true }).fill("make the face sharper, don't change it");
  await page.getByTestId('run-restore').click();
  await page.getByRole('progressbar').waitFor();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByTestId('restore-status').filter({ hasText: 'Cancelled' }).waitFor({ timeout: 20_000 });

  // The whole photo, for real.
  await page.getByTestId('run-restore').click();
  await page.getByTestId('restore-status').filter({ hasText: 'Restored 1 photo(s)' }).waitFor({ timeout: 120_000 });
  await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.compare img')].every((i) => i.complete && i.naturalWidth > 0), undefined, { timeout: 20_000 });

  // Exactly one version exists (the cancelled run left nothing), and its recipe has the face.
  const versions = fs.readdirSync(path.join(host.dataDir, 'versions'), { recursive: true }).filter((f) => String(f).endsWith('.png'));
  assert.equal(versions.length, 1);
  assert.deepEqual(errors, []);
});

test('generative mode: fidelity, steps and a variation seed reach the engine and the version records them', async (t) => {
  await open(t, 'imported');
  await restorePortrait();
  await page.getByLabel('Mode').selectOption('generative');
  await page.getByLabel('Fidelity').fill('0.5');
  await page.getByLabel('Steps').selectOption('2');
  await page.getByLabel('Variation').check();
  await page.getByLabel('Seed').fill('42');
  await page.getByTestId('run-restore').click();
  await page.getByTestId('restore-status').filter({ hasText: 'Restored 1 photo(s)' }).waitFor({ timeout: 180_000 });
  // The identity check: the restored face is compared with the person in the original.
  await page.getByTestId('face-checks').filter({ hasText: /Face 1: same person (likely|unsure) \(drift \d\.\d\d\)/ }).waitFor({ timeout: 20_000 });
  const db = new Database(dataPaths(host.dataDir).catalog, { readonly: true });
  try {
    const row = db.prepare('SELECT recipe FROM versions ORDER BY id DESC LIMIT 1').get() as { recipe: string };
    const recipe = JSON.parse(row.recipe);
    assert.equal(recipe.mode, 'generative');
    assert.equal(recipe.fidelity, 0.5);
    assert.equal(recipe.seed, 42);
    assert.deepEqual([recipe.settings.generative.steps, recipe.settings.generative.deterministic], [2, false]);
  } finally {
    db.close();
  }
  assert.deepEqual(errors, []);
});

test('every understood setting is a chip, words and photo alike; choosing another value re-runs the preview with it', async (t) => {
  await open(t, 'imported');
  await restorePortrait();
  await page.getByLabel('Instruction', { exact: true }).fill('remove the scratches but keep the grain');
  await page.getByTestId('run-preview').click();
  const grain = page.getByTestId('setting-grain');
  await grain.waitFor({ timeout: 120_000 });
  assert.ok((await page.locator('[data-testid^="setting-"]').count()) >= 13, 'a chip for every setting');
  assert.equal(await grain.getAttribute('data-source'), 'words');
  assert.equal(await grain.locator('select').inputValue(), 'keep');
  assert.ok(['photo', 'default'].includes((await page.getByTestId('setting-noise').getAttribute('data-source'))!), 'what the photo decided is shown too');
  await grain.locator('select').selectOption('remove');
  await page.locator('[data-testid="setting-grain"][data-source="edit"]').waitFor({ timeout: 120_000 });
  assert.equal(await page.getByTestId('setting-grain').locator('select').inputValue(), 'remove');
  // Strength is a slider as well: letting it go at 0.3 re-runs the preview with that blend.
  await page.getByTestId('strength-slider').fill('0.3');
  await page.locator('[data-testid="setting-strength"][data-source="edit"]').waitFor({ timeout: 120_000 });
  assert.equal(await page.getByTestId('setting-strength').locator('select').inputValue(), '0.3');
  assert.equal(await page.getByTestId('setting-grain').locator('select').inputValue(), 'remove', 'the earlier edit stays');
  assert.deepEqual(errors, []);
});
