/**
 * The real renderer in headless Chromium against browser mode: the app loads,
 * every main view shows, and user actions round-trip through the contract to
 * the worker processes and back (including an engine crash mid-job).
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { tempDir } from '../../devkit/services.js';
import { appPerTest } from '../../devkit/browser.js';
import { writeTestPhoto, sha256File } from '../../devkit/images.js';

// Each test has its own services on an empty library and its own page.
const app = appPerTest();
let page: Page;
let errors: string[];

async function open(t: TestContext): Promise<void> {
  ({ page, errors } = await app.open(t));
}

const tab = (name: string) => page.getByRole('tab', { name });

test('the app loads, drops the token from the address bar and shows every main view', async (t) => {
  await open(t);
  await page.getByText('Your library is empty').waitFor();
  assert.doesNotMatch(page.url(), /token=/);
  await tab('Restore').click();
  await page.getByText('Choose photos to restore').waitFor();
  await tab('Fine-tune').click();
  await page.getByRole('heading', { name: '1. Reference photos' }).waitFor();
  await tab('Jobs').click();
  await page.getByText('No jobs yet').waitFor();
  await tab('Settings').click();
  // The mode arrives with the host's info; "…" until then.
  await page.getByTestId('app-mode').filter({ hasText: /^(browser|electron)$/ }).waitFor();
  assert.equal(await page.getByTestId('app-mode').textContent(), 'browser');
  await page.getByText(/library ready \(pid \d+\)/).waitFor();
  await page.getByText(/engine ready \(pid \d+\)/).waitFor();
  await page.keyboard.press('Control+1');
  await page.getByText('Your library is empty').waitFor();
  assert.deepEqual(errors, []);
});

test('a job started in the UI streams progress and its result back', async (t) => {
  await open(t);
  await tab('Settings').click();
  await page.getByTestId('measure-cpu').click();
  await page.getByRole('progressbar').waitFor();
  const text = await page.getByTestId('gflops').textContent({ timeout: 20_000 });
  assert.match(text!, /Matrix multiply: \d+(\.\d)? GFLOP\/s/);
  await tab('Jobs').click();
  await page.locator('[data-state="done"]', { hasText: 'Measure CPU speed' }).first().waitFor();
  assert.deepEqual(errors, []);
});

test('Settings hold real settings, stored in the data folder; the Restore panel starts with them', async (t) => {
  await open(t);
  await tab('Settings').click();
  const file = (await page.getByTestId('settings-file').textContent())!;
  assert.match(file, /settings\.json$/);
  await page.getByTestId('cache-info').filter({ hasText: /Cache: .* of 2048 MB/ }).waitFor();
  await page.getByLabel('Default mode').selectOption('generative');
  await page.getByTestId('settings-saved').filter({ hasText: 'Saved.' }).waitFor();
  await page.getByLabel('Threads').fill('1');
  await page.getByLabel('Threads').press('Enter');
  await page.getByTestId('settings-saved').filter({ hasText: /engine restarted|next start/ }).waitFor({ timeout: 20_000 });
  await page.getByLabel('Tile size').fill('100');
  await page.getByLabel('Tile size').press('Enter');
  await page.getByRole('alert').filter({ hasText: /tile size must be 0 \(the model’s own\) or from 128 to 2048/ }).waitFor();
  const stored = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(stored.defaultMode, 'generative');
  assert.equal(stored.threads, 1);
  assert.equal(stored.tileSize, 0, 'a refused value is not stored');
  // The Restore panel starts in the default mode.
  const folder = tempDir('restora-e2e-settings-');
  t.after(() => fs.rmSync(folder, { recursive: true, force: true }));
  await writeTestPhoto(path.join(folder, 'a.png'), 120, 90, 3);
  await tab('Library').click();
  await page.getByLabel('Folder or file to import').fill(folder);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByTestId('import-report').filter({ hasText: 'Imported 1 photo(s)' }).waitFor({ timeout: 30_000 });
  await page.locator('.cell', { hasText: 'a.png' }).getByRole('button').click();
  await page.getByRole('button', { name: /Restore \(1\)/ }).click();
  await page.waitForFunction(() => document.querySelector<HTMLSelectElement>('select[aria-label="Mode"]')?.value === 'generative');
  assert.deepEqual(errors, []);
});

test('killing the engine mid-job shows the failure and the app keeps working', async (t) => {
  await open(t);
  await tab('Settings').click();
  const pidText = await page.getByText(/engine ready \(pid \d+\)/).textContent();
  const pid = Number(/pid (\d+)/.exec(pidText!)![1]);
  await page.getByTestId('measure-cpu').click();
  await page.getByRole('progressbar').waitFor();
  process.kill(pid, 'SIGKILL');
  await page.getByRole('alert').filter({ hasText: /engine process stopped unexpectedly/ }).waitFor({ timeout: 15_000 });
  await page.getByText(/engine ready \(pid \d+\), restarted 1×/).waitFor({ timeout: 15_000 });
  await tab('Library').click();
  await page.getByText('Your library is empty').waitFor();
  assert.deepEqual(errors, []);
});

test('import a folder, see thumbnails, restore a photo and compare before/after', async (t) => {
  await open(t);
  const folder = tempDir('restora-e2e-photos-');
  const names = ['Wedding 1931.png', 'Harbour.png', 'Großvater.png'];
  for (const [i, n] of names.entries()) await writeTestPhoto(path.join(folder, n), 360 + i * 20, 260, i + 7);
  const hashes = names.map((n) => sha256File(path.join(folder, n)));
  await tab('Library').click();
  await page.getByLabel('Folder or file to import').fill(folder);
  await page.getByRole('button', { name: 'Import' }).click();
  await page.getByTestId('import-report').filter({ hasText: 'Imported 3 photo(s)' }).waitFor({ timeout: 30_000 });
  await page.getByTestId('photo-count').filter({ hasText: '3 photos' }).waitFor();
  const thumbs = page.locator('.grid img');
  await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.grid img')].every((i) => i.complete && i.naturalWidth > 0), undefined, { timeout: 20_000 });
  assert.equal(await thumbs.count(), 3);
  // Notices take one place: rating replaces the import report instead of stacking under it.
  await page.locator('.cell', { hasText: 'Harbour.png' }).getByRole('button').click();
  await page.keyboard.press('3');
  await page.getByTestId('library-notice').waitFor();
  assert.equal(await page.getByTestId('import-report').count(), 0, 'the import report made way for the new notice');
  assert.equal(await page.locator('.library .banner[role="status"]').count(), 1, 'one banner at a time');
  await page.getByRole('button', { name: /Restore \(1\)/ }).click();
  // Analysis suggests instructions; picking one fills the instruction field. The face search on this grainy
  // 380×260 photo takes 10 detector passes (~10 s alone, ~25 s on a loaded 2-core machine); the preview and
  // the restore reuse what it found.
  await page.getByTestId('analysis').waitFor({ timeout: 60_000 });
  const firstSuggestion = page.getByLabel('Suggested instructions').getByRole('button').first();
  const suggestion = (await firstSuggestion.textContent())!;
  await firstSuggestion.click();
  assert.equal(await page.getByLabel('Instruction', { exact: true }).inputValue(), suggestion);
  // A region preview before the whole photo.
  await page.getByLabel('Instruction', { exact: true }).fill('remove the dust, keep the grain');
  await page.getByTestId('run-preview').click();
  await page.getByTestId('preview-result').waitFor({ timeout: 90_000 });
  await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('[data-testid=preview-result] img')].every((i) => i.complete && i.naturalWidth > 0), undefined, { timeout: 20_000 });
  await page.getByTestId('run-restore').click();
  await page.getByTestId('restore-status').filter({ hasText: 'Restored 1 photo(s)' }).waitFor({ timeout: 90_000 });
  await page.getByTestId('compare').last().waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.compare img')].every((i) => i.complete && i.naturalWidth > 0), undefined, { timeout: 20_000 });
  // Originals are untouched.
  assert.deepEqual(names.map((n) => sha256File(path.join(folder, n))), hashes);
  fs.rmSync(folder, { recursive: true, force: true });

  // The Jobs panel: one row per job under a human name, when it started, what it made; finished jobs clear.
  await tab('Jobs').click();
  const rows = page.locator('.job-list > li');
  await page.locator('[data-state="done"]', { hasText: 'Import 1 item(s)' }).getByTestId('job-result').filter({ hasText: '3 imported, 0 already in the library' }).waitFor();
  const labels = await rows.locator('.job-head strong').allTextContents();
  assert.ok(labels.length >= 3, labels.join(' | '));
  assert.ok(labels.every((l) => !/^[a-z]+\.[a-zA-Z]+$/.test(l)), `no internal names: ${labels.join(' | ')}`);
  assert.equal(new Set(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-job-id')))).size, labels.length, 'each job once');
  assert.equal(labels.filter((l) => l === 'Restore Harbour.png').length, 1, 'the restore and not its engine step');
  for (const time of await rows.getByTestId('job-time').allTextContents()) assert.match(time, /^started \d\d:\d\d:\d\d · (\d+ s|\d+ min \d\d s)$/, 'start time and duration');
  // The link to what a job made shows those photos in the Library.
  await rows.filter({ hasText: 'Restore Harbour.png' }).getByRole('button', { name: 'Show in Library' }).click();
  await page.getByText('What “Restore Harbour.png” made').waitFor();
  await page.getByTestId('photo-count').filter({ hasText: /^1 photo\b/ }).waitFor();
  assert.deepEqual(await page.locator('.cell .cell-name').allTextContents(), ['Harbour.png']);
  await tab('Jobs').click();
  await page.getByRole('button', { name: 'Clear finished' }).click();
  await page.getByText('No jobs yet').waitFor();
  assert.deepEqual(errors, []);
});
