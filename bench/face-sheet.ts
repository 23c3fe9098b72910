/**
 * Faces of real old photographs side by side, to look at (no ground truth exists for them):
 *   node --import tsx bench/face-sheet.ts --dir ../shared/data/old-photos --photos a.jpg,b.png -o sheet.png
 *        [--arms photo,restorer,face] [--models DIR] [--instruction TEXT] [--mode fast|generative] [--height 192] [--max-faces 4]
 * Each photo is restored by the real engine once per arm (bench/faces/engines.ts: no face pass, the faces
 * by the photo's restorer, the face restorer or a candidate in --models DIR); every face the restore found
 * (recipe settings.faces, at most --max-faces per photo, largest first) gets one row: its box grown by a
 * third, before and after each arm, each enlarged to --height px with nearest neighbour (pixels stay pixels).
 * Prints per face the mean absolute change of each arm (of 255) and its identity check from the recipe.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp, { type OverlayOptions } from 'sharp';
import { requireBuild } from '../devkit/services.js';
import { ARMS as ALL_ARMS, armEngine, armSettings, type Arm } from './faces/engines.js';

const argv = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1]! : def;
};
const DIR = arg('--dir', '');
const OUT = arg('-o', '');
const PHOTOS = arg('--photos', '').split(',').filter(Boolean);
const ARMS = arg('--arms', 'restorer,face').split(',') as Arm[];
const MODELS = arg('--models', '');
const INSTRUCTION = arg('--instruction', '');
const MODE = arg('--mode', 'fast');
if (MODE !== 'fast' && MODE !== 'generative') throw new Error(`--mode is fast or generative, not ${MODE}`);
const HEIGHT = Number(arg('--height', '192'));
const MAX_FACES = Number(arg('--max-faces', '4'));
if (!DIR || !OUT || !PHOTOS.length) throw new Error('--dir DIR, --photos a,b and -o FILE are required');
for (const a of ARMS) if (!ALL_ARMS.includes(a)) throw new Error(`unknown arm ${a}`);

interface Box { x: number; y: number; w: number; h: number }
requireBuild();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-facesheet-'));
const outputs = new Map<string, { file: string; faces: Box[]; checks: Array<Box & { distance: number }> }>();
for (const arm of ARMS) {
  const { broker, cleanup, models } = await armEngine(arm, MODELS);
  console.log(`${arm}: ${models}`);
  try {
    for (const p of PHOTOS) {
      const file = path.join(work, `${path.parse(p).name}.${arm}.png`);
      const r = await broker.runJob('engine.restoreFile', { input: path.join(DIR, p), output: file, settings: { instruction: INSTRUCTION, mode: MODE, ...armSettings(arm) } });
      outputs.set(`${p}#${arm}`, { file, faces: (r.recipe.settings.faces as Box[] | undefined) ?? [], checks: (r.recipe.settings.faceChecks as Array<Box & { distance: number }> | undefined) ?? [] });
    }
  } finally {
    cleanup();
  }
}

const tiles: OverlayOptions[] = [];
let y = 0, width = 0;
const cellW = HEIGHT;
for (const p of PHOTOS) {
  // the faces the face pass found (the photo arm is told there are none)
  const found = ARMS.map((a) => outputs.get(`${p}#${a}`)!).find((o) => o.faces.length)?.faces ?? [];
  const meta = await sharp(path.join(DIR, p)).rotate().metadata();
  const [W, H] = (meta.orientation ?? 1) >= 5 ? [meta.height!, meta.width!] : [meta.width!, meta.height!];
  for (const [fi, f] of [...found].sort((a, b) => b.w * b.h - a.w * a.h).slice(0, MAX_FACES).entries()) {
    const g = Math.max(f.w, f.h) * 1.33;
    const box = { left: Math.max(0, Math.round(f.x + f.w / 2 - g / 2)), top: Math.max(0, Math.round(f.y + f.h / 2 - g / 2)), width: 0, height: 0 };
    box.width = Math.max(1, Math.min(W - box.left, Math.round(g)));
    box.height = Math.max(1, Math.min(H - box.top, Math.round(g)));
    const cell = (file: string, rotate: boolean) => (rotate ? sharp(file).rotate() : sharp(file)).extract(box).resize(cellW, HEIGHT, { kernel: 'nearest', fit: 'fill' }).png().toBuffer();
    const cells = [await cell(path.join(DIR, p), true), ...(await Promise.all(ARMS.map((a) => cell(outputs.get(`${p}#${a}`)!.file, false))))];
    cells.forEach((input, i) => tiles.push({ input, left: i * (cellW + 4), top: y }));
    width = Math.max(width, cells.length * (cellW + 4));
    y += HEIGHT + 4;
    const before = await sharp(path.join(DIR, p)).rotate().extract(box).removeAlpha().raw().toBuffer();
    const parts: string[] = [];
    for (const a of ARMS) {
      const o = outputs.get(`${p}#${a}`)!;
      const after = await sharp(o.file).extract(box).removeAlpha().raw().toBuffer();
      let d = 0;
      for (let i = 0; i < before.length; i++) d += Math.abs(before[i]! - after[i]!);
      const check = o.checks.find((c) => c.x === f.x && c.y === f.y && c.w === f.w);
      parts.push(`${a} change ${(d / before.length).toFixed(2)}${check ? ` drift ${check.distance.toFixed(3)}` : ''}`);
    }
    console.log(`${p} face ${fi + 1} (${Math.round(f.w)} px): ${parts.join(' | ')}`);
  }
}
if (!tiles.length) throw new Error('no faces were found in these photos');
await sharp({ create: { width, height: y, channels: 3, background: '#ffffff' } }).composite(tiles).png().toFile(OUT);
fs.rmSync(work, { recursive: true, force: true });
console.log(`wrote ${OUT}: columns before, ${ARMS.join(', ')}`);
