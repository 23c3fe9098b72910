/**
 * A sheet of damage masks and repairs on real old photographs (no ground truth: to look at):
 *   node --import tsx bench/damage-sheet.ts --dir ../shared/data/old-photos -o sheet.jpg
 *        [--photos a.jpg,b.png] [--limit 8] [--max-side 1024] [--models DIR] [--row 300]
 * Each photo (scaled to --max-side first, as a quick look) goes through the repair stage
 * (electron/engine/stages/repair.ts) with the installed damage detector and gets one row: the
 * photo, the detector's marks over it (red scratch, yellow dust, blue blotch, green tear), the
 * repaired photo, then the 96 px crop with the most marked pixels at 300% (nearest neighbour),
 * before and after. Prints per photo the share marked by kind.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { scanModels } from '../electron/node/model-registry.js';
import { SessionCache } from '../electron/engine/session-cache.js';
import { findDamageDetector } from '../electron/engine/damage/find-detector.js';
import { detectDamage } from '../electron/engine/damage/detector.js';
import { damageSummary } from '../electron/engine/damage/mask.js';
import { repair } from '../electron/engine/stages/repair.js';
import { RestoreSettings } from '../electron/shared/recipe.js';
import { loadRgb8 } from './image-files.js';

function parseArgs(argv: string[]) {
  const a = { dir: '', out: '', photos: [] as string[], limit: 8, maxSide: 1024, models: path.resolve('models/zoo'), row: 300 };
  for (let i = 0; i < argv.length; i++) {
    const v = () => argv[++i] ?? '';
    switch (argv[i]) {
      case '--dir': a.dir = v(); break;
      case '-o': a.out = v(); break;
      case '--photos': a.photos = v().split(','); break;
      case '--limit': a.limit = Number(v()); break;
      case '--max-side': a.maxSide = Number(v()); break;
      case '--models': a.models = path.resolve(v()); break;
      case '--row': a.row = Number(v()); break;
      default: throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  if (!a.dir || !a.out) throw new Error('--dir DIR and -o FILE are required');
  return a;
}

const COLOURS = [[255, 40, 40], [255, 230, 0], [40, 120, 255], [40, 220, 80]];
const CROP = 96, ZOOM = 3;

function png(rgb: Uint8Array, w: number, h: number) {
  return sharp(Buffer.from(rgb), { raw: { width: w, height: h, channels: 3 } });
}

async function main() {
  const a = parseArgs(process.argv.slice(2));
  const model = findDamageDetector(scanModels([{ dir: a.models, source: 'user' }]));
  if (!model) throw new Error(`no damage detector in ${a.models}`);
  const sessions = new SessionCache();
  const detector = await sessions.get(model, 'cpu');
  const files = a.photos.length ? a.photos : fs.readdirSync(a.dir).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort().slice(0, a.limit);
  const rows: Buffer[] = [];
  let sheetW = 0;
  for (const f of files) {
    const { rgb8: rgb, width: w, height: h } = await loadRgb8(path.join(a.dir, f), a.maxSide);
    const bits = await detectDamage(detector, rgb, w, h);
    const overlay = new Uint8Array(rgb);
    for (let q = 0; q < w * h; q++) {
      const k = [0, 1, 2, 3].find((i) => bits[q]! & (1 << i));
      if (k === undefined) continue;
      for (let c = 0; c < 3; c++) overlay[q * 3 + c] = Math.round(0.35 * rgb[q * 3 + c]! + 0.65 * COLOURS[k]![c]!);
    }
    const image = { width: w, height: h, rgb8: new Uint8Array(rgb), alpha: null, exif: null, icc: null, format: 'raw' };
    await repair({ image, plan: null, fullSize: { width: w, height: h } }, {}, RestoreSettings.parse({ instruction: 'repair the damage' }), { damageDetector: async () => detector }, { progress: () => undefined, throwIfCancelled: () => undefined }, []);
    // The crop with the most marked pixels (a coarse grid search).
    let best = { x: 0, y: 0, n: -1 };
    for (let y = 0; y + CROP <= h; y += CROP / 2) for (let x = 0; x + CROP <= w; x += CROP / 2) {
      let n = 0;
      for (let yy = y; yy < y + CROP; yy += 2) for (let xx = x; xx < x + CROP; xx += 2) if (bits[yy * w + xx]) n++;
      if (n > best.n) best = { x, y, n };
    }
    const cw = Math.min(CROP, w), ch = Math.min(CROP, h);
    const rowH = a.row, scaledW = Math.round((w * rowH) / h);
    const whole = (buf: Uint8Array) => png(buf, w, h).resize(scaledW, rowH).png().toBuffer();
    const zoom = (buf: Uint8Array) => png(buf, w, h).extract({ left: best.x, top: best.y, width: cw, height: ch }).resize(cw * ZOOM, ch * ZOOM, { kernel: 'nearest' }).png().toBuffer();
    const parts = [await whole(rgb), await whole(overlay), await whole(image.rgb8), await zoom(rgb), await zoom(image.rgb8)];
    const widths = [scaledW, scaledW, scaledW, cw * ZOOM, cw * ZOOM];
    const rowW = widths.reduce((s, v) => s + v + 4, 0);
    let left = 0;
    const composite = parts.map((input, i) => {
      const c = { input, left, top: 0 };
      left += widths[i]! + 4;
      return c;
    });
    rows.push(await sharp({ create: { width: rowW, height: Math.max(rowH, ch * ZOOM), channels: 3, background: '#202020' } }).composite(composite).png().toBuffer());
    sheetW = Math.max(sheetW, rowW);
    const s = damageSummary(bits);
    process.stdout.write(`${f} ${w}×${h}: marked ${(100 * s.any).toFixed(2)}% (scratch ${(100 * s.scratch).toFixed(2)}, dust ${(100 * s.dust).toFixed(2)}, blotch ${(100 * s.blotch).toFixed(2)}, tear ${(100 * s.tear).toFixed(2)})\n`);
  }
  const heights = await Promise.all(rows.map(async (r) => (await sharp(r).metadata()).height!));
  let top = 0;
  const composite = rows.map((input, i) => {
    const c = { input, left: 0, top };
    top += heights[i]! + 4;
    return c;
  });
  fs.mkdirSync(path.dirname(path.resolve(a.out)), { recursive: true });
  await sharp({ create: { width: sheetW, height: top, channels: 3, background: '#202020' } }).composite(composite).jpeg({ quality: 85 }).toFile(a.out);
  await sessions.clear();
  process.stdout.write(`wrote ${a.out}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
