/**
 * The face-detection benchmark: `npm run bench:faces [-- --photos 12] [--seed 23] [--size 960x640] [--faces 18-62] [--no-real] [--save DIR]
 *   [--models DIR] [--no-finder] [--candidates FILE]`
 * Recall and precision of face detection on aged group photographs:
 *  - synthetic: group photos composed from held-out faces-flr portraits
 *    (people 001-012), faces 18-62 px wide, sepia, faded, blurred, at three
 *    ages of damage (bench/faces/group-photos.ts), true boxes from landmarks;
 *  - real: old photographs from ../shared/data/old-photos with faces marked by
 *    hand (bench/faces/old-photos-faces.json; evaluation use, as the data's
 *    licence allows).
 * Each detector runs on the same photos in the same run: the release's
 * (one pass over the photo at the detector's 640 px, tiles only above
 * 1000 px, faces under 24 px dropped, as `restora analyze` did) and the
 * current one (electron/engine/faces/find-faces.ts, with the learned face
 * finder of models/zoo, or of --models DIR when it holds one; --no-finder
 * leaves it out). A true face counts as found when a detection overlaps it by
 * IoU ≥ 0.3. --candidates FILE writes every candidate the current search
 * judged (its scores, landmark check, whether it matches a true face), one
 * JSON line per photo, for choosing the checks' thresholds on a seed that is
 * not the benchmark's. Prints a table; the last line is one JSON object. A
 * benchmark, never a test.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { createFaceDetector } from '../electron/engine/faces/detector.js';
import { findAllFaces } from '../electron/engine/faces/find-faces.js';
import { findFaceFinder } from '../electron/engine/faces/finder.js';
import { faceLikeLandmarks } from '../electron/engine/faces/verify.js';
import { scanModels } from '../electron/node/model-registry.js';
import { shippedModelsDir } from '../electron/node/app-paths.js';
import { SessionCache } from '../electron/engine/session-cache.js';
import type { Rect, RgbImage } from '../electron/engine/types.js';
import { sharedDataDir } from '../devkit/shared-data.js';
import { composeGroupPhotos, type GroupPhoto } from './faces/group-photos.js';
import { addTally, iou, MATCH_IOU, rates, scoreDetections, type Tally } from './faces/score.js';

const argv = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1]! : def;
};
const PHOTOS = Number(arg('photos', '12'));
const SEED = Number(arg('seed', '23'));
const [W, H] = arg('size', '960x640').split('x').map(Number) as [number, number];
const [MIN_FACE, MAX_FACE] = arg('faces', '18-62').split('-').map(Number) as [number, number];
const SAVE = arg('save', '');
const CANDIDATES = arg('candidates', '');
const MODELS = arg('models', '');
const DATA = sharedDataDir();
const sessions = new SessionCache();
const finderModel = argv.includes('--no-finder')
  ? null
  : findFaceFinder(scanModels([...(MODELS ? [{ dir: MODELS, source: 'user' as const }] : []), { dir: shippedModelsDir(), source: 'shipped' as const }]));
const finder = finderModel ? () => sessions.get(finderModel, 'cpu') : undefined;
console.log(`face finder: ${finderModel ? `${finderModel.id}@${finderModel.manifest?.version} (${finderModel.dir})` : 'none'}`);
if (CANDIDATES) fs.writeFileSync(CANDIDATES, '');
let truthNow: Rect[] = [];
let nameNow = '';

interface Found {
  box: Rect;
  score: number;
}
type Detect = (img: RgbImage) => Promise<Found[]>;

const detector = await createFaceDetector();
const DETECTORS: Record<string, Detect> = {
  release: async (img) => (await detector.detect(img.rgb, img.width, img.height)).filter((f) => Math.min(f.box.w, f.box.h) >= 24),
  current: async (img) =>
    findAllFaces(img, {
      finder,
      onCandidates: CANDIDATES
        ? (judged) => {
            const rows = judged.map(({ face, support, finderScore, ssdScore, accepted }) => ({
              box: face.box, support, finderScore: Math.round(finderScore * 1000) / 1000, ssdScore: Math.round(ssdScore * 1000) / 1000,
              faceLike: faceLikeLandmarks(face), accepted, truth: truthNow.some((t) => iou(t, face.box) >= MATCH_IOU),
            }));
            fs.appendFileSync(CANDIDATES, JSON.stringify({ photo: nameNow, truth: truthNow.length, candidates: rows }) + '\n');
          }
        : undefined,
    }),
};

interface Marked {
  file: string;
  faces: Rect[];
}

async function realPhotos(): Promise<Array<{ name: string; img: RgbImage; faces: Rect[] }>> {
  const marks = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'faces', 'old-photos-faces.json'), 'utf8')) as { photos: Marked[] };
  const out = [];
  for (const m of marks.photos) {
    const { data, info } = await sharp(path.join(DATA, 'old-photos', m.file)).rotate().toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true });
    out.push({ name: m.file, img: { rgb: Float32Array.from(data, (v) => v / 255), width: info.width, height: info.height }, faces: m.faces });
  }
  return out;
}

async function save(name: string, img: RgbImage, truth: Rect[], found: Record<string, Found[]>): Promise<void> {
  if (!SAVE) return;
  fs.mkdirSync(SAVE, { recursive: true });
  const rect = (r: Rect, colour: string) => `<rect x="${r.x}" y="${r.y}" width="${r.w}" height="${r.h}" fill="none" stroke="${colour}" stroke-width="2"/>`;
  const svg = `<svg width="${img.width}" height="${img.height}" xmlns="http://www.w3.org/2000/svg">${truth.map((r) => rect(r, 'lime')).join('')}${(found.current ?? []).map((f) => rect(f.box, 'red')).join('')}</svg>`;
  const px = Buffer.from(Uint8Array.from(img.rgb, (v) => Math.round(v * 255)));
  await sharp(px, { raw: { width: img.width, height: img.height, channels: 3 } }).composite([{ input: Buffer.from(svg) }]).jpeg({ quality: 85 }).toFile(path.join(SAVE, `${path.parse(name).name}.jpg`));
}

const zero = (): Tally => ({ truth: 0, found: 0, matched: 0 });
const totals: Record<string, Record<string, Tally>> = {};
const seconds: Record<string, number> = {};
const add = (set: string, det: string, t: Tally) => {
  totals[set] ??= {};
  totals[set][det] = addTally(totals[set][det] ?? zero(), t);
};

async function run(sets: string[], name: string, img: RgbImage, truth: Rect[]): Promise<void> {
  const found: Record<string, Found[]> = {};
  truthNow = truth;
  nameNow = name;
  const cells: string[] = [];
  for (const [det, detect] of Object.entries(DETECTORS)) {
    const t0 = performance.now();
    found[det] = await detect(img);
    seconds[det] = (seconds[det] ?? 0) + (performance.now() - t0) / 1000;
    const s = scoreDetections(truth, found[det]);
    for (const set of sets) add(set, det, s);
    cells.push(`${det} ${s.matched}/${s.truth} (+${s.falsePositives.length} false)`);
  }
  console.log(`${sets.at(-1)!.padEnd(9)} ${name.padEnd(40)} ${cells.join('   ')}`);
  await save(name, img, truth, found);
}

const synthetic: GroupPhoto[] = await composeGroupPhotos({ dataDir: DATA, count: PHOTOS, width: W, height: H, minFace: MIN_FACE, maxFace: MAX_FACE, seed: SEED });
for (const p of synthetic) {
  await run(['synthetic', p.age], p.name, p, p.faces);
}
let realCount = 0;
if (!argv.includes('--no-real')) {
  for (const p of await realPhotos()) {
    await run(['real'], p.name, p.img, p.faces);
    realCount++;
  }
}

const photosRun = synthetic.length + (argv.includes('--no-real') ? 0 : realCount);
const summary: Record<string, unknown> = {};
for (const [set, byDet] of Object.entries(totals)) {
  summary[set] = Object.fromEntries(Object.entries(byDet).map(([det, t]) => [det, { ...rates(t), ...t }]));
}
console.log(JSON.stringify({ bench: 'faces', photos: PHOTOS, seed: SEED, finder: finderModel ? `${finderModel.id}@${finderModel.manifest?.version}` : null, size: `${W}x${H}`, faces: `${MIN_FACE}-${MAX_FACE}`, results: summary, secondsPerPhoto: Object.fromEntries(Object.entries(seconds).map(([d, s]) => [d, Math.round((s / photosRun) * 100) / 100])) }));
