/**
 * People in the real renderer against browser mode: a library of four
 * held-out portraits (two people, neutral and smiling) and a photo without a
 * face. Find people runs the real job (progress, then two people with face
 * crops served by face id); a name typed on a card is searched in the
 * Library; the photo view says who is in the photo; Show photos opens a
 * person's photos; merging two people leaves one with four faces; a
 * selection in the Library can be searched for people too.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { cloneDataDir, seedDataDir, tempDir } from '../../devkit/services.js';
import { appPerTest } from '../../devkit/browser.js';
import { writeTestPhoto } from '../../devkit/images.js';
import { sharedDataDir } from '../../devkit/shared-data.js';

const app = appPerTest();
const FLR = path.join(sharedDataDir(), 'faces-flr');
let folder: string;
let seeded: string;
/** Two portraits whose stored faces are one person's, 0.5 apart: grouped apart at 0.45, offered as "Same person?". */
let lookalikes: string;

before(async () => {
  folder = tempDir('restora-e2e-people-');
  for (const [set, tag] of [['neutral_front', 'n'], ['smiling_front', 's']] as const) {
    for (const person of ['005', '011']) {
      const file = fs.readdirSync(path.join(FLR, set)).find((f) => f.startsWith(`${person}_`) && f.endsWith('.jpg'))!;
      await sharp(path.join(FLR, set, file)).resize(480, 480, { fit: 'inside' }).jpeg({ quality: 90 }).toFile(path.join(folder, `p${person}-${tag}.jpg`));
    }
  }
  await writeTestPhoto(path.join(folder, 'landscape.png'), 120, 90, 5);
  seeded = await seedDataDir(async (b) => void (await b.runJob('library.import', { paths: [folder] })));
  lookalikes = await seedDataDir(async (b) => {
    const r = await b.runJob('library.import', { paths: [path.join(folder, 'p005-n.jpg'), path.join(folder, 'p005-s.jpg')] });
    const v = Array.from({ length: 128 }, (_, i) => Math.sin(i) * 0.08);
    const w = v.map((x, i) => x + (i === 0 ? 0.5 : 0));
    const box = { x: 120, y: 100, w: 200, h: 240, score: 0.99 };
    await b.invoke('library.storeFaces', { photoId: r.photoIds[0]!, faces: [{ ...box, descriptor: v }] });
    await b.invoke('library.storeFaces', { photoId: r.photoIds[1]!, faces: [{ ...box, descriptor: w }] });
    await b.invoke('people.cluster', {});
  });
});
after(() => {
  fs.rmSync(folder, { recursive: true, force: true });
  if (seeded) fs.rmSync(seeded, { recursive: true, force: true });
  if (lookalikes) fs.rmSync(lookalikes, { recursive: true, force: true });
});

test('find people, name one, find her photos by name and in the photo view, merge two people', async (t) => {
  const { page, errors } = await app.open(t, cloneDataDir(seeded));
  page.setDefaultTimeout(20_000);
  await page.getByRole('tab', { name: 'People' }).click();
  await page.getByText('No people yet').waitFor();
  await page.getByRole('button', { name: 'Find people' }).click();
  await page.getByRole('progressbar', { name: 'Finding people' }).waitFor();
  await page.getByRole('status').filter({ hasText: /Looked at 5 photo\(s\): 4 face\(s\), 2 people/ }).waitFor({ timeout: 240_000 });
  const cards = page.getByTestId('person');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="person"]').length === 2);
  assert.deepEqual(await cards.locator('.person-meta span').allTextContents(), ['2 faces', '2 faces']);
  // Face crops load by face id (never a path), and are real pictures.
  await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.person-face img')].every((i) => i.complete && i.naturalWidth === 160));
  assert.ok((await page.locator('.person-face img').first().getAttribute('src'))!.includes('/media/face/'));

  const first = cards.first();
  await first.getByRole('textbox').fill('Edith Brandt');
  await first.getByRole('textbox').press('Enter');
  await page.getByRole('textbox', { name: 'Name of Edith Brandt' }).waitFor();

  // Her photos: by searching her name in the Library, and from her faces.
  await page.getByRole('tab', { name: 'Library' }).click();
  await page.getByRole('searchbox').first().fill('Edith');
  await page.waitForFunction(() => document.querySelectorAll('.cell').length === 2);
  const names = (await page.locator('.cell .cell-name').allTextContents()).map((n) => n.slice(0, 4)).sort();
  assert.equal(names[0], names[1], `both photos of one person: ${names.join(', ')}`);
  await page.locator('.cell .cell-button').first().dblclick();
  await page.getByTestId('people-in-photo').filter({ hasText: 'Edith Brandt' }).waitFor();
  await page.keyboard.press('Escape');

  await page.getByRole('tab', { name: 'People' }).click();
  await page.getByRole('button', { name: 'Open Edith Brandt' }).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="person-face"]').length === 2);
  await page.getByRole('button', { name: 'Show photos' }).click();
  await page.getByText('Photos of Edith Brandt').first().waitFor();
  await page.waitForFunction(() => document.querySelectorAll('.cell').length === 2);

  await page.getByRole('tab', { name: 'People' }).click();
  // Both cards' pick boxes are on screen before they are listed (all() does not wait).
  await page.getByRole('checkbox', { name: /^Pick .* to merge$/ }).nth(1).waitFor();
  for (const box of await page.getByRole('checkbox', { name: /^Pick .* to merge$/ }).all()) await box.check();
  await page.getByRole('button', { name: 'Merge the two picked' }).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="person"]').length === 1);
  assert.equal(await cards.locator('.person-meta span').textContent(), '4 faces');
  assert.equal(await page.getByRole('textbox', { name: 'Name of Edith Brandt' }).inputValue(), 'Edith Brandt');

  // From a selection in the Library: the job runs over those photos (all looked at already: nothing to do).
  await page.getByRole('tab', { name: 'Library' }).click();
  await page.locator('.cell .cell-button').first().click();
  await page.getByRole('toolbar', { name: 'Selection' }).getByRole('button', { name: 'Find people' }).click();
  await page.getByText(/Finding the people in 1 photo\(s\) in the background/).waitFor();
  assert.deepEqual(errors, []);
});

test('same person? two groups whose faces look alike are offered; "not the same person" is remembered, merge joins them', async (t) => {
  const { page, errors } = await app.open(t, cloneDataDir(lookalikes));
  page.setDefaultTimeout(20_000);
  await page.getByRole('tab', { name: 'People' }).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="person"]').length === 2);
  const offer = page.getByTestId('same-suggestions');
  await offer.getByTestId('same-pair').filter({ hasText: /Person \d+ and Person \d+/ }).waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('[data-testid="same-pair"] img')].every((i) => i.complete && i.naturalWidth > 0));
  await offer.getByRole('button', { name: 'Not the same person' }).click();
  await offer.waitFor({ state: 'detached' });
  // Remembered: not offered again after the view is opened anew.
  await page.getByRole('tab', { name: 'Library' }).click();
  await page.getByRole('tab', { name: 'People' }).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="person"]').length === 2);
  await page.waitForTimeout(500);
  assert.equal(await page.getByTestId('same-suggestions').count(), 0);
  assert.deepEqual(errors, []);
});

test('same person? merge from the offer leaves one person with both faces', async (t) => {
  const { page, errors } = await app.open(t, cloneDataDir(lookalikes));
  page.setDefaultTimeout(20_000);
  await page.getByRole('tab', { name: 'People' }).click();
  const offer = page.getByTestId('same-suggestions');
  await offer.getByRole('button', { name: 'Merge' }).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="person"]').length === 1);
  assert.equal(await page.getByTestId('person').locator('.person-meta span').textContent(), '2 faces');
  await offer.waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
});
