/**
 * The library benchmark: `npm run bench:library` (builds, then runs this).
 *   node --import tsx bench/library-bench.ts [--quick] [--photos N] [--size WxH] [--catalog N] [--no-import] [--no-browser]
 * Measures, through the real worker processes and the real renderer:
 *   1. import throughput (photos/s) of generated JPEGs (default 2,000 of
 *      3000×2000, cached under the OS temp folder; --quick: 100 of 1500×1000),
 *      and its ratio to the raw rate of sharp decoding + thumbnailing the same
 *      files in this run with the same number of lanes (goal ≥ 0.8), the raw
 *      rate measured before and after the import and averaged; plus CPU ms
 *      per photo of both, a check that does not depend on the machine's load;
 *   2. p50/p95 latency of grid paging, search (word beginnings, inside words,
 *      captions and authors) and filter queries through the
 *      library worker on a generated catalog (default 100,000 photos, rows
 *      inserted with the library's own code; --catalog N) (goal p95 ≤ 10 ms);
 *   3. frames per second while scrolling that catalog's grid in headless
 *      Chromium against browser mode (goal ≥ 50 fps).
 * A benchmark, not a test: no assertions. Figures go to stdout and the last
 * line is one JSON object with all of them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { Broker } from '../electron/broker/broker.js';
import { nodeSpawner } from '../electron/host/node-worker.js';
import { MAX_PIXELS } from '../electron/library/probe.js';
import { photoBuffer } from '../devkit/make-images.js';
import { requireBuild, startBrowserHost, tempDir } from '../devkit/services.js';
import { launchBrowser, openApp } from '../devkit/browser.js';
import type { Params } from '../electron/shared/contract/index.js';
import { writeSyntheticCatalog, SYNTHETIC_ARTISTS, SYNTHETIC_TAGS } from '../devkit/synthetic-catalog.js';
import { writeFileAtomic } from '../electron/node/atomic-write.js';

// ---------- arguments ----------
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const value = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = flag('--quick');
const photoCount = Number(value('--photos') ?? (quick ? 100 : 2000));
const [width, height] = (value('--size') ?? (quick ? '1500x1000' : '3000x2000')).split('x').map(Number) as [number, number];
const catalogSize = Number(value('--catalog') ?? 100_000);
const lanes = Math.min(3, Math.max(2, os.availableParallelism() - 1)); // the import's own lane count
const log = (s: string) => console.log(s);
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

function percentiles(samples: number[]): { p50: number; p95: number; max: number; n: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { p50: round(at(0.5)), p95: round(at(0.95)), max: round(s[s.length - 1]!), n: s.length };
}

async function inLanes<T>(items: readonly T[], n: number, work: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i]!, i);
    }
  }));
}

// ---------- 1. photos, cached between runs ----------
async function benchPhotos(): Promise<string> {
  const dir = path.join(os.tmpdir(), `restora-bench-photos-${width}x${height}`);
  fs.mkdirSync(dir, { recursive: true });
  const wanted = Array.from({ length: photoCount }, (_, i) => path.join(dir, `BENCH_${String(i + 1).padStart(5, '0')}.jpg`));
  const missing = wanted.filter((f) => !fs.existsSync(f));
  if (missing.length) {
    log(`Generating ${missing.length} JPEGs of ${width}×${height} into ${dir} (cached for later runs)…`);
    const t0 = performance.now();
    // Film-grain noise at full size makes the files as big and slow to decode as real scans.
    const grain = await sharp({ create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 28 } } }).raw().toBuffer();
    await inLanes(missing, os.availableParallelism(), async (file) => {
      const seed = Number(/(\d+)\.jpg$/.exec(file)![1]);
      const base = await photoBuffer(seed, Math.round(width / 4), Math.round(height / 4));
      const jpeg = await sharp(base)
        .resize(width, height)
        .composite([{ input: grain, raw: { width, height, channels: 3 }, blend: 'soft-light' }])
        .withExif({ IFD0: { Make: 'Restora', Model: 'Bench Cam' }, IFD2: { DateTimeOriginal: `1962:0${1 + (seed % 9)}:1${seed % 10} 10:00:00` } })
        .jpeg({ quality: 90 })
        .toBuffer();
      await writeFileAtomic(file, jpeg);
    });
    log(`  generated in ${round((performance.now() - t0) / 1000, 1)} s`);
  }
  // Only the wanted files: an import of the folder must see exactly these.
  const runDir = tempDir('restora-bench-import-src-');
  for (const f of wanted) {
    const link = path.join(runDir, path.basename(f));
    try {
      fs.linkSync(f, link);
    } catch {
      fs.copyFileSync(f, link);
    }
  }
  return runDir;
}

/** What the import does to pixels (decode → 1600 px preview → 256 px thumbnail), without hashing, probing or the catalog. */
async function rawRate(files: string[]): Promise<number> {
  sharp.cache(false);
  const t0 = performance.now();
  await inLanes(files, lanes, async (file) => {
    const preview = await sharp(file, { limitInputPixels: MAX_PIXELS, failOn: 'error' })
      .autoOrient()
      .resize(1600, 1600, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .jpeg({ quality: 85 })
      .toBuffer();
    await sharp(preview).resize(256, 256, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 80 }).toBuffer();
  });
  return files.length / ((performance.now() - t0) / 1000);
}

async function startBroker(dataDir: string): Promise<Broker> {
  const broker = new Broker({ spawn: nodeSpawner({ echoStderr: !!process.env.RESTORA_DEBUG }), dataDir, mode: 'cli', version: 'bench' });
  await broker.start();
  return broker;
}

/** CPU seconds (user + system, all threads) a process has used so far, from /proc; null where there is no /proc. */
function processCpuSeconds(pid: number | null): number | null {
  if (!pid) return null;
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100 on Linux)
  } catch {
    return null;
  }
}

const ownCpuSeconds = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};

async function benchImport(srcDir: string) {
  const files = fs.readdirSync(srcDir).map((f) => path.join(srcDir, f)).sort();
  const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
  log(`\n== Import: ${files.length} JPEGs of ${width}×${height} (${round(bytes / files.length / 2 ** 20)} MB each on average) ==`);
  for (const f of files) fs.readFileSync(f); // same warm page cache for both measurements
  // Raw rate before and after the import (A-B-A): on a shared machine the load drifts, and the mean is fair to both.
  const rawCpu0 = ownCpuSeconds();
  const rawBefore = await rawRate(files);
  const rawCpuPerPhoto = (ownCpuSeconds() - rawCpu0) / files.length;
  log(`  raw sharp decode + thumbnails (${lanes} lanes), before the import: ${round(rawBefore)} photos/s, ${round(rawCpuPerPhoto * 1000, 1)} CPU ms/photo`);
  const dataDir = tempDir('restora-bench-import-');
  const broker = await startBroker(dataDir);
  let result;
  let seconds;
  let importCpuPerPhoto: number | null = null;
  try {
    const workerCpu0 = processCpuSeconds(broker.workerPid('library'));
    const ownCpu0 = ownCpuSeconds();
    const t0 = performance.now();
    result = await broker.runJob('library.import', { paths: [srcDir] });
    seconds = (performance.now() - t0) / 1000;
    const workerCpu1 = processCpuSeconds(broker.workerPid('library'));
    // The library worker's CPU plus this process's (the broker relaying progress), as the app would spend it.
    if (workerCpu0 !== null && workerCpu1 !== null) importCpuPerPhoto = (workerCpu1 - workerCpu0 + ownCpuSeconds() - ownCpu0) / Math.max(1, result.imported);
  } finally {
    broker.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const rawAfter = await rawRate(files);
  const raw = (rawBefore + rawAfter) / 2;
  const rate = result.imported / seconds;
  log(`  library.import through the worker: ${result.imported} imported in ${round(seconds, 1)} s = ${round(rate)} photos/s` + (result.skippedCount ? ` (${result.skippedCount} skipped)` : '') +
    (importCpuPerPhoto !== null ? `, ${round(importCpuPerPhoto * 1000, 1)} CPU ms/photo` : ''));
  log(`  raw sharp decode + thumbnails, after the import: ${round(rawAfter)} photos/s (mean of before and after: ${round(raw)})`);
  log(`  ratio import / raw: ${round(rate / raw)}  (goal ≥ 0.8)` + (importCpuPerPhoto !== null ? `; CPU-time ratio raw / import: ${round(rawCpuPerPhoto / importCpuPerPhoto)} (load-independent check)` : ''));
  return {
    photos: files.length, width, height, avgMB: round(bytes / files.length / 2 ** 20), lanes, seconds: round(seconds), photosPerSecond: round(rate),
    rawPhotosPerSecond: round(raw), rawBefore: round(rawBefore), rawAfter: round(rawAfter), ratio: round(rate / raw),
    cpuMsPerPhoto: importCpuPerPhoto === null ? null : round(importCpuPerPhoto * 1000, 1), rawCpuMsPerPhoto: round(rawCpuPerPhoto * 1000, 1),
    cpuRatio: importCpuPerPhoto === null ? null : round(rawCpuPerPhoto / importCpuPerPhoto),
  };
}

// ---------- 2. queries on a big catalog ----------
type ListParams = Params<'library.listPhotos'>;

function queryPlans(n: number): Record<'paging' | 'search' | 'substring' | 'metadata' | 'filter', (i: number) => ListParams> {
  const sorts = ['imported', 'taken', 'name', 'rating'] as const;
  const folders = Math.max(1, Math.ceil(n / 400));
  const folderOf = (f: number) => `/library/${1920 + (f % 100)}s/Box ${String(f).padStart(4, '0')}`;
  const searches = (i: number) => [`SCAN_0${(i * 7919) % 10}`, `box ${String((i * 31) % folders).padStart(4, '0')}`, SYNTHETIC_TAGS[i % SYNTHETIC_TAGS.length]!, `${1920 + (i % 10) * 10}s ${SYNTHETIC_TAGS[(i + 3) % SYNTHETIC_TAGS.length]}`, `album ${1 + (i % 10)}`][i % 5]!;
  // Inside words of file names ("CAN_00" of SCAN_0001…), and what the files say (captions, authors; synthetic-catalog.ts).
  const inside = (i: number) => [`CAN_0${(i * 7919) % 10}`, `AN_00${i % 10}`, `ox ${String((i * 31) % folders).padStart(4, '0')}`, SYNTHETIC_TAGS[i % SYNTHETIC_TAGS.length]!.slice(1)][i % 4]!;
  const described = (i: number) => [SYNTHETIC_ARTISTS[i % SYNTHETIC_ARTISTS.length]!.split(' ').pop()!, 'harbour', `summer ${1920 + (i % 80)}`, 'Ottilie', 'church'][i % 5]!;
  const filters = (i: number): ListParams['filter'] => [
    { minRating: 4 },
    { favorite: true },
    { folder: folderOf((i * 13) % folders) },
    { folder: `/library/${1920 + (i % 100)}s`, recursive: true },
    { tag: SYNTHETIC_TAGS[i % SYNTHETIC_TAGS.length]! },
    { albumId: 1 + (i % 10) },
    { from: `19${30 + (i % 60)}-01-01`, to: `19${30 + (i % 60)}-12-31` },
    { hasFaces: true, minRating: 2 },
    { duplicates: true },
    { restored: false, favorite: true },
  ][i % 10];
  return {
    // Grid pages anywhere in the catalog, every sort, both directions.
    paging: (i) => ({ offset: Math.floor(((i * 7919) % 1000) / 1000 * Math.max(0, n - 200)), limit: 200, sort: sorts[i % 4], ...(i % 3 === 0 ? { direction: 'asc' as const } : {}) }),
    search: (i) => ({ query: searches(i), limit: 200, offset: 0 }),
    substring: (i) => ({ query: inside(i), limit: 200, offset: i % 4 === 0 ? 200 : 0 }),
    metadata: (i) => ({ query: described(i), limit: 200, offset: 0 }),
    filter: (i) => ({ filter: filters(i), limit: 200, offset: i % 4 === 0 ? 200 : 0, sort: sorts[(i >> 1) % 4] }),
  };
}

async function benchQueries(dataDir: string, n: number) {
  log(`\n== Queries through the library worker on ${n.toLocaleString('en')} photos ==`);
  const broker = await startBroker(dataDir);
  const out: Record<string, ReturnType<typeof percentiles>> = {};
  try {
    for (const [name, plan] of Object.entries(queryPlans(n))) {
      for (let i = 0; i < 5; i++) await broker.invoke('library.listPhotos', plan(i + 1000));
      const samples: number[] = [];
      for (let i = 0; i < 80; i++) {
        const t0 = performance.now();
        await broker.invoke('library.listPhotos', plan(i));
        samples.push(performance.now() - t0);
      }
      out[name] = percentiles(samples);
      log(`  ${name.padEnd(9)} p50 ${out[name]!.p50} ms   p95 ${out[name]!.p95} ms   max ${out[name]!.max} ms   (${samples.length} queries; goal p95 ≤ 10 ms)`);
    }
  } finally {
    broker.stop();
  }
  return out;
}

// ---------- 3. scrolling the grid in Chromium ----------
/**
 * Runs in the page: scrolls the grid for `seconds` and records every frame's
 * duration with requestAnimationFrame. 'steady' moves 3,000 px/s (about 12
 * rows a second, a brisk scroll); 'fling' starts a 6,000 px smooth scroll
 * every 400 ms, the way repeated wheel flicks do.
 */
const SCROLL_SCRIPT = `function (mode, seconds) {
  return new Promise(function (resolve) {
    var el = document.querySelector('[data-testid="grid-scroller"]');
    if (mode === 'control') {
      // The same scroll on an empty scroller as tall as the grid: what this machine manages with no work per frame.
      var blank = document.createElement('div');
      blank.style.cssText = 'position:fixed;inset:0;overflow:auto;z-index:999;background:#17181b';
      var inner = document.createElement('div');
      inner.style.height = el.scrollHeight + 'px';
      blank.appendChild(inner);
      document.body.appendChild(blank);
      el = blank;
    }
    var longTasks = [];
    var po = new PerformanceObserver(function (list) { list.getEntries().forEach(function (e) { longTasks.push(e.duration); }); });
    po.observe({ entryTypes: ['longtask'] });
    var frames = [];
    var maxCells = 0;
    var startTop = el.scrollTop;
    var t0 = 0, last = 0, nextFling = 0;
    function tick(t) {
      if (!t0) { t0 = t; last = t; } else frames.push(t - last);
      last = t;
      maxCells = Math.max(maxCells, document.querySelectorAll('.cell').length);
      if (mode === 'idle') { /* nothing: the page's own frame rate */ }
      else if (mode === 'steady' || mode === 'control') el.scrollTop = startTop + ((t - t0) / 1000) * 3000;
      else if (t >= nextFling) { el.scrollBy({ top: 6000, behavior: 'smooth' }); nextFling = t + 400; }
      if (t - t0 < seconds * 1000) requestAnimationFrame(tick);
      else {
        po.disconnect();
        var distance = el.scrollTop - startTop;
        if (mode === 'control') el.remove();
        resolve({ frames: frames, maxCells: maxCells, distance: distance, longTasks: longTasks });
      }
    }
    requestAnimationFrame(tick);
  });
}`;

async function benchScroll(dataDir: string, n: number) {
  log(`\n== Scrolling the grid of ${n.toLocaleString('en')} photos in headless Chromium (browser mode) ==`);
  const host = await startBrowserHost([], { RESTORA_HOME: dataDir });
  const browser = await launchBrowser();
  try {
    const { page } = await openApp(browser, host.url);
    await page.getByTestId('photo-count').filter({ hasText: `${n} photos` }).waitFor({ timeout: 60_000 });
    await page.locator('.cell[data-index="0"] img').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(500);
    // Passed as source text: tsx would otherwise wrap named functions in a helper the page does not have.
    const run = (mode: 'idle' | 'control' | 'steady' | 'fling', seconds: number) =>
      page.evaluate(`(${SCROLL_SCRIPT})(${JSON.stringify(mode)}, ${seconds})`) as Promise<{ frames: number[]; maxCells: number; distance: number; longTasks: number[] }>;
    const results: Record<string, { fps: number; p95FrameMs: number; framesOver33ms: number; longTasks: number; longTaskMs: number; maxCellsInDom: number; scrolledPx: number }> = {};
    for (const mode of ['idle', 'control', 'steady', 'fling'] as const) {
      const r = await run(mode, mode === 'idle' ? 2 : 5);
      const total = r.frames.reduce((a, b) => a + b, 0);
      const sorted = [...r.frames].sort((a, b) => a - b);
      results[mode] = {
        fps: round(r.frames.length / (total / 1000), 1),
        p95FrameMs: round(sorted[Math.floor(sorted.length * 0.95)] ?? 0, 1),
        framesOver33ms: r.frames.filter((f) => f > 33.4).length,
        longTasks: r.longTasks.length,
        longTaskMs: Math.round(r.longTasks.reduce((a, b) => a + b, 0)),
        maxCellsInDom: r.maxCells,
        scrolledPx: Math.round(r.distance),
      };
      const x = results[mode]!;
      log(`  ${{ idle: 'not scrolling    ', control: 'blank page, 3,000 px/s (control)', steady: 'grid, steady 3,000 px/s', fling: 'grid, wheel flings' }[mode]}: ${x.fps} fps, p95 frame ${x.p95FrameMs} ms, ${x.framesOver33ms} frames over 33 ms, ${x.longTasks} long tasks (${x.longTaskMs} ms), ≤ ${x.maxCellsInDom} cells in the DOM, ${x.scrolledPx.toLocaleString('en')} px scrolled (goal ≥ 50 fps)`);
    }
    return results;
  } finally {
    await browser.close();
    await host.stop();
  }
}

// ---------- main ----------
requireBuild();
log(`Restora library benchmark: ${os.cpus()[0]?.model ?? 'cpu'} × ${os.availableParallelism()}, ${round(os.totalmem() / 2 ** 30, 1)} GiB, Node ${process.version}`);
const summary: Record<string, unknown> = { machine: { cpus: os.availableParallelism(), cpu: os.cpus()[0]?.model ?? null, memGiB: round(os.totalmem() / 2 ** 30, 1), node: process.version }, args: argv };

if (!flag('--no-import')) {
  const src = await benchPhotos();
  try {
    summary.import = await benchImport(src);
  } finally {
    fs.rmSync(src, { recursive: true, force: true });
  }
}

const catalogDir = tempDir('restora-bench-catalog-');
try {
  log(`\nWriting a catalog of ${catalogSize.toLocaleString('en')} photos…`);
  const buildSeconds = await writeSyntheticCatalog(catalogDir, catalogSize);
  log(`  written in ${round(buildSeconds, 1)} s`);
  summary.catalog = { photos: catalogSize, buildSeconds: round(buildSeconds, 1) };
  summary.queries = await benchQueries(catalogDir, catalogSize);
  if (!flag('--no-browser')) summary.scroll = await benchScroll(catalogDir, catalogSize);
} finally {
  fs.rmSync(catalogDir, { recursive: true, force: true });
}

console.log(JSON.stringify(summary));
process.exit(0);
