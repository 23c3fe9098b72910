/**
 * Before/after sheets of real old photographs, to look at (no ground truth exists for them):
 *   node --import tsx bench/old-photos-sheet.ts --dir ../shared/data/old-photos -o sheet.jpg
 *        [--photos a.jpg,b.png] [--limit 8] [--instruction TEXT] [--mode fast|generative] [--crop 192] [--models DIR]
 * Each photo goes through the real engine (the broker and worker the app uses) and gets one row:
 * the whole photo before and after (scaled to the row height), then the same crop around the photo's
 * most detailed area at 100% and at 300% (nearest neighbour, so pixels stay pixels), before and after.
 * Also prints, per photo, the mean absolute change (of 255) and the tone decision from the recipe.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { Broker } from '../electron/broker/broker.js';
import { nodeSpawner } from '../electron/host/node-worker.js';
import { requireBuild } from '../devkit/services.js';

function parseArgs(argv: string[]) {
  const a = { dir: '', out: '', photos: [] as string[], limit: 8, instruction: '', mode: 'fast', crop: 192, models: '' };
  for (let i = 0; i < argv.length; i++) {
    const v = () => argv[++i] ?? '';
    switch (argv[i]) {
      case '--dir': a.dir = v(); break;
      case '-o': a.out = v(); break;
      case '--photos': a.photos = v().split(','); break;
      case '--limit': a.limit = Number(v()); break;
      case '--instruction': a.instruction = v(); break;
      case '--mode': a.mode = v(); break;
      case '--crop': a.crop = Number(v()); break;
      case '--models': a.models = v(); break;
      default: throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  if (!a.dir || !a.out) throw new Error('--dir DIR and -o FILE are required');
  return a;
}

async function raw(file: string) {
  const { data, info } = await sharp(file).rotate().removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** The crop×crop window with the most local contrast (luma gradient energy), on a coarse grid. */
function detailedWindow(img: { data: Buffer; width: number; height: number }, crop: number): { left: number; top: number } {
  const { data, width, height } = img;
  const c = Math.min(crop, width, height);
  let best = { left: Math.floor((width - c) / 2), top: Math.floor((height - c) / 2), e: -1 };
  const step = Math.max(8, Math.floor(c / 4));
  for (let top = 0; top + c <= height; top += step)
    for (let left = 0; left + c <= width; left += step) {
      let e = 0;
      for (let y = top; y < top + c - 1; y += 2)
        for (let x = left; x < left + c - 1; x += 2) {
          const p = (y * width + x) * 3;
          e += Math.abs(data[p + 1]! - data[p + 4]!) + Math.abs(data[p + 1]! - data[p + width * 3 + 1]!);
        }
      if (e > best.e) best = { left, top, e };
    }
  return best;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  requireBuild();
  const names = (args.photos.length ? args.photos : fs.readdirSync(args.dir).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort()).slice(0, args.limit);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-sheet-'));
  // --models DIR: a candidate's model folders as the user's own models (which win over models/zoo), as bench:quality does.
  if (args.models) for (const id of fs.readdirSync(args.models)) fs.cpSync(path.join(args.models, id), path.join(work, 'models', id), { recursive: true });
  const broker = new Broker({ spawn: nodeSpawner({ echoStderr: !!process.env.RESTORA_DEBUG }), dataDir: work, mode: 'cli', version: 'bench' });
  await broker.start();
  const rowH = 3 * args.crop;
  const rows: Buffer[] = [];
  let width = 0;
  try {
    for (const name of names) {
      const input = path.join(args.dir, name);
      const output = path.join(work, `${path.parse(name).name}.restored.png`);
      const res = await broker.runJob('engine.restoreFile', { input, output, settings: { instruction: args.instruction, mode: args.mode as 'fast' | 'generative' } });
      const [a, b] = await Promise.all([raw(input), raw(output)]);
      let diff = 0;
      for (let i = 0; i < a.data.length; i++) diff += Math.abs(a.data[i]! - b.data[i]!);
      const tone = (res.recipe.settings as { toneDecision?: { actions: string[] } }).toneDecision?.actions.join('+') ?? '-';
      console.log(`${name}: ${a.width}×${a.height}, mean |change| ${(diff / a.data.length).toFixed(2)}/255, tone ${tone}, ${res.recipe.totalSeconds.toFixed(1)} s`);
      const win = detailedWindow(a, args.crop);
      const c = Math.min(args.crop, a.width, a.height);
      const scaledW = Math.round((a.width * rowH) / a.height);
      const tiles = await Promise.all(
        [a, b].flatMap((im) => {
          const base = () => sharp(im.data, { raw: { width: im.width, height: im.height, channels: 3 } });
          return [
            base().resize(scaledW, rowH).png().toBuffer(),
            base().extract({ ...win, width: c, height: c }).resize(rowH, rowH, { kernel: 'nearest', fit: 'contain', background: '#222' }).png().toBuffer(),
          ];
        }),
      );
      // whole before, whole after, 300% crop before, 300% crop after
      const order = [tiles[0]!, tiles[2]!, tiles[1]!, tiles[3]!];
      const w = 2 * scaledW + 2 * rowH + 3 * 4;
      let x = 0;
      const composite = order.map((t, i) => {
        const left = x;
        x += (i < 2 ? scaledW : rowH) + 4;
        return { input: t, left, top: 0 };
      });
      rows.push(await sharp({ create: { width: w, height: rowH, channels: 3, background: '#222' } }).composite(composite).png().toBuffer());
      width = Math.max(width, w);
    }
  } finally {
    broker.stop();
  }
  const sheet = sharp({ create: { width, height: rows.length * (rowH + 6), channels: 3, background: '#222' } }).composite(rows.map((r, i) => ({ input: r, left: 0, top: i * (rowH + 6) })));
  await (args.out.endsWith('.png') ? sheet.png() : sheet.jpeg({ quality: 88 })).toFile(args.out);
  fs.rmSync(work, { recursive: true, force: true });
  console.log(`wrote ${args.out}: per row, the whole photo before and after, then its most detailed ${args.crop}² crop at 300% before and after`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
