/**
 * The generative-alignment benchmark (issue #27): `npm run bench:preference` (builds, then runs this).
 *   node --import tsx bench/preference-bench.ts [--limit 4] [--severity medium,severe] [--seeds 8]
 *        [--aligned DIR] [--size 256] [--family sr] [--seed 0] [--data DIR] [--json-only]
 * On held-out general photos (bsds500/val) and held-out faces (faces-flr neutral_front, people
 * 001–012), each resized to a long side of --size and degraded with a bench family (default `sr`,
 * blind super-resolution: blur → downscale → noise → JPEG → back up, bench/degradations/families.ts)
 * at each severity from a per-image seed, every variant restores the same file through the real
 * engine worker (the broker, as the app runs it), in the same run:
 *   input    the degraded photo itself (the baseline);
 *   fast     fast mode (the restorer alone);
 *   fastNoise  a control, not a mode: fast mode's output plus faint Gaussian noise as far from it as
 *            the base refiner's output is (does a NIQE gain need more than that?);
 *   base     generative mode with the shipped refiner (models/zoo/restora-refiner), default settings;
 *   aligned  with --aligned DIR: the same with the refiner in DIR (DIR/restora-refiner, or DIR itself
 *            when it holds the manifest), installed as the user's own model in a second engine's data
 *            folder — the restorer and everything else stay the shipped ones.
 * Per variant: PSNR and SSIM (RGB), NIQE (no reference; devkit/metrics), on faces the identity
 * distance (face-api 128-d descriptor of the output vs the clean photo, both taken at the clean
 * photo's face, euclidean) and how many outputs the detector finds a face in; for the refiners the
 * solution entropy (mean per-pixel std over --seeds stochastic seeds, 0..255) and how far the output is
 * from fast mode's (mean absolute difference, 0..255: does the refiner act at all); seconds per megapixel
 * (the engine's own time from the job recipe, less face detection, which the engine memoises per
 * photo so that only the first variant would pay it). A table, then one JSON line with every figure and the
 * issue's goals (devkit/metrics/preference-goals.ts) — judged for the base refiner when no aligned one
 * is given. A benchmark, not a test.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { Broker } from '../electron/broker/broker.js';
import { nodeSpawner } from '../electron/host/node-worker.js';
import { createFaceDetector } from '../electron/engine/faces/detector.js';
import { descriptorDistance } from '../electron/engine/face-stage.js';
import type { Face, RgbImage } from '../electron/engine/types.js';
import { loadRgb, writePng } from './image-files.js';
import type { Recipe, RestoreSettings } from '../electron/shared/recipe.js';
import { requireBuild } from '../devkit/services.js';
import { sharedDataDir } from '../devkit/shared-data.js';
import { preferenceGoals, qualityRow, solutionEntropy255, type Cell, type VariantMeans } from '../devkit/metrics/index.js';
import { degradeFamily, FAMILIES, fnv1a32, gaussianNoise, quantize, Stream, type Family, type Level } from './degradations/families.js';

const LEVELS: Level[] = ['light', 'medium', 'severe'];
const HELD_OUT_PEOPLE = /^0(0[1-9]|1[0-2])_/;

function parseArgs(argv: string[]) {
  const a = { limit: 4, severities: ['medium', 'severe'] as Level[], seeds: 8, aligned: '', size: 256, family: 'sr' as Family, seed: 0, data: sharedDataDir(), jsonOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const v = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${argv[i - 1]} needs a value`);
      return next;
    };
    switch (argv[i]) {
      case '--limit': a.limit = Number(v()); break;
      case '--severity': a.severities = v().split(',') as Level[]; break;
      case '--seeds': a.seeds = Number(v()); break;
      case '--aligned': a.aligned = path.resolve(v()); break;
      case '--size': a.size = Number(v()); break;
      case '--family': a.family = v() as Family; break;
      case '--seed': a.seed = Number(v()); break;
      case '--data': a.data = path.resolve(v()); break;
      case '--json-only': a.jsonOnly = true; break;
      default: throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  if (!Number.isInteger(a.limit) || a.limit < 1) throw new Error('--limit must be a positive whole number');
  if (!a.severities.length || a.severities.some((s) => !LEVELS.includes(s))) throw new Error(`--severity must be a comma-separated list of ${LEVELS.join(', ')}`);
  if (!Number.isInteger(a.seeds) || a.seeds < 2) throw new Error('--seeds must be a whole number ≥ 2');
  if (!Number.isInteger(a.size) || a.size < 64) throw new Error('--size must be a whole number ≥ 64');
  if (!FAMILIES.includes(a.family)) throw new Error(`--family must be one of ${FAMILIES.join(', ')}`);
  if (!Number.isInteger(a.seed) || a.seed < 0) throw new Error('--seed must be a non-negative whole number');
  return a;
}

/** The refiner folder --aligned names: DIR itself when it holds a manifest, else DIR/restora-refiner; its id must be restora-refiner. */
function alignedRefiner(dir: string): { dir: string; sha256: string; version: string } {
  const modelDir = fs.existsSync(path.join(dir, 'manifest.json')) ? dir : path.join(dir, 'restora-refiner');
  const manifestFile = path.join(modelDir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new Error(`--aligned ${dir}: no manifest.json there or in restora-refiner/ under it`);
  const m = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { id?: string; sha256?: string; version?: string };
  if (m.id !== 'restora-refiner' || !m.sha256) throw new Error(`--aligned ${modelDir}: the manifest must be a restora-refiner's (id "${m.id}")`);
  return { dir: modelDir, sha256: m.sha256, version: m.version ?? '?' };
}

interface PhotoFigures {
  psnr: number;
  ssim: number;
  niqe: number;
  identity: number | null;
  faceFound: boolean | null;
  entropy: number | null;
  fromFast: number | null;
  secondsPerMp: number;
}

const VARIANTS = ['input', 'fast', 'fastNoise', 'base', 'aligned'] as const;
type Row = (typeof VARIANTS)[number];

/** One set at one severity: the means per variant (the input included, as the baseline) and each photo's figures. */
type BenchCell = Omit<Cell, 'variants'> & {
  family: string;
  photos: number;
  variants: Partial<Record<Row, VariantMeans>>;
  /** Clean face photos the detector finds a face in (the ceiling for the outputs; null on other sets). */
  cleanFacesFound: number | null;
  perPhoto: Array<{ file: string; seed: number; ops: string; cleanFace: boolean } & Partial<Record<Row, PhotoFigures>>>;
};

/**
 * The engine's time for a job less face detection: the engine remembers a photo's analysis by its bytes,
 * so only the first variant to restore a file would pay for it (the same work for every mode).
 */
function engineSeconds(recipe: Recipe): number {
  return recipe.totalSeconds - (recipe.timings.faces ?? 0);
}

interface Engine {
  broker: Broker;
  dataDir: string;
}

async function startEngine(alignedDir?: string): Promise<Engine> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-pref-data-'));
  // The user's own models win over the shipped ones: only the refiner is replaced.
  if (alignedDir) fs.cpSync(alignedDir, path.join(dataDir, 'models', 'restora-refiner'), { recursive: true });
  const broker = new Broker({ spawn: nodeSpawner({ echoStderr: !!process.env.RESTORA_DEBUG }), dataDir, mode: 'cli', version: 'bench' });
  await broker.start();
  return { broker, dataDir };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  requireBuild();
  const log = args.jsonOnly ? () => {} : (s: string) => console.log(s);
  const aligned = args.aligned ? alignedRefiner(args.aligned) : null;
  const sets = [
    { name: 'general', dir: path.join(args.data, 'bsds500', 'val'), faces: false },
    { name: 'faces', dir: path.join(args.data, 'faces-flr', 'neutral_front'), faces: true },
  ].map((s) => {
    if (!fs.existsSync(s.dir)) throw new Error(`${s.dir} is missing (--data DIR names the shared data folder)`);
    const files = fs.readdirSync(s.dir).filter((f) => /\.(jpe?g|png)$/i.test(f) && (!s.faces || HELD_OUT_PEOPLE.test(f))).sort().slice(0, args.limit);
    return { ...s, files };
  });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-pref-'));
  const engines: Partial<Record<'shipped' | 'aligned', Engine>> = {};
  const detector = await createFaceDetector();
  const started = Date.now();
  const cells: BenchCell[] = [];
  try {
    engines.shipped = await startEngine();
    if (aligned) {
      engines.aligned = await startEngine(aligned.dir);
      const refiner = (await engines.aligned.broker.invoke('engine.info', {})).models.find((m) => m.id === 'restora-refiner');
      if (refiner?.source !== 'user' || !refiner.ok) throw new Error(`the engine did not take the refiner in ${aligned.dir} (${refiner ? `it runs the ${refiner.source} one` : 'no refiner'}): is its manifest valid and its model file there?`);
    }
    const info = await engines.shipped.broker.invoke('engine.info', {});
    log(`Preference benchmark: ${sets.map((s) => `${s.files.length} ${s.name}`).join(', ')} photos at ${args.size} px, family ${args.family}, severities ${args.severities.join(',')}, ${args.seeds} seeds`);
    log(`Engine: ONNX Runtime ${info.onnxruntime}, ${info.threads} threads; models ${info.models.map((m) => `${m.id}@${m.version}${m.ok ? '' : ' (unusable)'}`).join(', ')}${aligned ? `; aligned refiner ${aligned.dir} @${aligned.version}` : '; no --aligned: the base refiner is the candidate'}`);

    // The first job of an engine loads its models; warm each up so seconds per megapixel are the steady state.
    const warm = path.join(work, 'warm-up.png');
    await writePng(warm, await loadRgb(path.join(sets[0]!.dir, sets[0]!.files[0]!), { side: args.size, fit: 'inside' }));
    for (const e of Object.values(engines))
      for (const settings of [{}, { mode: 'generative' as const }]) await e.broker.runJob('engine.restoreFile', { input: warm, output: path.join(work, 'warm-up.out.png'), settings });

    for (const set of sets)
      for (const severity of args.severities) {
        const perPhoto: BenchCell['perPhoto'] = [];
        for (const file of set.files) {
          const gt = await loadRgb(path.join(set.dir, file), { side: args.size, fit: 'inside' });
          const seed = fnv1a32(`${args.seed}/${args.family}/${severity}/${file}`);
          const { image: degraded, ops } = await degradeFamily(gt, args.family, severity, seed);
          const stem = `${set.name}-${severity}-${path.parse(file).name}`;
          const input = path.join(work, `${stem}.degraded.png`);
          await writePng(input, degraded);
          const cleanFace = set.faces ? (await detector.detect(gt.rgb, gt.width, gt.height, { maxFaces: 1 }))[0] ?? null : null;
          const ref = cleanFace ? await detector.describe(gt.rgb, gt.width, gt.height, cleanFace) : null;
          const row: (typeof perPhoto)[number] = { file, seed, ops, cleanFace: !!cleanFace };
          row.input = await figures(gt, degraded, { faces: set.faces, cleanFace, ref, entropy: null, seconds: NaN });
          const restore = async (engine: Engine, name: string, settings: RestoreSettings) => {
            const output = path.join(work, `${stem}.${name}.png`);
            const res = await engine.broker.runJob('engine.restoreFile', { input, output, settings });
            const { data, info } = await sharp(output).removeAlpha().raw().toBuffer({ resolveWithObject: true });
            if (info.width !== gt.width || info.height !== gt.height) throw new Error(`${name}: the output is ${info.width}×${info.height}, the photo ${gt.width}×${gt.height}`);
            return { img: { width: info.width, height: info.height, rgb: Float32Array.from(data, (v) => v / 255) }, recipe: res.recipe };
          };
          const fast = await restore(engines.shipped, 'fast', {});
          row.fast = await figures(gt, fast.img, { faces: set.faces, cleanFace, ref, entropy: null, seconds: engineSeconds(fast.recipe) });
          for (const variant of ['base', 'aligned'] as const) {
            const engine = variant === 'base' ? engines.shipped : engines.aligned;
            if (!engine) continue;
            const gen = await restore(engine, variant, { mode: 'generative' });
            if (gen.recipe.mode !== 'generative') throw new Error(`generative mode did not run for ${variant} (recipe mode ${gen.recipe.mode})`);
            const refiner = gen.recipe.models.find((m) => m.id === 'restora-refiner');
            if (variant === 'aligned' && refiner?.sha256 !== aligned!.sha256) throw new Error(`the aligned engine ran refiner ${refiner?.sha256 ?? 'none'}, not ${aligned!.sha256} from ${aligned!.dir} (is its manifest valid?)`);
            const samples: Float32Array[] = [];
            for (let k = 0; k < args.seeds; k++) samples.push((await restore(engine, `${variant}-seed${k}`, { mode: 'generative', deterministic: false, seed: 1000 + k })).img.rgb);
            row[variant] = await figures(gt, gen.img, { faces: set.faces, cleanFace, ref, entropy: solutionEntropy255(samples), fast: fast.img, seconds: engineSeconds(gen.recipe) });
          }
          // A control for the no-reference score: fast mode's output with faint Gaussian noise, as far from it
          // (mean absolute difference) as the base refiner's output is. A NIQE gain this also gets is not detail.
          const sigma = (row.base!.fromFast! / 255) * Math.sqrt(Math.PI / 2);
          const noisy = quantize(gaussianNoise(fast.img, sigma, new Stream(seed ^ 0x9e3779b9)));
          row.fastNoise = await figures(gt, noisy, { faces: set.faces, cleanFace, ref, entropy: null, fast: fast.img, seconds: NaN });
          perPhoto.push(row);
          log(`[${set.name} ${severity}] ${file} ${gt.width}×${gt.height} ${ops}`);
          for (const v of VARIANTS) if (row[v]) log(`    ${v.padEnd(9)} ${fmt(row[v])}`);
        }
        const variants: Partial<Record<Row, VariantMeans>> = {};
        for (const v of VARIANTS) if (perPhoto.every((p) => p[v])) variants[v] = means(perPhoto.map((p) => p[v]!), set.faces);
        const cleanFaces = set.faces ? perPhoto.filter((p) => p.cleanFace).length : null;
        cells.push({ set: set.name, severity, faces: set.faces, family: args.family, photos: perPhoto.length, cleanFacesFound: cleanFaces, variants, perPhoto });
      }
  } finally {
    await Promise.all(Object.values(engines).map((e) => e.broker.stop()));
    for (const e of Object.values(engines)) fs.rmSync(e.dataDir, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  }

  const judged = preferenceGoals(cells);
  if (!args.jsonOnly) printTable(cells, judged);
  console.log(JSON.stringify({
    bench: 'preference',
    data: args.data,
    size: args.size,
    family: args.family,
    seeds: args.seeds,
    seed: args.seed,
    aligned: aligned ? { dir: aligned.dir, version: aligned.version, sha256: aligned.sha256 } : null,
    cells: cells.map(({ perPhoto, variants, ...c }) => ({ ...c, variants: roundVariants(variants), perPhoto: perPhoto.map((p) => roundVariants(p)) })),
    ...judged,
    goalsMet: Object.values(judged.goals).filter((g) => 'pass' in g && g.pass).length,
    goalsMissed: Object.entries(judged.goals).filter(([, g]) => 'pass' in g && !g.pass).map(([k]) => k),
    seconds: Number(((Date.now() - started) / 1000).toFixed(1)),
  }));

  /** One output against the clean photo: full-reference and no-reference quality, and on faces the identity and whether a face is found. */
  async function figures(gt: RgbImage, out: RgbImage, o: { faces: boolean; cleanFace: Face | null; ref: Float32Array | null; entropy: number | null; fast?: RgbImage; seconds: number }): Promise<PhotoFigures> {
    const q = qualityRow(gt.rgb, out.rgb, gt.width, gt.height);
    const identity = o.cleanFace && o.ref ? descriptorDistance(o.ref, await detector.describe(out.rgb, out.width, out.height, o.cleanFace)) : null;
    const faceFound = o.faces ? (await detector.detect(out.rgb, out.width, out.height, { maxFaces: 1 })).length > 0 : null;
    const fromFast = o.fast ? (255 * out.rgb.reduce((a, x, i) => a + Math.abs(x - o.fast!.rgb[i]!), 0)) / out.rgb.length : null;
    return { psnr: q.psnr, ssim: q.ssim, niqe: q.niqe, identity, faceFound, entropy: o.entropy, fromFast, secondsPerMp: o.seconds / ((gt.width * gt.height) / 1e6) };
  }
}

function means(rows: PhotoFigures[], faces: boolean): VariantMeans {
  const avg = (xs: Array<number | null>) => {
    const v = xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
    return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
  };
  const orNull = (v: number) => (Number.isFinite(v) ? v : null);
  return {
    psnr: avg(rows.map((r) => r.psnr)),
    ssim: avg(rows.map((r) => r.ssim)),
    niqe: avg(rows.map((r) => r.niqe)),
    identity: orNull(avg(rows.map((r) => r.identity))),
    facesFound: faces ? rows.filter((r) => r.faceFound).length : null,
    facesTotal: faces ? rows.length : null,
    entropy: orNull(avg(rows.map((r) => r.entropy))),
    fromFast: orNull(avg(rows.map((r) => r.fromFast))),
    secondsPerMp: avg(rows.map((r) => r.secondsPerMp)),
  };
}

const num = (v: number | null | undefined, d: number) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : 'n/a');

function fmt(r: PhotoFigures): string {
  return `PSNR ${num(r.psnr, 2)}  SSIM ${num(r.ssim, 4)}  NIQE ${num(r.niqe, 2)}${r.identity !== null ? `  id ${num(r.identity, 3)}` : ''}${r.faceFound !== null ? `  face ${r.faceFound ? 'found' : 'NOT found'}` : ''}${r.entropy !== null ? `  entropy ${num(r.entropy, 2)}` : ''}${r.fromFast !== null ? `  Δfast ${num(r.fromFast, 2)}` : ''}${Number.isFinite(r.secondsPerMp) ? `  ${num(r.secondsPerMp, 1)} s/MP` : ''}`;
}

function printTable(cells: BenchCell[], judged: ReturnType<typeof preferenceGoals>): void {
  console.log(`\nMeans (PSNR dB, SSIM RGB; NIQE and identity distance: lower is better; faces: outputs with a face found; entropy: per-pixel std over seeds, 0..255; Δfast: mean |output − fast output|, 0..255; s/MP: engine time less face detection)`);
  console.log(`  ${'set'.padEnd(8)} ${'severity'.padEnd(8)} ${'variant'.padEnd(9)} ${'PSNR'.padStart(6)} ${'SSIM'.padStart(6)} ${'NIQE'.padStart(6)} ${'ident'.padStart(6)} ${'faces'.padStart(5)} ${'entropy'.padStart(7)} ${'Δfast'.padStart(6)} ${'s/MP'.padStart(7)}`);
  for (const c of cells) {
    if (c.cleanFacesFound !== null) console.log(`  ${c.set.padEnd(8)} ${c.severity.padEnd(8)} ${'clean'.padEnd(9)} ${''.padStart(27)} ${`${c.cleanFacesFound}/${c.photos}`.padStart(5)}`);
    for (const v of VARIANTS) {
      const m = c.variants[v];
      if (!m) continue;
      const faces = m.facesTotal ? `${m.facesFound}/${m.facesTotal}` : '';
      console.log(`  ${c.set.padEnd(8)} ${c.severity.padEnd(8)} ${v.padEnd(9)} ${num(m.psnr, 2).padStart(6)} ${num(m.ssim, 4).padStart(6)} ${num(m.niqe, 2).padStart(6)} ${(m.identity === null ? '' : num(m.identity, 3)).padStart(6)} ${faces.padStart(5)} ${(m.entropy === null ? '' : num(m.entropy, 2)).padStart(7)} ${(m.fromFast === null ? '' : num(m.fromFast, 2)).padStart(6)} ${num(m.secondsPerMp, 1).replace('n/a', '').padStart(7)}`);
    }
  }
  console.log(`\nGoals (issue #27), for ${judged.evaluatedFor}:`);
  for (const [k, g] of Object.entries(judged.goals)) console.log(`  ${k.padEnd(26)} ${'skipped' in g ? `skipped: ${g.skipped}` : `${g.pass ? 'met   ' : 'MISSED'} ${g.value}  (${g.target})`}`);
}

/** Figures rounded for the JSON line; NaN becomes null. */
function roundVariants<T extends object>(o: T): Record<string, unknown> {
  const r = (v: unknown): unknown => {
    if (typeof v === 'number') return Number.isFinite(v) ? Number(v.toFixed(4)) : null;
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, r(x)]));
    return v;
  };
  return r(o) as Record<string, unknown>;
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
