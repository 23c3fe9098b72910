/**
 * The face restoration benchmark: `npm run bench:faces:restore [-- --limit 24] [--size 512]
 *   [--severities light,medium,severe] [--families oldphoto,sr] [--models DIR] [--keep DIR]
 *   [--arms photo,restorer,face] [--mode fast|generative] [--fidelity 0.7]`
 *
 * Held-out faces-flr portraits (people 001–012, neutral and smiling; never trained on), resized to
 * --size, degraded by the old-photo recipe and by the independent families of bench/degradations
 * (their own blur, resize and JPEG code), then restored by the real engine worker twice in the same run:
 *   photo     (only with --arms photo,…) no face pass: the whole portrait through the photo's restorer;
 *   restorer  the faces restored by the photo's restorer (the shipped models, no face restorer);
 *   face      the face pass with the face restorer: the shipped one, or the candidate in --models DIR
 *             (model folders installed as the user's own).
 * Per face, against the clean portrait (face box from the .tem landmarks, grown 15 %):
 *   PSNR in the face box; identity: the face descriptor's distance to the clean face's (both aligned
 *   with the landmarks found on the clean portrait, so only the pixels differ); texture: the HF energy
 *   of the face box over the clean one's (1 = skin keeps its texture, < 1 smoothed); colour: how far the
 *   box's mean colour moved (8-bit units); found: the share of outputs where the detector (one pass, as
 *   on an upload) finds a face over the true face box. Clean portraits are restored too (do no harm: nothing should
 *   move). A benchmark, not a test: prints a table; the last line is one JSON object.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { requireBuild } from '../devkit/services.js';
import { sharedDataDir } from '../devkit/shared-data.js';
import { applyRecipe, sampleRecipe, type RgbImage, type Severity } from '../electron/engine/degradations/index.js';
import { createFaceDetector } from '../electron/engine/faces/detector.js';
import { alignFace } from '../electron/engine/faces/align.js';
import { alignedFaceOutline, descriptorDistance } from '../electron/engine/face-stage.js';
import { hfEnergy, psnr, PSNR_CAP } from '../devkit/metrics/index.js';
import { degradeFamily, fnv1a32, FAMILIES, quantize, type Family } from './degradations/families.js';
import { ARMS as ALL_ARMS, armEngine, armSettings, type Arm } from './faces/engines.js';
import { loadRgb, writePng } from './image-files.js';

const argv = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1]! : def;
};
const LIMIT = Number(arg('limit', '24'));
const SIZE = Number(arg('size', '512'));
const SEVERITIES = arg('severities', 'light,medium,severe').split(',') as Severity[];
const FAMS = arg('families', 'oldphoto,sr').split(',');
const MODELS = arg('models', '');
const KEEP = arg('keep', '');
const SEED = Number(arg('seed', '0'));
const ARMS = arg('arms', 'restorer,face').split(',') as Arm[];
for (const a of ARMS) if (!ALL_ARMS.includes(a)) throw new Error(`unknown arm ${a}`);
const MODE = arg('mode', 'fast');
const FIDELITY = Number(arg('fidelity', '0.7'));
if (MODE !== 'fast' && MODE !== 'generative') throw new Error(`--mode is fast or generative, not ${MODE}`);
for (const f of FAMS) if (f !== 'oldphoto' && f !== 'clean' && !(FAMILIES as readonly string[]).includes(f)) throw new Error(`unknown family ${f}`);

const FLR = path.join(sharedDataDir(), 'faces-flr');

interface Box { x0: number; y0: number; x1: number; y1: number }
interface Portrait { name: string; img: RgbImage; box: Box; landmarks5: Array<[number, number]>; descriptor: Float32Array }

function temBox(file: string, size: number): Box {
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  const pts = lines.slice(1, 1 + Number(lines[0])).map((l) => l.split(/\s+/).map(Number)).filter((p) => p.length >= 2 && p.every(Number.isFinite));
  const k = size / 1350;
  const xs = pts.map((p) => p[0]! * k), ys = pts.map((p) => p[1]! * k);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const gx = 0.15 * (x1 - x0), gy = 0.15 * (y1 - y0);
  return { x0: Math.max(0, Math.floor(x0 - gx)), y0: Math.max(0, Math.floor(y0 - gy)), x1: Math.min(size, Math.ceil(x1 + gx)), y1: Math.min(size, Math.ceil(y1 + gy)) };
}

function cut(img: RgbImage, b: Box): RgbImage {
  const w = b.x1 - b.x0, h = b.y1 - b.y0, rgb = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) rgb.set(img.rgb.subarray(((b.y0 + y) * img.width + b.x0) * 3, ((b.y0 + y) * img.width + b.x1) * 3), y * w * 3);
  return { width: w, height: h, rgb };
}

function meanColour(img: RgbImage): number[] {
  const m = [0, 0, 0];
  for (let i = 0; i < img.rgb.length; i++) m[i % 3]! += img.rgb[i]!;
  return m.map((v) => v / (img.rgb.length / 3));
}

const detector = await createFaceDetector();
const ALIGN = 256;
const describe = async (img: RgbImage, p: Portrait) => {
  const a = alignFace(img, p.landmarks5, ALIGN);
  return detector.describe(a.crop, ALIGN, ALIGN, alignedFaceOutline(ALIGN));
};

async function portraits(): Promise<Portrait[]> {
  const files = ['neutral_front', 'smiling_front'].flatMap((sub) =>
    fs.existsSync(path.join(FLR, sub)) ? fs.readdirSync(path.join(FLR, sub)).filter((f) => /^0(0[1-9]|1[0-2])_.*\.jpg$/.test(f)).map((f) => path.join(sub, f)) : [],
  );
  // one per person first (neutral 001..012, then smiling), so a small --limit still spans the people
  files.sort((a, b) => path.basename(a).localeCompare(path.basename(b)) || a.localeCompare(b));
  const byPerson = [...files.filter((f) => f.startsWith('neutral')), ...files.filter((f) => f.startsWith('smiling'))].slice(0, LIMIT);
  const out: Portrait[] = [];
  for (const rel of byPerson) {
    const img = quantize(await loadRgb(path.join(FLR, rel), { side: SIZE, fit: 'fill' }));
    const tem = path.join(FLR, 'neutral_front', path.basename(rel).slice(0, 3) + '_03.tem');
    const found = (await detector.detect(img.rgb, img.width, img.height)).sort((a, b) => b.box.w * b.box.h - a.box.w * a.box.h)[0];
    if (!found || !fs.existsSync(tem)) {
      console.log(`skipped ${rel}: ${found ? 'no landmark file' : 'no face found on the clean portrait'}`);
      continue;
    }
    const p: Portrait = { name: rel, img, box: temBox(tem, SIZE), landmarks5: found.landmarks5 as Array<[number, number]>, descriptor: new Float32Array() };
    p.descriptor = await describe(img, p);
    out.push(p);
  }
  return out;
}

interface Row { psnr: number; identity: number; texture: number; colour: number; found: number }
/** Whether the detector (one pass, as on an upload) finds a face over the true face box in the image. */
async function faceFound(img: RgbImage, box: Box): Promise<number> {
  const faces = await detector.detect(img.rgb, img.width, img.height);
  const inside = (x: number, y: number) => x >= box.x0 && x <= box.x1 && y >= box.y0 && y <= box.y1;
  return faces.some((f) => inside(f.box.x + f.box.w / 2, f.box.y + f.box.h / 2)) ? 1 : 0;
}
async function measure(p: Portrait, out: RgbImage, desc: Float32Array): Promise<Row> {
  const a = cut(p.img, p.box), b = cut(out, p.box);
  const ca = meanColour(a), cb = meanColour(b);
  return {
    found: await faceFound(out, p.box),
    psnr: Math.min(PSNR_CAP, psnr(a.rgb, b.rgb)),
    identity: descriptorDistance(p.descriptor, desc),
    texture: hfEnergy(b.rgb, b.width, b.height) / Math.max(1e-12, hfEnergy(a.rgb, a.width, a.height)),
    colour: 255 * Math.hypot(ca[0]! - cb[0]!, ca[1]! - cb[1]!, ca[2]! - cb[2]!),
  };
}
const mean = (rows: Row[]): Row => {
  const m = (k: keyof Row) => Math.round((rows.reduce((s, r) => s + r[k], 0) / Math.max(1, rows.length)) * 1000) / 1000;
  return { psnr: m('psnr'), identity: m('identity'), texture: m('texture'), colour: m('colour'), found: m('found') };
};

requireBuild();
const started = Date.now();
const people = await portraits();
if (!people.length) throw new Error(`no held-out portraits (001–012) with landmarks in ${FLR}`);
const work = KEEP ? path.resolve(KEEP) : fs.mkdtempSync(path.join(os.tmpdir(), 'restora-facebench-'));
fs.mkdirSync(work, { recursive: true });

const cases: Array<{ family: string; severity: Severity | 'none' }> = [{ family: 'clean', severity: 'none' }, ...FAMS.filter((f) => f !== 'clean').flatMap((family) => SEVERITIES.map((severity) => ({ family, severity })))];
const inputs = new Map<string, string>();
const inputRows = new Map<string, Row[]>();
for (const c of cases) {
  const key = `${c.family}/${c.severity}`;
  inputRows.set(key, []);
  for (const [i, p] of people.entries()) {
    const seed = fnv1a32(`${SEED}/${key}/${p.name}`);
    let deg: RgbImage = p.img;
    if (c.family === 'oldphoto') deg = quantize(await applyRecipe(p.img, sampleRecipe(seed, c.severity as Severity)));
    else if (c.family !== 'clean') deg = quantize((await degradeFamily(p.img, c.family as Family, c.severity as Severity, seed)).image);
    const file = path.join(work, `${key.replace('/', '-')}-${i}.png`);
    await writePng(file, deg);
    inputs.set(`${key}#${i}`, file);
    inputRows.get(key)!.push(await measure(p, deg, await describe(deg, p)));
  }
}

const results: Record<string, Record<string, Row & { n: number }>> = {};
const seconds: Record<string, number> = {};
const modelsUsed: Record<string, string> = {};
for (const arm of ARMS) {
  const { broker, cleanup, models } = await armEngine(arm, MODELS);
  modelsUsed[arm] = models;
  console.log(`${arm}: models ${models}`);
  const t0 = Date.now();
  let jobs = 0;
  try {
    for (const c of cases) {
      const key = `${c.family}/${c.severity}`;
      const rows: Row[] = [];
      for (const [i, p] of people.entries()) {
        const out = path.join(work, `${key.replace('/', '-')}-${i}.${arm}.png`);
        await broker.runJob('engine.restoreFile', { input: inputs.get(`${key}#${i}`)!, output: out, settings: { instruction: '', ...armSettings(arm), ...(MODE === 'generative' ? { mode: 'generative', fidelity: FIDELITY } : {}) } });
        jobs++;
        const img = await loadRgb(out);
        rows.push(await measure(p, img, await describe(img, p)));
      }
      (results[key] ??= { input: { ...mean(inputRows.get(key)!), n: people.length } })[arm] = { ...mean(rows), n: rows.length };
      const r = results[key]!;
      console.log(`${key.padEnd(18)} ${['input', ...ARMS].filter((k) => r[k]).map((k) => `${k} ${r[k]!.psnr.toFixed(2)} dB id ${r[k]!.identity.toFixed(3)} tex ${r[k]!.texture.toFixed(2)} col ${r[k]!.colour.toFixed(1)} found ${r[k]!.found.toFixed(2)}`).join(' | ')}`);
    }
  } finally {
    cleanup();
  }
  seconds[arm] = Math.round(((Date.now() - t0) / 1000 / Math.max(1, jobs)) * 100) / 100;
}
if (!KEEP) fs.rmSync(work, { recursive: true, force: true });

console.log('\ncase               arm       PSNR   identity  texture  colour  found');
for (const [key, r] of Object.entries(results)) for (const arm of ['input', ...ARMS]) if (r[arm]) console.log(`${key.padEnd(18)} ${arm.padEnd(9)} ${r[arm]!.psnr.toFixed(2).padStart(6)}  ${r[arm]!.identity.toFixed(3).padStart(7)}  ${r[arm]!.texture.toFixed(2).padStart(7)}  ${r[arm]!.colour.toFixed(1).padStart(6)}  ${r[arm]!.found.toFixed(2).padStart(5)}`);
console.log(JSON.stringify({ bench: 'faces-restore', mode: MODE, ...(MODE === 'generative' ? { fidelity: FIDELITY } : {}), portraits: people.length, size: SIZE, seed: SEED, models: modelsUsed, results, secondsPerRestore: seconds, seconds: Math.round((Date.now() - started) / 1000) }));
