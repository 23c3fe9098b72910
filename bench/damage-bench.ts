/**
 * The damage benchmark: `npm run bench:damage -- [--gt DIR] [--faces DIR] [--limit N] [--models DIR] [--keep DIR] [--threshold P] [--low P] [--growth all|lines] [--flip] [--instruction TEXT] [--whole] [--style classic|other]`
 * (builds, then runs this; defaults: ../shared/data/bsds500/val, ../shared/data/faces-flr/neutral_front).
 * Held-out photos get damage drawn by this file's own code — thin and thick, bright and dark,
 * straight and curved lines, dust specks, soft and hard blotches, in widths and shapes of its
 * own (not damage_synth.py's) — from a per-photo seed, and the repair stage
 * (electron/engine/stages/repair.ts, the code the app runs, with --instruction, default "repair the damage and the stains": every kind the synthetic damage draws but tears) repairs them in-process with the
 * damage detector installed in models/zoo (or --models DIR, to measure a candidate).
 * Same-run figures:
 *   detection  pixel precision, recall and F1 of the detector's "any damage" (before the
 *              repair's 2 px growth) against the drawn mask, strict and with 1 px tolerance;
 *   inside     PSNR against the clean photo inside the drawn damage grown by 2 px: the
 *              damaged input, the repair with the detector's mask, and the repair with the
 *              drawn mask (oracle: the fill alone);
 *   outside    PSNR of the repaired photo against the damaged input outside that area, and
 *              the share of those pixels left byte-identical (the repair stage alone);
 *   clean      false-positive area: the share of a clean photo the detector marks (bsds500
 *              photos and held-out portraits: hair, grass, text), and the share it changes;
 *   time       detection and fill, seconds per megapixel.
 * --style other draws a second family instead (bench/damage-other-styles.ts: forking cracks, dashed scratches, curly
 * fibres, tide-line rings, mould clusters), shapes no training code draws.
 * --flip runs the detector mirrored too (semantics.flip). --keep DIR writes, per photo, damaged | repaired | clean and the marks against the drawn mask
 * (green found, red missed, blue marked where nothing was drawn).
 * A benchmark, not a test: the last line is one JSON object with the means and the goals
 * check (F1 ≥ 0.8, inside ≥ +8 dB over the input, outside ≥ 45 dB).
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { scanModels } from '../electron/node/model-registry.js';
import { SessionCache, type LoadedModel } from '../electron/engine/session-cache.js';
import { detectDamage } from '../electron/engine/damage/detector.js';
import { findDamageDetector } from '../electron/engine/damage/find-detector.js';
import { dilateMask } from '../electron/engine/damage/mask.js';
import { repair } from '../electron/engine/stages/repair.js';
import { RestoreSettings } from '../electron/shared/recipe.js';
import type { DecodedImage } from '../electron/engine/pipeline/image-io.js';
import { Broker } from '../electron/broker/broker.js';
import { nodeSpawner } from '../electron/host/node-worker.js';
import { requireBuild } from '../devkit/services.js';
import { drawOtherDamage } from './damage-other-styles.js';

function parseArgs(argv: string[]) {
  const a = { gt: '../shared/data/bsds500/val', faces: '../shared/data/faces-flr/neutral_front', limit: 30, models: path.resolve('models/zoo'), keep: '', seed: 0, threshold: 0, low: 0, growth: '' as '' | 'all' | 'lines', flip: false, whole: false, instruction: 'repair the damage and the stains', style: 'classic' as 'classic' | 'other' };
  for (let i = 0; i < argv.length; i++) {
    const v = () => argv[++i] ?? '';
    switch (argv[i]) {
      case '--gt': a.gt = v(); break;
      case '--faces': a.faces = v(); break;
      case '--limit': a.limit = Number(v()); break;
      case '--models': a.models = path.resolve(v()); break;
      case '--keep': a.keep = v(); break;
      case '--seed': a.seed = Number(v()); break;
      case '--threshold': a.threshold = Number(v()); break;
      case '--low': a.low = Number(v()); break;
      case '--growth': a.growth = v() as 'all' | 'lines'; break;
      case '--whole': a.whole = true; break;
      case '--flip': a.flip = true; break;
      case '--instruction': a.instruction = v(); break;
      case '--style': {
        const style = v();
        if (style !== 'classic' && style !== 'other') throw new Error(`--style is classic or other, not ${style}`);
        a.style = style;
        break;
      }
      default: throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  return a;
}

/** mulberry32 seeded from FNV-1a of a string. */
function rng(key: string): () => number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  let s = h;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Photo {
  rgb: Uint8Array;
  w: number;
  h: number;
}

/**
 * Draws this benchmark's damage over a copy of the photo. Each stroke is an alpha layer from a
 * distance field (anti-aliased edges); a pixel belongs to the drawn mask where alpha ≥ 0.25 and
 * it visibly changed (more than 8 of 255).
 */
function drawDamage(p: Photo, rand: () => number): { damaged: Uint8Array; mask: Uint8Array } {
  const { w, h } = p;
  const alpha = new Float32Array(w * h);
  const colour = new Float32Array(w * h * 3);
  const paint = (x: number, y: number, a: number, rgb: number[]) => {
    const q = y * w + x;
    if (a <= alpha[q]!) return;
    alpha[q] = a;
    for (let c = 0; c < 3; c++) colour[q * 3 + c] = rgb[c]!;
  };
  const ink = () => {
    const bright = rand() < 0.6;
    const v = bright ? 215 + 40 * rand() : 10 + 45 * rand();
    return [v, v * (0.97 + 0.03 * rand()), v * (0.9 + 0.1 * rand())];
  };
  // Lines: a quadratic Bézier (straight when the bend is 0), 0.8-4.5 px wide, sampled densely.
  const lines = 2 + Math.floor(rand() * 4);
  for (let l = 0; l < lines; l++) {
    const x0 = rand() * w, y0 = rand() * h, ang = rand() * Math.PI, len = (0.3 + 0.7 * rand()) * Math.max(w, h);
    const x2 = x0 + Math.cos(ang) * len, y2 = y0 + Math.sin(ang) * len;
    const bend = rand() < 0.5 ? 0 : (rand() - 0.5) * 0.5 * len;
    const cx = (x0 + x2) / 2 - Math.sin(ang) * bend, cy = (y0 + y2) / 2 + Math.cos(ang) * bend;
    const width = 0.8 + 3.7 * rand() ** 1.5, strength = 0.6 + 0.4 * rand(), col = ink();
    const steps = Math.ceil(len * 2);
    for (let s = 0; s <= steps; s++) {
      const t = s / steps;
      const px = (1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t * t * x2, py = (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t * t * y2;
      const r = width / 2 + 1;
      for (let y = Math.max(0, Math.floor(py - r)); y <= Math.min(h - 1, Math.ceil(py + r)); y++) {
        for (let x = Math.max(0, Math.floor(px - r)); x <= Math.min(w - 1, Math.ceil(px + r)); x++) {
          const d = Math.hypot(x - px, y - py);
          paint(x, y, strength * Math.max(0, Math.min(1, width / 2 + 0.5 - d)), col);
        }
      }
    }
  }
  // Dust: round and elongated specks, radius 0.6-2.8 px.
  const specks = 15 + Math.floor(rand() * 45);
  for (let s = 0; s < specks; s++) {
    const px = rand() * w, py = rand() * h, r = 0.6 + 2.2 * rand() ** 2, stretch = 1 + rand() * 1.5, col = ink();
    for (let y = Math.max(0, Math.floor(py - r * stretch - 1)); y <= Math.min(h - 1, Math.ceil(py + r * stretch + 1)); y++) {
      for (let x = Math.max(0, Math.floor(px - r - 1)); x <= Math.min(w - 1, Math.ceil(px + r + 1)); x++) {
        const d = Math.hypot(x - px, (y - py) / stretch);
        paint(x, y, Math.max(0, Math.min(1, r + 0.5 - d)), col);
      }
    }
  }
  // Blotches: 0-2 lumpy discs of radius 5-13 px, soft or hard edged, dark brown or faded white.
  const blotches = Math.floor(rand() * 3);
  for (let b = 0; b < blotches; b++) {
    const px = rand() * w, py = rand() * h, r = 5 + 8 * rand(), soft = rand() < 0.5 ? 3 : 0.7;
    const lumps = [rand(), rand(), rand()].map((v) => v * 2 * Math.PI);
    const col = rand() < 0.5 ? [70 + 30 * rand(), 50 + 20 * rand(), 30] : [235, 230, 215];
    for (let y = Math.max(0, Math.floor(py - 1.5 * r)); y <= Math.min(h - 1, Math.ceil(py + 1.5 * r)); y++) {
      for (let x = Math.max(0, Math.floor(px - 1.5 * r)); x <= Math.min(w - 1, Math.ceil(px + 1.5 * r)); x++) {
        const th = Math.atan2(y - py, x - px);
        const rr = r * (1 + 0.2 * Math.sin(2 * th + lumps[0]!) + 0.12 * Math.sin(3 * th + lumps[1]!));
        const d = Math.hypot(x - px, y - py);
        paint(x, y, 0.9 * Math.max(0, Math.min(1, (rr - d) / soft + 0.5)), col);
      }
    }
  }
  const damaged = new Uint8Array(p.rgb.length);
  const mask = new Uint8Array(w * h);
  for (let q = 0; q < w * h; q++) {
    const a = alpha[q]!;
    let change = 0;
    for (let c = 0; c < 3; c++) {
      const v = Math.round(p.rgb[q * 3 + c]! * (1 - a) + colour[q * 3 + c]! * a);
      damaged[q * 3 + c] = v;
      change = Math.max(change, Math.abs(v - p.rgb[q * 3 + c]!));
    }
    mask[q] = a >= 0.25 && change > 8 ? 255 : 0;
  }
  return { damaged, mask };
}

function psnr(a: Uint8Array, b: Uint8Array, region: (q: number) => boolean): number {
  let se = 0, n = 0;
  for (let q = 0; q < a.length / 3; q++) {
    if (!region(q)) continue;
    for (let c = 0; c < 3; c++) se += (a[q * 3 + c]! - b[q * 3 + c]!) ** 2;
    n += 3;
  }
  if (!n) return NaN;
  return se === 0 ? 99 : 10 * Math.log10((255 * 255 * n) / se);
}

async function load(file: string, maxSide = 0): Promise<Photo> {
  let s = sharp(file).rotate().removeAlpha().toColourspace('srgb');
  if (maxSide) s = s.resize(maxSide, maxSide, { fit: 'inside' });
  const { data, info } = await s.raw().toBuffer({ resolveWithObject: true });
  return { rgb: new Uint8Array(data), w: info.width, h: info.height };
}

const mean = (xs: number[]) => (xs.length ? Math.round((xs.reduce((s, x) => s + x, 0) / xs.length) * 1e4) / 1e4 : NaN);

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const models = scanModels([{ dir: args.models, source: 'user' }]);
  const model = findDamageDetector(models);
  if (!model) throw new Error(`no damage detector in ${args.models}`);
  const sessions = new SessionCache();
  const loaded = await sessions.get(model, 'cpu');
  // --threshold / --low: the same model marking at other probabilities (to choose the manifest's thresholds).
  const semantics = { ...loaded.model.manifest!.semantics, ...(args.threshold ? { threshold: args.threshold } : {}), ...(args.low ? { thresholdLow: args.low } : {}), ...(args.growth ? { growth: args.growth } : {}), ...(args.flip ? { flip: true } : {}) };
  const detector: LoadedModel = { ...loaded, model: { ...loaded.model, manifest: { ...loaded.model.manifest!, semantics } } };
  const ctx = { progress: () => undefined, throwIfCancelled: () => undefined };
  const settings = RestoreSettings.parse({ instruction: args.instruction });
  const run = async (p: Photo, rgb: Uint8Array, mask?: string) => {
    const image: DecodedImage = { width: p.w, height: p.h, rgb8: new Uint8Array(rgb), alpha: null, exif: null, icc: null, format: 'raw' };
    const notices: string[] = [];
    const t = performance.now();
    const report = await repair({ image, plan: null, fullSize: { width: p.w, height: p.h } }, { ...(mask ? { mask } : {}) }, settings, { damageDetector: async () => detector }, ctx, notices);
    return { out: image.rgb8, report, seconds: (performance.now() - t) / 1000 };
  };
  if (args.keep) fs.mkdirSync(args.keep, { recursive: true });
  // --whole: also the whole restore (the engine worker, shipped models, the same instruction) of each damaged
  // photo, judged outside the damage against the clean original (goal ≥ 36 dB) and inside it.
  let broker: Broker | null = null;
  if (args.whole) {
    requireBuild();
    // The engine worker reads its models from RESTORA_MODELS_DIR: the candidate's whole zoo, not only its detector
    // (a real directory; the model scan does not follow symlinked model folders).
    process.env.RESTORA_MODELS_DIR = args.models;
    broker = new Broker({ spawn: nodeSpawner({ echoStderr: !!process.env.RESTORA_DEBUG }), dataDir: fs.mkdtempSync('/tmp/restora-damage-bench-data-'), mode: 'cli', version: 'bench' });
    await broker.start();
  }
  const tmpMask = path.join(fs.mkdtempSync('/tmp/restora-damage-bench-'), 'mask.png');

  const files = fs.readdirSync(args.gt).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort().slice(0, args.limit);
  const rows: Array<Record<string, number>> = [];
  for (const f of files) {
    const p = await load(path.join(args.gt, f));
    const { damaged, mask } = (args.style === 'other' ? drawOtherDamage : drawDamage)(p, rng(`${args.seed}/${f}`));
    const inside = dilateMask(mask, p.w, p.h, 2);
    const det = await run(p, damaged);
    const changed = new Uint8Array(p.w * p.h);
    for (let q = 0; q < changed.length; q++) for (let c = 0; c < 3; c++) if (det.out[q * 3 + c] !== damaged[q * 3 + c]) changed[q] = 1;
    const marked = await detectedBits(detector, damaged, p);
    const tp = count(marked, (q) => !!marked[q] && !!mask[q]), np_ = count(marked, (q) => !!marked[q]), ng = count(mask, (q) => !!mask[q]);
    const markedTol = dilateMask(marked.map((v) => (v ? 255 : 0)), p.w, p.h, 1), maskTol = dilateMask(mask, p.w, p.h, 1);
    const precTol = count(marked, (q) => !!marked[q] && !!maskTol[q]) / Math.max(1, np_), recTol = count(mask, (q) => !!mask[q] && !!markedTol[q]) / Math.max(1, ng);
    await sharp(Buffer.from(dilateMask(mask, p.w, p.h, 1)), { raw: { width: p.w, height: p.h, channels: 1 } }).toColourspace('b-w').png().toFile(tmpMask);
    const oracle = await run(p, damaged, tmpMask);
    const prec = tp / Math.max(1, np_), rec = tp / Math.max(1, ng);
    const whole: Record<string, number> = {};
    if (broker) {
      const input = path.join(path.dirname(tmpMask), 'damaged.png'), output = path.join(path.dirname(tmpMask), 'restored.png');
      await sharp(Buffer.from(damaged), { raw: { width: p.w, height: p.h, channels: 3 } }).png().toFile(input);
      await broker.runJob('engine.restoreFile', { input, output, settings: { instruction: args.instruction } });
      const r = await sharp(output).removeAlpha().raw().toBuffer();
      whole.whole_out_vs_clean = psnr(new Uint8Array(r), p.rgb, (q) => !inside[q]);
      whole.whole_in_vs_clean = psnr(new Uint8Array(r), p.rgb, (q) => !!inside[q]);
      whole.input_out_vs_clean = psnr(damaged, p.rgb, (q) => !inside[q]);
    }
    const outsideIdentical = count(inside, (q) => !inside[q] && !changed[q]) / Math.max(1, count(inside, (q) => !inside[q]));
    const row = {
      precision: prec, recall: rec, f1: (2 * prec * rec) / Math.max(1e-9, prec + rec),
      precision_1px: precTol, recall_1px: recTol, f1_1px: (2 * precTol * recTol) / Math.max(1e-9, precTol + recTol),
      psnr_in_input: psnr(damaged, p.rgb, (q) => !!inside[q]),
      psnr_in_repaired: psnr(det.out, p.rgb, (q) => !!inside[q]),
      psnr_in_oracle_mask: psnr(oracle.out, p.rgb, (q) => !!inside[q]),
      psnr_out_vs_input: psnr(det.out, damaged, (q) => !inside[q]),
      outside_identical: outsideIdentical,
      damaged_fraction: ng / (p.w * p.h),
      seconds_per_mp: det.seconds / ((p.w * p.h) / 1e6),
      ...whole,
    };
    rows.push(row);
    if (args.keep) {
      const side = (rgb: Uint8Array) => sharp(Buffer.from(rgb), { raw: { width: p.w, height: p.h, channels: 3 } }).png().toBuffer();
      const strip = await sharp({ create: { width: p.w * 3, height: p.h, channels: 3, background: '#000' } })
        .composite([{ input: await side(damaged), left: 0, top: 0 }, { input: await side(det.out), left: p.w, top: 0 }, { input: await side(p.rgb), left: 2 * p.w, top: 0 }]).jpeg({ quality: 90 }).toBuffer();
      // The marks against the drawn mask, over a dimmed grey photo: green found, red missed, blue marked where nothing was drawn.
      const marks = new Uint8Array(p.w * p.h * 3);
      for (let q = 0; q < p.w * p.h; q++) {
        const g = Math.round((damaged[q * 3]! + damaged[q * 3 + 1]! + damaged[q * 3 + 2]!) / 9);
        const rgbq = marked[q] && mask[q] ? [40, 230, 40] : mask[q] ? [240, 40, 40] : marked[q] ? [60, 120, 255] : [g, g, g];
        marks.set(rgbq, q * 3);
      }
      await sharp(Buffer.from(marks), { raw: { width: p.w, height: p.h, channels: 3 } }).png().toFile(path.join(args.keep, f.replace(/\.\w+$/, '-marks.png')));
      fs.writeFileSync(path.join(args.keep, f.replace(/\.\w+$/, '.jpg')), strip);
    }
    process.stderr.write(`${f}: F1 ${row.f1.toFixed(3)} (1px ${row.f1_1px.toFixed(3)}), inside ${row.psnr_in_input.toFixed(2)} → ${row.psnr_in_repaired.toFixed(2)} dB (oracle mask ${row.psnr_in_oracle_mask.toFixed(2)}), outside ${row.psnr_out_vs_input.toFixed(2)} dB\n`);
  }
  // False positives on clean photos: bsds500 (grass, fur, texture) and held-out portraits (hair, lace collars).
  const clean: number[] = [], cleanChanged: number[] = [], cleanFaces: number[] = [];
  for (const f of files) {
    const p = await load(path.join(args.gt, f));
    clean.push(fraction(await detectedBits(detector, p.rgb, p)));
    const r = await run(p, p.rgb);
    cleanChanged.push(count(new Uint8Array(p.w * p.h), (q) => [0, 1, 2].some((c) => r.out[q * 3 + c] !== p.rgb[q * 3 + c])) / (p.w * p.h));
  }
  const faceFiles = fs.existsSync(args.faces) ? fs.readdirSync(args.faces).filter((f) => /^0(0\d|1[0-2])_03\.jpg$/.test(f)).sort() : [];
  for (const f of faceFiles) {
    const p = await load(path.join(args.faces, f), 512);
    cleanFaces.push(fraction(await detectedBits(detector, p.rgb, p)));
  }
  const m = (k: string) => mean(rows.map((r) => r[k]!));
  const summary = {
    bench: 'damage',
    model: { id: model.id, version: model.manifest!.version, sha256: model.manifest!.sha256.slice(0, 12), threshold: (semantics as { threshold?: number }).threshold ?? 0.5, thresholdLow: (semantics as { thresholdLow?: number }).thresholdLow ?? null },
    photos: rows.length,
    style: args.style,
    instruction: args.instruction,
    gt: path.basename(path.dirname(path.resolve(args.gt))) + '/' + path.basename(args.gt),
    detection: { precision: m('precision'), recall: m('recall'), f1: m('f1'), precision_1px: m('precision_1px'), recall_1px: m('recall_1px'), f1_1px: m('f1_1px') },
    inside_psnr: { input: m('psnr_in_input'), repaired: m('psnr_in_repaired'), gain: Math.round((m('psnr_in_repaired') - m('psnr_in_input')) * 100) / 100, oracle_mask: m('psnr_in_oracle_mask') },
    outside: { psnr_vs_input: m('psnr_out_vs_input'), identical: m('outside_identical') },
    damaged_fraction: m('damaged_fraction'),
    clean_false_positive: { bsds: mean(clean), faces: mean(cleanFaces), faces_n: cleanFaces.length, changed_bsds: mean(cleanChanged) },
    seconds_per_mp: m('seconds_per_mp'),
    ...(broker ? { whole_restore: { outside_vs_clean: m('whole_out_vs_clean'), inside_vs_clean: m('whole_in_vs_clean'), input_outside_vs_clean: m('input_out_vs_clean') } } : {}),
    goals: {
      f1_ge_0_8: m('f1') >= 0.8,
      inside_gain_ge_8db: m('psnr_in_repaired') - m('psnr_in_input') >= 8,
      outside_ge_45db: m('psnr_out_vs_input') >= 45,
      ...(broker ? { whole_outside_ge_36db: m('whole_out_vs_clean') >= 36 } : {}),
    },
  };
  broker?.stop();
  await sessions.clear();
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

/** The detector's own marks (any kind), before the repair stage grows them. */
function detectedBits(detector: LoadedModel, rgb: Uint8Array, p: Photo): Promise<Uint8Array> {
  return detectDamage(detector, rgb, p.w, p.h);
}

function count(a: Uint8Array, pred: (q: number) => boolean): number {
  let n = 0;
  for (let q = 0; q < a.length; q++) if (pred(q)) n++;
  return n;
}

function fraction(bits: Uint8Array): number {
  return count(bits, (q) => !!bits[q]) / bits.length;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
