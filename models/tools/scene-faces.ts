/**
 * Where the BSDS500 training scenes (train + test) may show people's faces, for
 * the face finder's training script: those places are left out of its loss
 * (neither a face to find nor background to reject), since the scenes' own
 * faces are not marked.
 *
 *   node --import tsx models/tools/scene-faces.ts [train test val]     # -> models/data/bsds-scene-faces.json
 *
 * One entry per file ("train/2092.jpg": [[x, y, w, h, score], ...] in the
 * scene's pixels; the splits named, train + test + val by default, replace
 * their entries in the file): every box the app's detector finds at a low threshold, on
 * the scene as it is and enlarged twice (small faces). Data is read from
 * $RESTORA_DATA or ../shared/data, as the training scripts do.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { createFaceDetector } from '../../electron/engine/faces/detector.js';
import { mergeDetections, type Detection } from '../../electron/engine/faces/detection-merge.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const data = process.env.RESTORA_DATA?.trim() || path.join(here, '..', '..', '..', 'shared', 'data');
const out = path.join(here, '..', 'data', 'bsds-scene-faces.json');
const MIN_SCORE = 0.25;

const detector = await createFaceDetector();
const splits = process.argv.slice(2).length ? process.argv.slice(2) : ['train', 'test', 'val'];
const result: Record<string, number[][]> = fs.existsSync(out) ? (JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, number[][]>) : {};
for (const split of splits) {
  const files = fs.readdirSync(path.join(data, 'bsds500', split)).filter((f) => f.endsWith('.jpg')).sort();
  for (const f of files) {
    const { data: px, info } = await sharp(path.join(data, 'bsds500', split, f)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const img = { rgb: Float32Array.from(px, (v) => v / 255), width: info.width, height: info.height };
    const whole = { x: 0, y: 0, w: info.width, h: info.height };
    const found: Detection[] = [];
    for (const side of [640, 1280]) found.push(...(await detector.locate(img, whole, side, MIN_SCORE)));
    const boxes = mergeDetections(found, info.width, info.height);
    result[`${split}/${f}`] = boxes.map((d) => [...[d.box.x, d.box.y, d.box.w, d.box.h].map(Math.round), Math.round(d.score * 100) / 100]);
    if (boxes.length) process.stderr.write(`${split}/${f}: ${boxes.length}\n`);
  }
}
const sorted = Object.fromEntries(Object.entries(result).sort(([a], [b]) => a.localeCompare(b)));
fs.writeFileSync(out, JSON.stringify(sorted, null, 0).replace(/\],"/g, '],\n"') + '\n');
console.log(`${Object.values(sorted).filter((b) => b.length).length} of ${Object.keys(sorted).length} scenes with a possible face -> ${out}`);
