/**
 * The Fine-tune tab in headless Chromium with the real engine: a personalisation
 * from library photos (held-out people of the Face Research Lab London Set,
 * CC-BY 4.0) and a few A/B picks, a short training whose loss chart and sample
 * previews move, a verdict, then the adapter applied in a restore whose recipe
 * records it.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { tempDir } from '../../devkit/services.js';
import { openAppSession, type AppSession } from '../../devkit/browser.js';
import { sharedDataDir } from '../../devkit/shared-data.js';

let session: AppSession;
let host: AppSession['host'];
let page: Page;
let errors: string[];
let folder: string;
const faces = path.join(sharedDataDir(), 'faces-flr');

before(async () => {
  folder = tempDir('restora-e2e-finetune-');
  const copy = (sub: string, file: string, out: string) => sharp(path.join(faces, sub, file)).resize(320, 320).jpeg({ quality: 90 }).toFile(path.join(folder, out));
  await copy('neutral_front', '010_03.jpg', 'ref-a.jpg');
  await copy('smiling_front', '010_08.jpg', 'ref-b.jpg');
  await copy('neutral_front', '011_03.jpg', 'ref-c.jpg');
  await sharp(path.join(faces, 'neutral_front', '012_03.jpg')).resize(256, 256).modulate({ saturation: 0.4 }).blur(1.2).jpeg({ quality: 30 }).toFile(path.join(folder, 'damaged.jpg'));
  session = await openAppSession();
  ({ host, page, errors } = session);
});
after(async () => {
  await session?.close();
  fs.rmSync(folder, { recursive: true, force: true });
});

const chartPoints = () => page.getByTestId('loss-chart').getAttribute('data-points').then(Number).catch(() => 0);

test('personalise from library photos and picks, watch it train, apply it in a restore', async () => {
  await page.getByLabel('Folder or file to import').fill(folder);
  await page.getByRole('button', { name: 'Import' }).click();
  await page.getByTestId('photo-count').filter({ hasText: '4 photos' }).waitFor({ timeout: 30_000 });

  await page.getByRole('tab', { name: 'Fine-tune' }).click();
  for (const f of ['ref-a.jpg', 'ref-b.jpg', 'ref-c.jpg']) await page.locator(`.ref[title="${f}"]`).click();
  await page.getByText('3 chosen').waitFor();

  // Two picks on the damaged photo: A once, then "neither".
  await page.getByLabel('Photo to compare').selectOption({ label: 'damaged.jpg' });
  for (const choice of ['pick-a', 'pick-neither']) {
    await page.getByTestId('show-pair').click();
    await page.getByTestId('pair').waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.pair img')].every((i) => i.complete && i.naturalWidth > 0), undefined, { timeout: 20_000 });
    await page.getByTestId(choice).click();
  }
  assert.equal(await page.getByTestId('picks').locator('li').count(), 2);

  await page.getByLabel('Personalisation name').fill('Grandma');
  await page.getByLabel('Steps').fill('16');
  await page.getByTestId('start-training').click();
  await page.getByRole('progressbar').waitFor({ timeout: 30_000 });
  // The chart and the previews move while it trains.
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=loss-chart]')?.getAttribute('data-points') ?? 0) >= 2, undefined, { timeout: 90_000 });
  const firstLine = await page.getByTestId('loss-line').getAttribute('points');
  const firstPreview = await page.getByTestId('sample-Personalised').getAttribute('data-preview-id', { timeout: 60_000 });
  await page.getByTestId('verdict').waitFor({ timeout: 120_000 });
  assert.ok((await chartPoints()) >= 12, 'the full loss history is drawn');
  assert.notEqual(await page.getByTestId('loss-line').getAttribute('points'), firstLine);
  assert.notEqual(await page.getByTestId('sample-Personalised').getAttribute('data-preview-id'), firstPreview);
  await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.samples img')].every((i) => i.complete && i.naturalWidth > 0), undefined, { timeout: 20_000 });
  assert.equal(await page.locator('.samples img').count(), 3, 'before, base and personalised');
  await page.getByTestId('adapter-Grandma').waitFor();

  // Apply it in a restore of the damaged photo.
  await page.getByRole('tab', { name: 'Library' }).click();
  await page.locator('.cell', { hasText: 'damaged.jpg' }).getByRole('button').first().click();
  await page.getByRole('button', { name: /Restore \(1\)/ }).click();
  await page.getByLabel('Personalisation').selectOption('Grandma');
  await page.getByTestId('run-restore').click();
  await page.getByTestId('restore-status').filter({ hasText: 'Restored 1 photo(s)' }).waitFor({ timeout: 120_000 });
  const db = new Database(path.join(host.dataDir, 'catalog.sqlite'), { readonly: true });
  const recipes = db.prepare('SELECT recipe FROM versions').all() as Array<{ recipe: string }>;
  db.close();
  assert.equal(recipes.length, 1);
  assert.equal(JSON.parse(recipes[0]!.recipe).adapter, 'Grandma');
  assert.deepEqual(errors, []);
});
