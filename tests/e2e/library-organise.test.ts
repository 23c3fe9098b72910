/**
 * The library as a user organises it, in headless Chromium against browser
 * mode with real worker processes and real JPEGs: import (with the skipped
 * files explained), search, tags, ratings, favourites, multi-select, albums,
 * keyboard shortcuts, removal with a confirmation, and drag and drop.
 */
import { test, before, after, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { cloneDataDir, seedDataDir, tempDir } from '../../devkit/services.js';
import { appPerTest } from '../../devkit/browser.js';
import { makePhotoFolder } from '../../devkit/make-images.js';

const app = appPerTest();
let page: Page;
let errors: string[];
let folder: string;
let harbour: string[];
/** A library with the folder imported; each test but the first starts from its own copy. */
let imported: string;

before(async () => {
  folder = tempDir('restora-e2e-organise-');
  await makePhotoFolder(path.join(folder, 'Family'), 6);
  harbour = await makePhotoFolder(path.join(folder, 'Harbour'), 4, { seed: 9, prefix: 'HARB' });
  fs.writeFileSync(path.join(folder, 'Family', 'notes.jpg'), 'not a photo at all\n'.repeat(30));
  fs.writeFileSync(path.join(folder, 'Family', 'empty.jpg'), '');
  imported = await seedDataDir(async (broker) => {
    await broker.runJob('library.import', { paths: [folder] });
  });
});
after(() => {
  fs.rmSync(folder, { recursive: true, force: true });
  if (imported) fs.rmSync(imported, { recursive: true, force: true });
});

/** The app on an empty library, or on a copy of the imported one. */
async function open(t: TestContext, library: 'empty' | 'imported'): Promise<void> {
  ({ page, errors } = await app.open(t, library === 'imported' ? cloneDataDir(imported) : undefined));
  page.setDefaultTimeout(15_000);
  if (library === 'imported') await count().filter({ hasText: '10 photos' }).waitFor();
}

const count = () => page.getByTestId('photo-count');
const cell = (i: number) => page.locator(`.cell[data-index="${i}"] .cell-button`);
const selectedCount = () => page.getByTestId('selection-count');

/** Sorted by name the Harbour photos (HARB_0001…) come first, then the Family ones (IMG_0001…). */
async function sortByName(): Promise<void> {
  await page.getByLabel('Sort by').selectOption('name');
  await page.locator('.cell[data-index="0"]', { hasText: 'HARB_0001.jpg' }).waitFor();
}

test('a new user is told what to do, imports a folder and sees why files were skipped', async (t) => {
  await open(t, 'empty');
  await page.getByText('Your library is empty').waitFor();
  await page.getByText(/drag a folder from your file manager/).waitFor();
  // Browse opens the folder browser where the field points; "Use this folder" fills it in.
  await page.getByLabel('Folder or file to import').fill(folder);
  await page.getByRole('button', { name: 'Browse for a folder' }).click();
  await page.getByTestId('folder-picker-path').filter({ hasText: folder }).waitFor();
  await page.getByTestId('folder-picker').getByRole('button', { name: /Harbour/ }).click();
  await page.getByTestId('folder-picker-path').filter({ hasText: path.join(folder, 'Harbour') }).waitFor();
  await page.getByTestId('folder-picker').getByRole('button', { name: 'Up one folder' }).click();
  await page.waitForFunction((f) => document.querySelector('[data-testid="folder-picker-path"]')?.textContent === f, folder);
  await page.getByRole('button', { name: 'Use this folder' }).click();
  assert.equal(await page.getByLabel('Folder or file to import').inputValue(), folder);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const report = page.getByTestId('import-report');
  await report.filter({ hasText: 'Imported 10 photo(s), 0 already in the library, 2 skipped.' }).waitFor({ timeout: 40_000 });
  const skipped = await page.getByTestId('skipped-list').textContent();
  assert.match(skipped!, /notes\.jpg — \S+/);
  assert.match(skipped!, /empty\.jpg — Empty file/);
  await count().filter({ hasText: '10 photos' }).waitFor();
  const folders = page.getByRole('region', { name: 'Folders' });
  await folders.getByRole('button', { name: /Family\s*6/ }).waitFor();
  await folders.getByRole('button', { name: /Harbour\s*4/ }).click();
  await count().filter({ hasText: /^4 photos$/ }).waitFor();
  await page.getByRole('button', { name: 'All photos' }).click();
  await count().filter({ hasText: '10 photos' }).waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.grid img')].every((i) => i.complete && i.naturalWidth > 0), undefined, { timeout: 20_000 });
  assert.deepEqual(errors, []);
});

test('search finds a photo by name; a tag on it becomes a filter and is searchable', async (t) => {
  await open(t, 'imported');
  await page.getByLabel('Search photos').fill('HARB_0002');
  await count().filter({ hasText: /^1 photo$/ }).waitFor();
  assert.equal(await page.locator('.cell .cell-name').allTextContents().then((t) => t.join()), 'HARB_0002.jpg');
  await cell(0).click();
  await page.keyboard.press('t');
  await page.getByLabel('Tag names').fill('lighthouse, 1930s');
  await page.getByRole('button', { name: 'Add tags' }).click();
  await page.getByTestId('library-notice').filter({ hasText: 'Tagged 1 photo(s): lighthouse, 1930s' }).waitFor();
  await page.getByLabel('Search photos').fill('');
  await count().filter({ hasText: '10 photos' }).waitFor();
  await page.getByRole('button', { name: /Tag lighthouse/ }).click();
  await count().filter({ hasText: /^1 photo$/ }).waitFor();
  await page.locator('.cell', { hasText: 'HARB_0002.jpg' }).waitFor();
  await page.getByRole('button', { name: 'All photos' }).click();
  await page.getByLabel('Search photos').fill('lighth');
  await count().filter({ hasText: /^1 photo$/ }).waitFor();
  // Inside words: "ighthous" finds the tag, "ARB_000" every Harbour photo, "fixture" the camera.
  await page.getByLabel('Search photos').fill('ighthous');
  await count().filter({ hasText: /^1 photo$/ }).waitFor();
  await page.getByLabel('Search photos').fill('ARB_000');
  await count().filter({ hasText: /^4 photos$/ }).waitFor();
  await page.getByLabel('Search photos').fill('fixture');
  await count().filter({ hasText: '10 photos' }).waitFor();
  await page.getByLabel('Search photos').fill('harb');
  await count().filter({ hasText: '4 photos' }).waitFor();
  assert.equal(await page.getByLabel('Sort by').inputValue(), 'relevance');
  // Quotes, wildcards, FTS and SQL syntax are searched for, never parsed.
  for (const text of ['"unclosed', "x' OR 1=1 --", 'NEAR(a b)*', 'a AND OR NOT ^*']) {
    await page.getByLabel('Search photos').fill(text);
    await page.getByText('No photos match').waitFor();
  }
  await page.getByLabel('Search photos').fill('');
  await count().filter({ hasText: '10 photos' }).waitFor();
  // The camera filter lists the library's cameras.
  await page.getByLabel('Camera').selectOption({ label: 'Restora Fixture Cam (10)' });
  await page.getByRole('button', { name: 'Clear 1 filter' }).waitFor();
  await count().filter({ hasText: '10 photos' }).waitFor();
  await page.getByRole('button', { name: 'Clear 1 filter' }).click();
  assert.deepEqual(errors, []);
});

test('click, Shift-click, Ctrl-click and Ctrl+A select; keys rate and favourite; filters narrow the grid', async (t) => {
  await open(t, 'imported');
  await sortByName();
  await cell(0).click();
  await cell(3).click({ modifiers: ['Shift'] });
  await selectedCount().filter({ hasText: '4 selected' }).waitFor();
  await cell(1).click({ modifiers: ['Control'] });
  await selectedCount().filter({ hasText: '3 selected' }).waitFor();
  assert.deepEqual(await page.locator('.cell[aria-selected="true"] .cell-name').allTextContents(), ['HARB_0001.jpg', 'HARB_0003.jpg', 'HARB_0004.jpg']);
  await page.keyboard.press('4');
  await page.getByTestId('library-notice').filter({ hasText: 'Rated 3 photo(s) ★★★★' }).waitFor();
  await page.getByLabel('Minimum rating').selectOption('4');
  await count().filter({ hasText: /^3 photos$/ }).waitFor();
  await page.getByLabel('Minimum rating').selectOption('0');
  await count().filter({ hasText: '10 photos' }).waitFor();

  await page.keyboard.press('Control+a');
  await selectedCount().filter({ hasText: '10 selected' }).waitFor();
  await page.keyboard.press('Escape');
  await selectedCount().waitFor({ state: 'detached' });

  await cell(5).click();
  await page.keyboard.press('ArrowRight');
  await page.locator('.cell[data-index="6"][aria-selected="true"]').waitFor();
  await page.keyboard.press('f');
  await page.getByTestId('library-notice').filter({ hasText: 'Marked 1 photo(s) as favourite' }).waitFor();
  await page.locator('.cell[data-index="6"] .badge.fav').waitFor();
  await page.getByLabel('Favourites only').check();
  await count().filter({ hasText: /^1 photo$/ }).waitFor();
  await page.getByLabel('Favourites only').uncheck();
  await count().filter({ hasText: '10 photos' }).waitFor();
  assert.deepEqual(errors, []);
});

test('albums: made from a selection, shown, renamed and deleted (photos stay)', async (t) => {
  await open(t, 'imported');
  await cell(0).click();
  await cell(1).click({ modifiers: ['Control'] });
  await page.getByRole('button', { name: 'Add to album…' }).click();
  await page.getByLabel('New album name').fill('Summer 1987');
  await page.getByRole('button', { name: 'Create album' }).click();
  const albums = page.getByRole('region', { name: 'Albums' });
  await albums.getByRole('button', { name: /Summer 1987\s*2/ }).click();
  await count().filter({ hasText: /^2 photos$/ }).waitFor();
  await albums.getByRole('button', { name: 'Rename album Summer 1987' }).click();
  await page.getByLabel('Album name').fill('Summer of 87');
  await page.getByLabel('Album name').press('Enter');
  await albums.getByRole('button', { name: /Summer of 87\s*2/ }).waitFor();
  await page.getByText('Album “Summer of 87”').waitFor();
  await albums.getByRole('button', { name: 'Delete album Summer of 87' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete album' }).click();
  await albums.getByRole('button', { name: /Summer of 87/ }).waitFor({ state: 'detached' });
  await count().filter({ hasText: '10 photos' }).waitFor();
  assert.deepEqual(errors, []);
});

test('Delete asks first and never touches the file; ? lists shortcuts; R sends the selection to Restore', async (t) => {
  await open(t, 'imported');
  await sortByName();
  const last = page.locator('.cell[data-index="9"]');
  const name = (await last.locator('.cell-name').textContent())!;
  await last.locator('.cell-button').click();
  await page.keyboard.press('Delete');
  // Cancel has the focus: a stray Enter keeps the photo.
  await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).waitFor();
  await page.waitForFunction(() => document.activeElement?.textContent === 'Cancel');
  await page.keyboard.press('Enter');
  await page.getByRole('alertdialog').waitFor({ state: 'detached' });
  await count().filter({ hasText: '10 photos' }).waitFor();
  await page.keyboard.press('Delete');
  await page.getByRole('alertdialog').getByText('The original files on disk are not touched.').waitFor();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Remove from library' }).click();
  await count().filter({ hasText: '9 photos' }).waitFor();
  assert.ok(fs.existsSync(path.join(folder, 'Family', name)), 'the original is still on disk');

  await page.keyboard.press('?');
  await page.getByTestId('shortcuts').getByText('Remove from the library (files on disk stay)').waitFor();
  await page.keyboard.press('Escape');
  await page.getByTestId('shortcuts').waitFor({ state: 'detached' });

  await cell(2).click();
  await page.keyboard.press('r');
  await page.getByRole('tab', { name: 'Restore', selected: true }).waitFor();
  await page.getByRole('tab', { name: 'Library' }).click();
  await count().filter({ hasText: '9 photos' }).waitFor();
  assert.deepEqual(errors, []);
});

test('dropping files: a path-less browser drop explains itself; a file:// drop imports', async (t) => {
  await open(t, 'imported');
  const drop = (data: { uri?: string; file?: boolean }) =>
    page.evaluate((d) => {
      const dt = new DataTransfer();
      if (d.uri) dt.setData('text/uri-list', d.uri);
      if (d.file) dt.items.add(new File(['x'], 'scan.jpg', { type: 'image/jpeg' }));
      const target = document.querySelector('.library-main')!;
      target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, data);
  await drop({ file: true });
  await page.getByTestId('import-message').filter({ hasText: 'does not reveal where dropped files live' }).waitFor();
  await drop({ uri: `file://${encodeURI(path.join(folder, 'Harbour'))}` });
  await page.getByTestId('import-report').filter({ hasText: 'Imported 0 photo(s), 4 already in the library' }).waitFor({ timeout: 20_000 });
  assert.equal(harbour.length, 4);
  assert.deepEqual(errors, []);
});
