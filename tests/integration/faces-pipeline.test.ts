/**
 * The face half of the pipeline on a real portrait (Face Research Lab London
 * Set, CC-BY 4.0): faces are found, and the instruction's scope measurably
 * decides where the photo changes.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { startServices } from '../../devkit/services.js';
import { sharedDataDir } from '../../devkit/shared-data.js';

const portrait = path.join(sharedDataDir(), 'faces-flr', 'neutral_front', '013_03.jpg');
let svc: Awaited<ReturnType<typeof startServices>>;
let input: string;
let box: { x: number; y: number; w: number; h: number };

before(async () => {
  svc = await startServices();
  // A noisy, downscaled copy so there is something to restore everywhere.
  const { data, info } = await sharp(portrait).resize(480, 480).raw().toBuffer({ resolveWithObject: true });
  let s = 7;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    data[i] = Math.max(0, Math.min(255, data[i]! + ((s / 2 ** 32) - 0.5) * 60));
  }
  input = path.join(svc.dataDir, 'portrait-noisy.png');
  await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } }).png().toFile(input);
});
after(() => svc.stop());

async function meanAbsDiff(a: string, b: string, region: { x: number; y: number; w: number; h: number }): Promise<number> {
  const read = (f: string) => sharp(f).extract({ left: Math.round(region.x), top: Math.round(region.y), width: Math.round(region.w), height: Math.round(region.h) }).removeAlpha().raw().toBuffer();
  const [da, db] = await Promise.all([read(a), read(b)]);
  let sum = 0;
  for (let i = 0; i < da.length; i++) sum += Math.abs(da[i]! - db[i]!);
  return sum / da.length;
}

test('the analysis finds the face in a portrait', async () => {
  const a = await svc.broker.invoke('engine.analyze', { input });
  assert.equal(a.facesDetected, true, a.notes.join(' '));
  assert.equal(a.faces.length, 1);
  box = a.faces[0]!;
  assert.ok(box.w > 100 && box.w < 400, `face box ${JSON.stringify(box)}`);
  assert.ok(a.suggestions.some((s) => /face/.test(s)));
});

test('"only the faces" leaves the background as it was and changes the face', async () => {
  const out = path.join(svc.dataDir, 'only-faces.png');
  const r = await svc.broker.runJob('engine.restoreFile', { input, output: out, settings: { instruction: 'only restore the faces' } });
  assert.equal((r.recipe.settings.faces as unknown[]).length, 1);
  const corner = { x: 0, y: 0, w: 60, h: 60 };
  const inner = { x: box.x + box.w * 0.3, y: box.y + box.h * 0.3, w: box.w * 0.4, h: box.h * 0.4 };
  assert.ok((await meanAbsDiff(input, out, corner)) < 0.5, 'background untouched');
  assert.ok((await meanAbsDiff(input, out, inner)) > 2, 'face restored');
});

test('"keep the faces as they are" restores the background and leaves the face', async () => {
  const out = path.join(svc.dataDir, 'keep-faces.png');
  await svc.broker.runJob('engine.restoreFile', { input, output: out, settings: { instruction: 'remove the noise; keep the faces as they are' } });
  const corner = { x: 0, y: 0, w: 60, h: 60 };
  const inner = { x: box.x + box.w * 0.35, y: box.y + box.h * 0.35, w: box.w * 0.3, h: box.h * 0.3 };
  assert.ok((await meanAbsDiff(input, out, corner)) > 2, 'background restored');
  assert.ok((await meanAbsDiff(input, out, inner)) < 0.5, 'face left as it was');
});

test('choosing no faces skips face restoration entirely', async () => {
  const out = path.join(svc.dataDir, 'no-faces.png');
  const r = await svc.broker.runJob('engine.restoreFile', { input, output: out, settings: { faces: [] } });
  assert.deepEqual(r.recipe.settings.faces, []);
  assert.ok(fs.existsSync(out));
});
