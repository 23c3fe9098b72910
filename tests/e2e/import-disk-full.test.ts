/**
 * An import stopped by a full data disk, in the real renderer: the user is
 * told in one sentence, the run waits as unfinished, and once there is room
 * (here: browser mode started again without the test-only free-space quota,
 * RESTORA_TEST_FREE_BYTES) "Resume import" finishes it.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startBrowserHost, tempDir } from '../../devkit/services.js';
import { launchBrowser, openApp } from '../../devkit/browser.js';
import { makePhotoFolder } from '../../devkit/make-images.js';

const N = 12;
const folder = tempDir('restora-e2e-full-');
const home = tempDir('restora-e2e-full-home-');
after(() => {
  fs.rmSync(folder, { recursive: true, force: true });
  fs.rmSync(home, { recursive: true, force: true });
});

test('an import that fills the disk says so, and resumes from the Import panel once there is room', async () => {
  await makePhotoFolder(folder, N, { seed: 12 });
  const browser = await launchBrowser();
  try {
    // The import keeps 16 MiB in hand: this quota leaves room for a few photos only.
    const full = await startBrowserHost([], { RESTORA_HOME: home, RESTORA_TEST_FREE_BYTES: String(16 * 2 ** 20 + 400 * 1024) });
    let page = (await openApp(browser, full.url)).page;
    page.setDefaultTimeout(30_000);
    await page.getByLabel('Folder or file to import').fill(folder);
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByRole('alert').filter({ hasText: /^.*Import stopped after \d+ of 12 photos: the disk holding the Restora data folder .* is full\. Free some space, then resume it/ }).waitFor();
    await page.getByTestId('import-unfinished').filter({ hasText: /stopped with \d+ files? left/ }).waitFor();
    await page.context().close();
    // Restart without the quota: the data folder stays the same (the host's stop would remove it, so only the process goes).
    full.proc.kill('SIGTERM');
    await new Promise((r) => full.proc.once('exit', r));

    const roomy = await startBrowserHost([], { RESTORA_HOME: home });
    try {
      const opened = await openApp(browser, roomy.url);
      page = opened.page;
      page.setDefaultTimeout(30_000);
      const unfinished = page.getByTestId('import-unfinished');
      await unfinished.filter({ hasText: /stopped with \d+ files? left/ }).waitFor();
      const left = Number(/with (\d+) file/.exec((await unfinished.textContent())!)![1]);
      assert.ok(left > 0 && left < N, `files left: ${left}`);
      await unfinished.getByRole('button', { name: 'Resume import' }).click();
      await page.getByTestId('import-report').filter({ hasText: `Imported ${left} photo(s)` }).waitFor({ timeout: 60_000 });
      await page.getByTestId('photo-count').filter({ hasText: `${N} photos` }).waitFor();
      assert.deepEqual(opened.errors, []);
    } finally {
      roomy.proc.kill('SIGTERM');
      await new Promise((r) => roomy.proc.once('exit', r));
    }
  } finally {
    await browser.close();
  }
});
