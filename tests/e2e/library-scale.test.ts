/**
 * The grid with a big catalog (rows written straight into a real catalog by
 * the library's own code, with real thumbnails): the DOM stays bounded by the
 * virtualisation wherever the user scrolls, pages arrive as they are needed,
 * and select-all, search and filters work across photos never rendered.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startBrowserHost, tempDir } from '../helpers/services.js';
import { launchBrowser, openApp } from '../helpers/browser.js';
import { writeSyntheticCatalog, syntheticTagCount } from '../../bench/synthetic-catalog.js';

const N = 2500;
let host: Awaited<ReturnType<typeof startBrowserHost>>;
let browser: Browser;
let page: Page;
let errors: string[];

before(async () => {
  const dataDir = tempDir('restora-e2e-scale-');
  await writeSyntheticCatalog(dataDir, N);
  host = await startBrowserHost([], { RESTORA_HOME: dataDir });
  browser = await launchBrowser();
  ({ page, errors } = await openApp(browser, host.url));
  page.setDefaultTimeout(15_000);
});
after(async () => {
  await browser?.close();
  await host?.stop();
});

const domCells = () => page.locator('.cell').count();
const scroller = () => page.getByTestId('grid-scroller');
const imagesLoaded = () =>
  page.waitForFunction(() => {
    const imgs = [...document.querySelectorAll<HTMLImageElement>('.grid img')];
    return imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0);
  }, undefined, { timeout: 20_000 });

test(`${N.toLocaleString('en')} photos: the DOM holds only the rows on screen, wherever the user scrolls`, async () => {
  await page.getByTestId('photo-count').filter({ hasText: `${N} photos` }).waitFor();
  await page.locator('.cell[data-index="0"][data-photo-id]').waitFor();
  await imagesLoaded();
  const atTop = await domCells();
  assert.ok(atTop > 10 && atTop < 150, `cells at the top: ${atTop}`);

  const height = await scroller().evaluate((el) => el.scrollHeight);
  assert.ok(height > 50_000, `the scroller spans every row (${height} px)`);
  for (const fraction of [0.5, 0.97, 0.2]) {
    await scroller().evaluate((el, f) => (el.scrollTop = el.scrollHeight * f), fraction);
    const firstVisible = await scroller().evaluate((el) => {
      const cells = [...el.querySelectorAll<HTMLElement>('.cell[data-index]')].map((c) => Number(c.dataset.index));
      return Math.min(...cells);
    });
    assert.ok(firstVisible > 0, 'the window moved with the scroll');
    // The page holding these rows is fetched on demand and fills in the placeholders.
    await page.waitForFunction(() => document.querySelectorAll('.cell.placeholder').length === 0);
    await imagesLoaded();
    const count = await domCells();
    assert.ok(count < 150, `cells after scrolling to ${fraction}: ${count}`);
  }
  const totalNodes = await page.evaluate(() => document.getElementsByTagName('*').length);
  assert.ok(totalNodes < 2000, `DOM nodes: ${totalNodes}`);
});

test('Ctrl+A selects every photo, including those never rendered; search and filters reach the whole catalog', async () => {
  await page.locator('.cell[data-photo-id] .cell-button').first().click();
  await page.keyboard.press('Control+a');
  await page.getByTestId('selection-count').filter({ hasText: `${N} selected` }).waitFor();
  await page.keyboard.press('Escape');
  // Photo 2,400 is far below the rendered rows.
  await page.getByLabel('Search photos').fill('SCAN_002400');
  await page.getByTestId('photo-count').filter({ hasText: /^1 photo$/ }).waitFor();
  await page.locator('.cell', { hasText: 'SCAN_002400.jpg' }).waitFor();
  await page.getByLabel('Search photos').fill('');
  await page.getByRole('button', { name: /Tag harbour/ }).click();
  await page.getByTestId('photo-count').filter({ hasText: `${syntheticTagCount(N, 'harbour')} photos` }).waitFor();
  assert.deepEqual(errors, []);
});
