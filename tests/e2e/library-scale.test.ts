/**
 * The grid with a big catalog (rows written straight into a real catalog by
 * the library's own code, with real thumbnails): the DOM stays bounded by the
 * virtualisation wherever the user scrolls, pages arrive as they are needed,
 * a fling does not build the rows it passes, and select-all, search and filters work across photos never rendered.
 */
import { test, before, after, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startBrowserHost, tempDir } from '../../devkit/services.js';
import { launchBrowser, openApp } from '../../devkit/browser.js';
import { writeSyntheticCatalog, syntheticTagCount } from '../../devkit/synthetic-catalog.js';

const N = 2500;
let host: Awaited<ReturnType<typeof startBrowserHost>> | undefined;
let browser: Browser | undefined;
let page: Page;
let errors: string[];

// The tests only look: they share one catalog and its services, each in a page of its own.
before(async () => {
  const dataDir = tempDir('restora-e2e-scale-');
  await writeSyntheticCatalog(dataDir, N);
  host = await startBrowserHost([], { RESTORA_HOME: dataDir });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await host?.stop();
});

async function open(t: TestContext): Promise<void> {
  const opened = await openApp(browser!, host!.url);
  t.after(() => opened.page.context().close());
  ({ page, errors } = opened);
  page.setDefaultTimeout(15_000);
}

const domCells = () => page.locator('.cell').count();
const scroller = () => page.getByTestId('grid-scroller');
const imagesLoaded = () =>
  page.waitForFunction(() => {
    const imgs = [...document.querySelectorAll<HTMLImageElement>('.grid img')];
    return imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0);
  }, undefined, { timeout: 20_000 });

test(`${N.toLocaleString('en')} photos: the DOM holds only the rows on screen, wherever the user scrolls`, async (t) => {
  await open(t);
  await page.getByTestId('photo-count').filter({ hasText: `${N} photos` }).waitFor();
  await page.locator('.cell[data-index="0"][data-photo-id]').waitFor();
  await imagesLoaded();
  const atTop = await domCells();
  assert.ok(atTop > 10 && atTop < 150, `cells at the top: ${atTop}`);

  const height = await scroller().evaluate((el) => el.scrollHeight);
  assert.ok(height > 50_000, `the scroller spans every row (${height} px)`);
  for (const fraction of [0.5, 0.97, 0.2]) {
    await scroller().evaluate((el, f) => (el.scrollTop = el.scrollHeight * f), fraction);
    // A jump this far reads as a fling: cells are built once the scroll settles (120 ms), so wait for them.
    const moved = await page.waitForFunction(() => {
      const cells = [...document.querySelectorAll<HTMLElement>('.cell[data-index]')].map((c) => Number(c.dataset.index));
      return cells.length > 0 && Math.min(...cells) > 0;
    }, undefined, { timeout: 10_000 }).then(() => true, () => false);
    assert.ok(moved, 'the window moved with the scroll');
    // The page holding these rows is fetched on demand and fills in the placeholders.
    await page.waitForFunction(() => document.querySelectorAll('.cell.placeholder').length === 0);
    await imagesLoaded();
    const count = await domCells();
    assert.ok(count < 150, `cells after scrolling to ${fraction}: ${count}`);
  }
  const totalNodes = await page.evaluate(() => document.getElementsByTagName('*').length);
  assert.ok(totalNodes < 2000, `DOM nodes: ${totalNodes}`);
  assert.deepEqual(errors, []);
});

test('Ctrl+A selects every photo, including those never rendered; search and filters reach the whole catalog', async (t) => {
  await open(t);
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

test('a fling skips building the rows it passes; where it stops, the cells and thumbnails are back', async (t) => {
  await open(t);
  await page.getByRole('button', { name: 'All photos' }).click();
  await page.getByTestId('photo-count').filter({ hasText: `${N} photos` }).waitFor();
  await page.locator('.cell[data-index="0"][data-photo-id]').waitFor();
  // Wheel flicks: a 6,000 px smooth scroll every 150 ms, counting the frames that show cells.
  // Source text, not a function: tsx would wrap the inner function in a helper the page does not have.
  const seen = (await page.evaluate(`new Promise(function (resolve) {
    var el = document.querySelector('[data-testid="grid-scroller"]');
    var frames = 0, framesWithCells = 0, flicks = 0, next = 0, lastTop = -1, stillSince = 0;
    function tick(t) {
      frames++;
      if (el.querySelector('.cell')) framesWithCells++;
      if (t >= next && flicks < 6) { el.scrollBy({ top: 6000, behavior: 'smooth' }); flicks++; next = t + 150; }
      if (el.scrollTop !== lastTop) { lastTop = el.scrollTop; stillSince = t; }
      // Until the smooth scroll has come to rest.
      if (flicks < 6 || t - stillSince < 300) requestAnimationFrame(tick);
      else resolve({ frames: frames, framesWithCells: framesWithCells, top: el.scrollTop });
    }
    requestAnimationFrame(tick);
  })`)) as { frames: number; framesWithCells: number; top: number };
  assert.ok(seen.top > 5000, `the grid was flung down (${seen.top} px)`);
  assert.ok(seen.framesWithCells < seen.frames, `some frames mid-fling built no cells (${seen.framesWithCells} of ${seen.frames} had cells)`);
  // Settled: the rows on screen are built, filled from their page, with thumbnails.
  await page.waitForFunction(() => document.querySelectorAll('.cell[data-index]').length > 10 && document.querySelectorAll('.cell.placeholder').length === 0);
  const first = await scroller().evaluate((el) => Math.min(...[...el.querySelectorAll<HTMLElement>('.cell[data-index]')].map((c) => Number(c.dataset.index))));
  assert.ok(first > 100, `the cells built are those where the fling stopped (first index ${first})`);
  await imagesLoaded();
  assert.deepEqual(errors, []);
});
