/**
 * The 5 alignment landmarks of every faces-flr portrait, as the app's own
 * detector finds them, for the face restorer's training script (which aligns
 * crops exactly as the engine will at run time).
 *
 *   node --import tsx models/tools/face-landmarks.ts      # -> models/data/faces-flr-landmarks.json
 *
 * One entry per file ("neutral_front/013_03.jpg": [[x, y] × 5] in the 1350²
 * image's pixels, left eye, right eye, nose tip, left and right mouth corner),
 * or null where no face was found. Data is read from $RESTORA_DATA or
 * ../shared/data, as the training scripts do.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { createFaceDetector } from '../../electron/engine/faces/detector.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const data = process.env.RESTORA_DATA?.trim() || path.join(here, '..', '..', '..', 'shared', 'data');
const out = path.join(here, '..', 'data', 'faces-flr-landmarks.json');

const detector = await createFaceDetector();
const result: Record<string, number[][] | null> = {};
for (const sub of ['neutral_front', 'smiling_front']) {
  const files = fs.readdirSync(path.join(data, 'faces-flr', sub)).filter((f) => f.endsWith('.jpg')).sort();
  for (const f of files) {
    const { data: px, info } = await sharp(path.join(data, 'faces-flr', sub, f)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const rgb = new Float32Array(px.length);
    for (let i = 0; i < px.length; i++) rgb[i] = px[i]! / 255;
    const faces = await detector.detect(rgb, info.width, info.height, { tiles: 'off' });
    const best = faces.sort((a, b) => b.box.w * b.box.h - a.box.w * a.box.h)[0];
    result[`${sub}/${f}`] = best ? best.landmarks5.map(([x, y]) => [Math.round(x * 10) / 10, Math.round(y * 10) / 10]) : null;
    process.stderr.write(`${sub}/${f}: ${best ? 'ok' : 'no face'}\n`);
  }
}
fs.writeFileSync(out, JSON.stringify(result, null, 0).replace(/\],"/g, '],\n"') + '\n');
console.log(`${Object.values(result).filter(Boolean).length} of ${Object.keys(result).length} portraits -> ${out}`);
