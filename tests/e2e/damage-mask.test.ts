/**
 * The damage mask editor in headless Chromium on a real photograph (bsds500
 * val) with a bright scratch drawn across it: Find damage shows the mask, a
 * brush stroke adds to it and Undo takes it back, "Use this mask" sends it,
 * and the restore repairs exactly that mask (the version keeps it beside
 * itself and its recipe says the mask was the user's).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { cloneDataDir, seedDataDir, tempDir } from '../../devkit/services.js';
import { appPerTest } from '../../devkit/browser.js';
import { sharedDataDir } from '../../devkit/shared-data.js';
import { dataPaths } from '../../electron/node/data-dir.js';

const app = appPerTest();
let folder: string;
let imported: string;

before(async () => {
  folder = tempDir('restora-e2e-mask-');
  const src = path.join(sharedDataDir(), 'bsds500', 'val', '101085.jpg');
  const { data, info } = await sharp(src).resize(320, 214, { fit: 'fill' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  // A bright, slightly slanted scratch, 2 px wide, across most of the photo.
  for (let x = 20; x < 300; x++) {
    const y = Math.round(60 + x * 0.25);
    for (const yy of [y, y + 1]) for (let c = 0; c < 3; c++) data[(yy * info.width + x) * 3 + c] = 245;
  }
  await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } }).png().toFile(path.join(folder, 'Scratched 1931.png'));
  imported = await seedDataDir(async (broker) => {
    await broker.runJob('library.import', { paths: [folder] });
  });
});
after(() => {
  fs.rmSync(folder, { recursive: true, force: true });
  if (imported) fs.rmSync(imported, { recursive: true, force: true });
});

// "<0.1%" (a few marked pixels) reads as 0.1.
const share = async (page: Page) => Number(/covers <?([\d.]+)%/.exec((await page.getByTestId('mask-share').textContent()) ?? '')?.[1]);

test('find damage, paint, undo, use the mask: the restore repairs the edited mask and keeps it with the version', async (t) => {
  const { host, page, errors } = await app.open(t, cloneDataDir(imported));
  await page.locator('.cell', { hasText: 'Scratched 1931.png' }).getByRole('button').first().click();
  await page.getByRole('button', { name: /Restore \(1\)/ }).click();
  await page.getByLabel('Instruction', { exact: true }).fill('remove the scratches');
  await page.getByRole('button', { name: 'Find damage' }).click();
  await page.getByTestId('mask-share').waitFor({ timeout: 90_000 });
  const found = await share(page);
  assert.match((await page.getByTestId('mask-share').textContent()) ?? '', /320×214/);

  // A stroke across an empty corner adds to the mask; Undo takes it back exactly.
  const canvas = page.getByLabel('Damage mask: drag to paint or erase');
  await canvas.scrollIntoViewIfNeeded();
  // The photo under the mask has arrived (the media server makes its preview on demand).
  await page.waitForFunction(() => {
    const img = document.querySelector<HTMLImageElement>('.mask-stage img');
    return !!img && img.complete && img.naturalWidth > 0;
  }, undefined, { timeout: 60_000 });
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.05, box.y + box.height * 0.9);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.9, { steps: 8 });
  await page.mouse.up();
  await page.waitForFunction((before) => Number(/covers <?([\d.]+)%/.exec(document.querySelector('[data-testid=mask-share]')?.textContent ?? '')?.[1]) > before, found);
  const painted = await share(page);
  await page.getByRole('button', { name: 'Undo' }).click();
  await page.waitForFunction((v) => Number(/covers <?([\d.]+)%/.exec(document.querySelector('[data-testid=mask-share]')?.textContent ?? '')?.[1]) === v, found);
  // Paint it again and use it.
  await page.mouse.move(box.x + box.width * 0.05, box.y + box.height * 0.9);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.9, { steps: 8 });
  await page.mouse.up();
  await page.waitForFunction((v) => Number(/covers <?([\d.]+)%/.exec(document.querySelector('[data-testid=mask-share]')?.textContent ?? '')?.[1]) === v, painted);
  await page.getByTestId('use-mask').click();
  await page.getByRole('button', { name: 'Mask in use ✓' }).waitFor({ timeout: 20_000 });

  await page.getByTestId('run-restore').click();
  await page.getByTestId('restore-status').filter({ hasText: 'Restored 1 photo(s)' }).waitFor({ timeout: 180_000 });
  const db = new Database(dataPaths(host.dataDir).catalog, { readonly: true });
  let recipe: { settings: { damage: { source: string; mask: string; repaired: number } } };
  let file: string;
  try {
    const row = db.prepare('SELECT recipe, file FROM versions ORDER BY id DESC LIMIT 1').get() as { recipe: string; file: string };
    recipe = JSON.parse(row.recipe);
    file = row.file;
  } finally {
    db.close();
  }
  assert.equal(recipe.settings.damage.source, 'user');
  // The mask kept with the version is the edited one: the painted corner stroke is in it (bottom left), the scratch too.
  const kept = path.join(path.dirname(path.isAbsolute(file) ? file : path.join(host.dataDir, file)), recipe.settings.damage.mask);
  const m = await sharp(kept).raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number) => m.data[(y * m.info.width + x) * m.info.channels]!;
  assert.equal(at(Math.round(320 * 0.15), Math.round(214 * 0.9)), 255, 'the painted stroke is repaired');
  assert.ok(Math.abs(recipe.settings.damage.repaired - painted / 100) < 0.01, `repaired ${recipe.settings.damage.repaired} vs painted ${painted}%`);
  assert.deepEqual(errors, []);
});
