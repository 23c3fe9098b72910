/**
 * The repair stage: the fill changes masked pixels only and continues what is
 * around them; the instruction picks the kinds; a user's mask replaces the
 * detector's and a mask of another size is refused by name; the tiled
 * detector marks what its model marks, at any size; the mask used is written
 * beside the result and named in the recipe.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import * as ort from 'onnxruntime-node';
import { fillMasked } from '../../../electron/engine/damage/fill.js';
import { dilateMask, kindsToRepair, readMaskFile } from '../../../electron/engine/damage/mask.js';
import { detectDamage, mirrorRows } from '../../../electron/engine/damage/detector.js';
import { restoreFile } from '../../../electron/engine/restore-file.js';
import { RestoreSettings } from '../../../electron/shared/recipe.js';
import type { LoadedModel } from '../../../electron/engine/session-cache.js';
import type { HandlerContext } from '../../../electron/node/worker-runtime.js';
import type { PickedRestorer } from '../../../electron/engine/types.js';

/** A smooth diagonal gradient with a bright 2-px scratch across row 20..21 and a dark speck. */
function scratched(w: number, h: number) {
  const clean = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) clean[(y * w + x) * 3 + c] = 40 + x + y + 10 * c;
  const damaged = new Uint8Array(clean);
  const mask = new Uint8Array(w * h);
  for (let x = 0; x < w; x++) for (const y of [20, 21]) {
    mask[y * w + x] = 255;
    damaged.fill(250, (y * w + x) * 3, (y * w + x) * 3 + 3);
  }
  for (let y = 40; y < 43; y++) for (let x = 30; x < 33; x++) {
    mask[y * w + x] = 255;
    damaged.fill(0, (y * w + x) * 3, (y * w + x) * 3 + 3);
  }
  return { clean, damaged, mask };
}

test('fillMasked changes masked pixels only and continues a smooth gradient across a scratch and a speck', () => {
  const w = 80, h = 60;
  const { clean, damaged, mask } = scratched(w, h);
  const { rgb8, filled } = fillMasked(damaged, w, h, mask);
  assert.equal(filled, 2 * w + 9);
  let maxErr = 0;
  for (let p = 0; p < w * h; p++) {
    for (let c = 0; c < 3; c++) {
      if (!mask[p]) assert.equal(rgb8[p * 3 + c], damaged[p * 3 + c], 'outside the mask: byte-identical');
      else maxErr = Math.max(maxErr, Math.abs(rgb8[p * 3 + c]! - clean[p * 3 + c]!));
    }
  }
  assert.ok(maxErr <= 3, `inside the mask within 3 of the clean gradient (max ${maxErr})`);
});

test('fillMasked: an empty mask and a mask over the whole photo leave it as it was', () => {
  const w = 20, h = 10;
  const { damaged } = scratched(w, h);
  assert.deepEqual(fillMasked(damaged, w, h, new Uint8Array(w * h)), { rgb8: damaged, filled: 0 });
  assert.deepEqual(fillMasked(damaged, w, h, new Uint8Array(w * h).fill(255)), { rgb8: damaged, filled: 0 });
});

test('fillMasked fills a hole wider than a block from its surroundings', () => {
  const w = 700, h = 40;
  const rgb = new Uint8Array(w * h * 3).fill(120);
  const mask = new Uint8Array(w * h);
  for (let y = 10; y < 30; y++) for (let x = 5; x < 695; x++) {
    mask[y * w + x] = 255;
    rgb.fill(0, (y * w + x) * 3, (y * w + x) * 3 + 3);
  }
  const { rgb8 } = fillMasked(rgb, w, h, mask);
  assert.ok(rgb8.every((v) => Math.abs(v - 120) <= 1));
});

test('kindsToRepair repairs what the words or edits set to fix, and nothing they leave or do not state', () => {
  const all = ['scratch', 'dust', 'blotch', 'tear'];
  assert.deepEqual([...kindsToRepair('')], [], 'no damage named: none repaired unasked');
  assert.deepEqual([...kindsToRepair('make it sharper')], []);
  assert.deepEqual([...kindsToRepair('repair the scratches')], ['scratch']);
  assert.deepEqual([...kindsToRepair('remove the scratches and the dust')].sort(), ['dust', 'scratch']);
  assert.deepEqual([...kindsToRepair('repair the damage')].sort(), ['dust', 'scratch'], 'stains and tears only when named');
  assert.deepEqual([...kindsToRepair('repair the damage and the torn corner')].sort(), ['dust', 'scratch', 'tear']);
  assert.deepEqual([...kindsToRepair('repair the damage, the stains and the torn corner')].sort(), [...all].sort());
  assert.deepEqual([...kindsToRepair('remove the scratches but leave the dust')], ['scratch']);
  // Leaving one kind asks nothing of the others: the one parser reads it so, and unasked kinds are not repaired.
  assert.deepEqual([...kindsToRepair("don't touch the dust")], []);
  assert.deepEqual([...kindsToRepair('keep the stains')], []);
  assert.deepEqual([...kindsToRepair('repair the damage but leave the dust')].sort(), ['scratch']);
  assert.deepEqual([...kindsToRepair('fix the defects')].sort(), ['dust', 'scratch']);
  assert.deepEqual([...kindsToRepair('remove the damage and the stains')].sort(), ['blotch', 'dust', 'scratch']);
  assert.deepEqual([...kindsToRepair('restore it', { dust: 'fix' })], ['dust'], 'an edit asks as the words do');
  assert.deepEqual([...kindsToRepair('remove the scratches', { scratches: 'leave' })], [], 'an edit overrides the words');
  assert.deepEqual([...kindsToRepair('only the big stains')], ['blotch']);
  assert.deepEqual([...kindsToRepair("don't repair anything, keep the damage")], []);
});

test('dilateMask grows a single pixel into a square', () => {
  const m = new Uint8Array(25);
  m[12] = 255;
  assert.equal(dilateMask(m, 5, 5, 1).filter((v) => v).length, 9);
});

async function tmp(): Promise<string> {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'restora-damage-'));
}

test('a user mask of another size is refused with both sizes', async () => {
  const file = path.join(await tmp(), 'mask.png');
  await sharp({ create: { width: 30, height: 20, channels: 3, background: '#fff' } }).png().toFile(file);
  await assert.rejects(readMaskFile(file, 40, 20), /30×20 but the photo is 40×20/);
  const m = await readMaskFile(file, 30, 20);
  assert.ok(m.every((v) => v === 255));
});

/**
 * A stand-in detector model: `read` fills the four probability planes (scratch, dust, blotch, tear) of `out` for a
 * tile given as CHW floats; each call's tile size is noted in `calls`.
 */
function standIn(read: (img: Float32Array, w: number, h: number, out: Float32Array) => void, opts: { tile?: number; semantics?: object; calls?: string[] } = {}): LoadedModel {
  const manifest = { id: 'fake-damage', version: '1', sha256: 'a'.repeat(64), tile: { size: opts.tile ?? 48, overlap: 16, multiple: 16 }, ...(opts.semantics ? { semantics: opts.semantics } : {}) };
  return {
    provider: 'cpu',
    model: { id: 'fake-damage', dir: '', file: '', source: 'shipped', ok: true, manifest: manifest as never },
    session: {
      run: async (feeds: Record<string, ort.Tensor>) => {
        const [, , h, w] = feeds.image!.dims as number[];
        opts.calls?.push(`${w}x${h}`);
        const out = new Float32Array(4 * h! * w!);
        read(feeds.image!.data as Float32Array, w!, h!, out);
        return { damage: new ort.Tensor('float32', out, [1, 4, h!, w!]) };
      },
    } as never,
  };
}

/** Marks as a scratch (channel 0) every pixel brighter than 240. */
function brightDetector(calls: string[]): LoadedModel {
  return standIn((img, w, h, out) => {
    for (let q = 0; q < h * w; q++) out[q] = img[q]! > 240 / 255 ? 0.9 : 0.1;
  }, { calls });
}

test('detectDamage runs tiles over a photo larger than one and marks the same pixels as the model', async () => {
  const w = 130, h = 70;
  const { damaged } = scratched(w, h);
  const calls: string[] = [];
  const bits = await detectDamage(brightDetector(calls), damaged, w, h);
  assert.ok(calls.length > 4);
  for (let p = 0; p < w * h; p++) assert.equal(bits[p], damaged[p * 3]! > 240 ? 1 : 0);
});

const ctx: HandlerContext = { jobId: 'j', signal: new AbortController().signal, progress: () => undefined, throwIfCancelled: () => undefined, emit: () => undefined };
const identity: PickedRestorer = { models: [], semanticTokens: [], provider: 'cpu', tileSize: 64, overlap: 8, restoreTile: async (rgb) => rgb };

async function photo(dir: string, w: number, h: number, rgb: Uint8Array): Promise<string> {
  const file = path.join(dir, 'in.png');
  await sharp(Buffer.from(rgb), { raw: { width: w, height: h, channels: 3 } }).png().toFile(file);
  return file;
}

test('restoreFile repairs detected damage before restoring, writes the mask and names it in the recipe', async () => {
  const dir = await tmp();
  const w = 80, h = 60;
  const { clean, damaged } = scratched(w, h);
  const input = await photo(dir, w, h, damaged);
  const output = path.join(dir, 'out.png'), maskOutput = path.join(dir, 'out.mask.png');
  const r = await restoreFile({ input, output, maskOutput, settings: RestoreSettings.parse({ instruction: 'remove the scratches', faces: [] }) }, ctx, {
    pickRestorer: async () => identity,
    damageDetector: async () => brightDetector([]),
  });
  const out = await sharp(output).raw().toBuffer();
  const row = 21 * w * 3 + 40 * 3;
  assert.ok(Math.abs(out[row]! - clean[row]!) <= 4, 'the scratch is gone');
  assert.equal(out[(41 * w + 31) * 3], 0, 'the dark speck is not a bright scratch: kept');
  const damage = r.recipe.settings.damage as { source: string; mask: string; found: { scratch: number }; repaired: number };
  assert.equal(damage.source, 'detected');
  assert.equal(damage.mask, 'out.mask.png');
  assert.equal(damage.found.scratch, Math.round((2 * w / (w * h)) * 1e5) / 1e5);
  const meta = await sharp(maskOutput).metadata();
  assert.deepEqual([meta.width, meta.height, meta.channels], [w, h, 1]);
  const m = await sharp(maskOutput).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  assert.equal(m.data.filter((v) => v).length, 6 * w, 'the scratch grown by 2 px each side');
});

test('restoreFile with the user\'s mask repairs exactly it; with "leave the scratches", repair: false or no damage named the repair stage changes nothing (the steer stage still does what the words state)', async () => {
  const dir = await tmp();
  const w = 80, h = 60;
  const { damaged, mask } = scratched(w, h);
  const input = await photo(dir, w, h, damaged);
  const maskFile = path.join(dir, 'mask.png');
  await sharp(Buffer.from(mask), { raw: { width: w, height: h, channels: 1 } }).png().toFile(maskFile);
  const output = path.join(dir, 'out.png');
  let detectorAsked = 0;
  const tools = { pickRestorer: async () => identity, damageDetector: async () => (detectorAsked++, brightDetector([])) };
  const r = await restoreFile({ input, output, mask: maskFile, settings: RestoreSettings.parse({ faces: [] }) }, ctx, tools);
  assert.equal(detectorAsked, 0);
  assert.equal((r.recipe.settings.damage as { source: string }).source, 'user');
  const out = await sharp(output).raw().toBuffer();
  assert.ok(out[(41 * w + 31) * 3]! > 60, 'the speck the detector would not mark is filled');
  // The repair stage leaves these alone; what the words state is still done by the steer stage's own
  // explicit operations (its dust and scratch fills), so only the photo with no instruction comes back byte for byte.
  const scratchRows = (rgb: Uint8Array) => Buffer.from(rgb.subarray(20 * w * 3, 22 * w * 3));
  const leave = await restoreFile({ input, output, settings: RestoreSettings.parse({ instruction: 'remove the dust but leave the scratches', faces: [] }) }, ctx, tools);
  assert.equal((leave.recipe.settings.damage as { repaired: number }).repaired, 0, 'no dust found: the repair stage changed nothing');
  assert.deepEqual(scratchRows(await sharp(output).raw().toBuffer()), scratchRows(damaged), 'the scratches are left');
  const off = await restoreFile({ input, output, settings: RestoreSettings.parse({ instruction: 'remove the scratches', repair: false, faces: [] }) }, ctx, tools);
  assert.equal((off.recipe.settings.damage as { source: string }).source, 'off');
  assert.deepEqual((off.recipe.settings.steer as { photo: string[] }).photo, ['scratches:fix'], 'the explicit scratch fill still runs');
  await restoreFile({ input, output, settings: RestoreSettings.parse({ faces: [] }) }, ctx, tools);
  assert.deepEqual(await sharp(output).raw().toBuffer(), Buffer.from(damaged));
});

test('hysteresis marks weaker pixels connected to a marked one of the same kind, and nothing isolated', async () => {
  const { growMarks } = await import('../../../electron/engine/damage/detector.js');
  // 6×3, kind 0 (scratch): a seed at (0,1), a weaker run to (3,1), a gap, and a weak isolated pixel at (5,1).
  const w = 6, h = 3, n = w * h;
  const bits = new Uint8Array(n);
  const prob8 = new Uint8Array(4 * n);
  bits[1 * w + 0] = 1;
  for (const x of [1, 2, 3]) prob8[1 * w + x] = 150;
  prob8[1 * w + 5] = 200;
  prob8[n + 1 * w + 1] = 250; // another kind's response beside it does not grow the scratch
  growMarks(bits, prob8, w, h, 128);
  assert.deepEqual([...bits.subarray(w, 2 * w)], [1, 1, 1, 1, 0, 0]);
  assert.equal(bits.reduce((s, v) => s + v, 0), 4);
});

test('line growth follows a fading scratch along its length and takes back a blob grown on texture', async () => {
  const { growLines } = await import('../../../electron/engine/damage/detector.js');
  // 40×20, scratch kind: seed A at (2,5) with a faint one-pixel line to (30,5); seed B at (30,15) inside a faint 7×7 blob.
  const w = 40, h = 20, n = w * h;
  const bits = new Uint8Array(n);
  const prob8 = new Uint8Array(4 * n);
  bits[5 * w + 2] = 1;
  for (let x = 3; x <= 30; x++) prob8[5 * w + x] = 160;
  bits[15 * w + 30] = 1;
  for (let y = 12; y <= 18; y++) for (let x = 27; x <= 33; x++) if (!(x === 30 && y === 15)) prob8[y * w + x] = 160;
  // A dust mark beside the line is not grown (only scratches are).
  bits[1 * w + 10] = 2;
  prob8[n + 1 * w + 11] = 250;
  growLines(bits, prob8, w, h, 128);
  const row5 = [...bits.subarray(5 * w, 6 * w)].map((v) => v & 1);
  assert.equal(row5.slice(2, 31).every((v) => v === 1), true, 'the line is followed to its end');
  let blob = 0;
  for (let y = 12; y <= 18; y++) for (let x = 27; x <= 33; x++) blob += bits[y * w + x]! & 1;
  assert.equal(blob, 1, 'only the seed of the blob stays');
  assert.equal(bits[1 * w + 11], 0, 'dust is not grown');
});

test('a kind with its own threshold in the manifest (semantics.kindThresholds) is marked only above it; an explicit threshold sets every kind', async () => {
  // Every pixel: scratch 0.92, blotch 0.92. The manifest marks at 0.9, stains at 0.95.
  const model = standIn((_img, w, h, out) => {
    out.fill(0.92, 0, h * w);
    out.fill(0.92, 2 * h * w, 3 * h * w);
  }, { semantics: { threshold: 0.9, kindThresholds: { blotch: 0.95 } } });
  const rgb = new Uint8Array(20 * 10 * 3).fill(128);
  const bits = await detectDamage(model, rgb, 20, 10);
  assert.ok(bits.every((b) => b === 1), 'scratches at 0.92 ≥ 0.9, stains at 0.92 < 0.95');
  const all = await detectDamage(model, rgb, 20, 10, { threshold: 0.9 });
  assert.ok(all.every((b) => b === (1 | 4)), 'an explicit threshold marks both');
});

test('flip: each tile also runs mirrored and the two readings are averaged, back in place (mirrorRows)', async () => {
  assert.deepEqual(Array.from(mirrorRows(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), 3, 2, 2)), [3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10]);
  // A detector blind to the right half of whatever it is shown: it reads a bright pixel as a scratch only on the left.
  const calls: string[] = [];
  const model = standIn((img, w, h, out) => {
    for (let y = 0; y < h; y++) for (let x = 0; x < w / 2; x++) out[y * w + x] = img[y * w + x]!;
  }, { tile: 64, semantics: { threshold: 0.4 }, calls });
  const w = 40, h = 10, rgb = new Uint8Array(w * h * 3);
  for (const x of [5, 30]) rgb.fill(255, (4 * w + x) * 3, (4 * w + x) * 3 + 3);
  const plain = await detectDamage(model, rgb, w, h);
  assert.deepEqual([plain[4 * w + 5], plain[4 * w + 30]], [1, 0], 'one view: only the left speck');
  assert.equal(calls.length, 1);
  const both = await detectDamage(model, rgb, w, h, { flip: true });
  assert.deepEqual([both[4 * w + 5], both[4 * w + 30]], [1, 1], 'both views, averaged (0.5 each): both specks');
  assert.equal(both.reduce((n, b) => n + (b ? 1 : 0), 0), 2, 'nothing else');
  assert.equal(calls.length, 3);
});
