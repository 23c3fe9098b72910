/**
 * A long import as the user sees it: progress with an estimate, Cancel keeps
 * what was done, and the library offers to resume the rest, which then
 * finishes without importing anything twice.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { tempDir } from '../../devkit/services.js';
import { openAppSession, type AppSession } from '../../devkit/browser.js';
import { makePhotoFolder } from '../../devkit/make-images.js';

const N = 40;
let session: AppSession;
let page: Page;
let errors: string[];
let folder: string;

before(async () => {
  folder = tempDir('restora-e2e-import-');
  await makePhotoFolder(folder, N, { seed: 3 });
  session = await openAppSession();
  ({ page, errors } = session);
  page.setDefaultTimeout(20_000);
});
after(async () => {
  await session?.close();
  fs.rmSync(folder, { recursive: true, force: true });
});

test('an import shows progress, can be cancelled, and resumes where it stopped', async () => {
  await page.getByLabel('Folder or file to import').fill(folder);
  await page.getByRole('button', { name: 'Import' }).click();
  const bar = page.getByRole('progressbar', { name: 'Import' });
  await bar.filter({ hasText: /of 40/ }).waitFor();
  assert.match((await bar.textContent())!, /\d+%/);
  await page.getByRole('button', { name: 'Cancel import' }).click();
  await page.getByTestId('import-message').filter({ hasText: 'Import cancelled. The photos imported so far are kept' }).waitFor();
  const unfinished = page.getByTestId('import-unfinished');
  await unfinished.filter({ hasText: /stopped with \d+ files? left/ }).waitFor();
  const left = Number(/with (\d+) file/.exec((await unfinished.textContent())!)![1]);
  assert.ok(left > 0 && left < N, `files left: ${left}`);
  const kept = Number(/^(\d+)/.exec((await page.getByTestId('photo-count').textContent())!)?.[1] ?? 0);
  assert.equal(kept, N - left, 'what was imported before the cancel is kept');

  await unfinished.getByRole('button', { name: 'Resume import' }).click();
  await page.getByTestId('import-report').filter({ hasText: `Imported ${left} photo(s)` }).waitFor({ timeout: 45_000 });
  await page.getByTestId('photo-count').filter({ hasText: `${N} photos` }).waitFor();
  await unfinished.waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
});

test('the import report names each file skipped as already in the library, and the photo it duplicates', async () => {
  const copies = tempDir('restora-e2e-copies-');
  try {
    const original = fs.readdirSync(folder).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort()[0]!;
    fs.copyFileSync(`${folder}/${original}`, `${copies}/copy of ${original}`);
    await page.getByLabel('Folder or file to import').fill(copies);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByTestId('import-report').filter({ hasText: 'Imported 0 photo(s), 1 already in the library' }).waitFor({ timeout: 30_000 });
    const line = page.getByTestId('duplicate-list').locator('li');
    assert.equal(await line.count(), 1);
    const text = (await line.textContent())!;
    assert.ok(text.includes(`copy of ${original}`), text);
    assert.ok(text.includes(`the same picture as ${folder}/${original}`), text);
    assert.deepEqual(errors, []);
  } finally {
    fs.rmSync(copies, { recursive: true, force: true });
  }
});
