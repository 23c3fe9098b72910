/**
 * Do instructions steer? `npm run bench:instructions` (builds, then runs this).
 *   node --import tsx bench/instructions-bench.ts [--dir ../shared/data/old-photos] [--photos 6]
 *        [--size 512] [--only grain,tone,synonyms] [--keep DIR] [--understanding [--labelled]] [--per-photo]
 *   (--per-photo: each photo's two figures for every pair, on stderr)
 * Pairs of contrasting hand-written instructions (bench/instructions/pairs.ts), each with the property
 * that should tell their outputs apart and the direction, run through the real engine (broker and
 * worker, the models in models/zoo) on real old photographs, each scaled to --size px on its long side
 * (face pairs: photos where faces are found; colour pairs: photos with some colour; JPEG pairs: a
 * --size² crop of each JPEG original on its own 8-px grid). A pair holds on a photo when
 * the property differs in the asked direction; the goal is ≥ 90% of photos for every pair. Synonymous
 * instructions should give outputs within 0.5/255. Also prints the parser's accuracy on the held-out
 * instruction sets, beside the figure each set gave when it was first measured (the honest held-out
 * figure: the parser was developed on each set's misses afterwards); --understanding prints only that,
 * in a second; with --labelled also the total over all labelled text (the held-out sets and training/, never pending/),
 * the figure the notes give for the text the parser was developed on. A benchmark, not a test: it prints a table and ends with one JSON line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { Broker } from '../electron/broker/broker.js';
import { nodeSpawner } from '../electron/host/node-worker.js';
import { requireBuild } from '../devkit/services.js';
import { appRoot } from '../electron/node/app-paths.js';
import { scoreUnderstanding } from '../electron/shared/instructions/score.js';
import { instructionReader } from '../electron/node/instruction-reader.js';
import { PAIRS, SYNONYMS, type Pair } from './instructions/pairs.js';
import { chroma, meanAbsDiff, type Box, type Img } from './instructions/measures.js';
import { chromaBeyondTint, MONO_RESIDUAL as COLOUR_RESIDUAL } from '../electron/engine/semantic/tone-policy.js';

function parseArgs(argv: string[]) {
  const a = { dir: path.join(appRoot(), '..', 'shared', 'data', 'old-photos'), photos: 6, size: 512, only: [] as string[], keep: '', understanding: false, labelled: false, perPhoto: false };
  for (let i = 0; i < argv.length; i++) {
    const v = () => argv[++i] ?? '';
    switch (argv[i]) {
      case '--dir': a.dir = v(); break;
      case '--photos': a.photos = Number(v()); break;
      case '--size': a.size = Number(v()); break;
      case '--only': a.only = v().split(','); break;
      case '--keep': a.keep = v(); break;
      case '--understanding': a.understanding = true; break;
      case '--labelled': a.labelled = true; break;
      case '--per-photo': a.perPhoto = true; break;
      default: throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  if (!fs.existsSync(a.dir)) throw new Error(`--dir ${a.dir} does not exist`);
  if (!(a.photos >= 1) || !(a.size >= 64)) throw new Error('--photos must be ≥ 1 and --size ≥ 64');
  return a;
}

async function readImg(file: string): Promise<Img> {
  const { data, info } = await sharp(file).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  const rgb = new Float32Array(info.width * info.height * 3);
  for (let i = 0; i < rgb.length; i++) rgb[i] = data[i]! / 255;
  return { width: info.width, height: info.height, rgb };
}

interface Photo {
  name: string;
  file: string;
  img: Img;
  faces: Box[];
}

/** A held-out set as its file holds it: the cases, and what the parser scored on them when the set arrived. */
interface HeldOutSet {
  cases: { text: string; expect: Record<string, string> }[];
  firstMeasured?: { correct: number; slots: number; commit: string };
}

/** The parser's accuracy on every held-out set, now (with the installed learned reader's fills, and the rules alone) and as first measured. */
function understandingRows() {
  const reader = instructionReader();
  const fixtures = path.join(appRoot(), 'tests', 'fixtures', 'instructions');
  const list = (dir: string) => (fs.existsSync(path.join(fixtures, dir)) ? fs.readdirSync(path.join(fixtures, dir)) : []).filter((f) => /^held-out.*\.json$/.test(f)).map((f) => (dir ? `${dir}/${f}` : f));
  // pending/: sets measured on arrival and not yet worked on (their accuracy is still a held-out figure).
  return [...list(''), ...list('pending')]
    .sort((x, y) => Number(x.startsWith('pending/')) - Number(y.startsWith('pending/')) || x.length - y.length || x.localeCompare(y))
    .map((f) => {
      const set = JSON.parse(fs.readFileSync(path.join(fixtures, f), 'utf8')) as HeldOutSet;
      const s = scoreUnderstanding(set.cases, reader);
      const rules = scoreUnderstanding(set.cases);
      const first = set.firstMeasured ? { firstMeasured: Number((set.firstMeasured.correct / set.firstMeasured.slots).toFixed(4)), firstCommit: set.firstMeasured.commit } : {};
      return { set: f, instructions: set.cases.length, slots: s.slots, accuracy: s.accuracy, rules: rules.accuracy, unlabelled: s.unlabelled, unlabelledRules: rules.unlabelled, invented: s.invented, ...first };
    });
}

/** Every labelled file but the pending sets: the held-out sets at the top and training/. */
function labelledTotals() {
  const reader = instructionReader();
  const fixtures = path.join(appRoot(), 'tests', 'fixtures', 'instructions');
  const files = ['', 'training'].flatMap((dir) => fs.readdirSync(path.join(fixtures, dir)).filter((f) => f.endsWith('.json')).map((f) => path.join(fixtures, dir, f)));
  let slots = 0, correct = 0, rules = 0, used = 0;
  for (const f of files) {
    const data = JSON.parse(fs.readFileSync(f, 'utf8')) as { cases?: { text: string; expect: Record<string, string> }[] } | { text: string; expect: Record<string, string> }[];
    const cases = Array.isArray(data) ? data : data.cases;
    if (!cases?.length || !cases[0]!.expect) continue;
    used++;
    const s = scoreUnderstanding(cases, reader);
    slots += s.slots;
    correct += s.correct;
    rules += scoreUnderstanding(cases).correct;
  }
  return { files: used, slots, correct, rules };
}

function printUnderstanding(understanding: ReturnType<typeof understandingRows>): void {
  console.log(`\nLearned reader: ${instructionReader()?.name ?? 'none installed'} (accuracy with its fills; the rules alone beside it)`);
  console.log('| held-out set | instructions | stated slots | per-slot accuracy | rules alone | settings read that are not labelled (rules alone) | first measured (commit) | instructions stating nothing given settings |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const u of understanding) {
    const first = u.firstMeasured !== undefined ? `${u.firstMeasured.toFixed(3)} (${u.firstCommit})` : 'not recorded';
    console.log(`| ${u.set} | ${u.instructions} | ${u.slots} | ${u.accuracy.toFixed(3)} | ${u.rules.toFixed(3)} | ${u.unlabelled} (${u.unlabelledRules}) | ${first} | ${u.invented} |`);
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.understanding) {
    const understanding = understandingRows();
    printUnderstanding(understanding);
    const labelled = args.labelled ? labelledTotals() : undefined;
    if (labelled) console.log(`\nAll labelled text (${labelled.files} files, pending/ left out): ${labelled.correct} / ${labelled.slots} with the reader, ${labelled.rules} / ${labelled.slots} by the rules alone`);
    console.log(JSON.stringify({ bench: 'instructions', understanding, ...(labelled ? { labelled } : {}), goals: { understanding: understanding.every((u) => u.accuracy >= 0.95) } }));
    return;
  }
  requireBuild();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-instr-bench-'));
  const names = fs.readdirSync(args.dir).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort();
  // A spread over the collection first, then the rest, until every pool is full; the same every run.
  const step = Math.max(1, Math.floor(names.length / (3 * args.photos)));
  const spread = [...names.filter((_, i) => i % step === 0), ...names.filter((_, i) => i % step !== 0)];
  const broker = new Broker({ spawn: nodeSpawner({ echoStderr: !!process.env.RESTORA_DEBUG }), dataDir: work, mode: 'cli', version: 'bench' });
  await broker.start();
  const t0 = performance.now();
  try {
    const info = await broker.invoke('engine.info', {});
    console.log(`models: ${info.models.filter((m) => m.ok).map((m) => `${m.id} ${m.version}`).join(', ') || 'none (classical)'}; ONNX Runtime ${info.onnxruntime}, ${info.threads} threads`);
    // Photos: scaled copies; the first N for global pairs, the first N with faces for face pairs, JPEG crops for JPEG pairs.
    const all: Photo[] = [], withFaces: Photo[] = [], toned: Photo[] = [], colour: Photo[] = [], jpeg: Photo[] = [];
    for (const name of spread) {
      if (all.length >= args.photos && withFaces.length >= args.photos && toned.length >= args.photos && colour.length >= args.photos && jpeg.length >= args.photos) break;
      const src = path.join(args.dir, name);
      const meta = await sharp(src).metadata();
      const wantJpeg = jpeg.length < args.photos && meta.format === 'jpeg' && (meta.width ?? 0) >= args.size && (meta.height ?? 0) >= args.size && !meta.orientation;
      if (all.length >= args.photos && withFaces.length >= args.photos && !wantJpeg) {
        // Only the colour pools still need photos: judge colour on a small copy before anything else.
        const small = await sharp(src).rotate().removeAlpha().toColourspace('srgb').resize(128, 128, { fit: 'inside' }).raw().toBuffer({ resolveWithObject: true });
        const img = { width: small.info.width, height: small.info.height, rgb: Float32Array.from(small.data, (v) => v / 255) };
        const wantToned = toned.length < args.photos && chroma(img, img, []) > 1.5;
        const wantColour = colour.length < args.photos && chromaBeyondTint(img.rgb).residual >= COLOUR_RESIDUAL;
        if (!wantToned && !wantColour) continue;
      }
      const file = path.join(work, `${path.parse(name).name}.png`);
      await sharp(src).rotate().removeAlpha().toColourspace('srgb').resize(args.size, args.size, { fit: 'inside' }).png().toFile(file);
      const needFaces = withFaces.length < args.photos;
      const faces = needFaces ? (await broker.invoke('engine.analyze', { input: file })).faces.map(({ x, y, w, h }) => ({ x, y, w, h })) : [];
      const photo: Photo = { name, file, img: await readImg(file), faces };
      if (all.length < args.photos) all.push(photo);
      if (needFaces && faces.length) withFaces.push(photo);
      // Some colour to keep or take out (a sepia or tinted print, a colour photo): mean |Cb, Cr| above 1.5%.
      if (toned.length < args.photos && chroma(photo.img, photo.img, []) > 1.5) toned.push(photo);
      // Colours beyond one tint (chromaBeyondTint on the copy, as the tone stage judges a photo): faded colour, hand-tinted.
      if (colour.length < args.photos && chromaBeyondTint(photo.img.rgb).residual >= COLOUR_RESIDUAL) colour.push(photo);
      if (wantJpeg) {
        const left = 8 * Math.floor(((meta.width! - args.size) / 2) / 8), top = 8 * Math.floor(((meta.height! - args.size) / 2) / 8);
        const crop = path.join(work, `${path.parse(name).name}.crop.png`);
        await sharp(src).removeAlpha().toColourspace('srgb').extract({ left, top, width: args.size, height: args.size }).png().toFile(crop);
        jpeg.push({ name: `${name} (crop)`, file: crop, img: await readImg(crop), faces: [] });
      }
    }
    console.log(`photos: ${all.length} scaled to ${args.size} px, ${withFaces.length} with faces, ${toned.length} with some colour, ${colour.length} with colours beyond a tint, ${jpeg.length} JPEG crops`);

    const cache = new Map<string, Img>();
    let runs = 0;
    const restore = async (p: Photo, instruction: string): Promise<Img> => {
      const key = `${p.file}\u0000${instruction}`;
      const hit = cache.get(key);
      if (hit) return hit;
      const out = path.join(work, `out-${runs++}.png`);
      await broker.runJob('engine.restoreFile', { input: p.file, output: out, settings: { instruction } });
      const img = await readImg(out);
      if (args.keep) {
        fs.mkdirSync(args.keep, { recursive: true });
        fs.copyFileSync(out, path.join(args.keep, `${path.parse(p.file).name} — ${instruction.replace(/[^\w ,'-]/g, '').slice(0, 60)}.png`));
      }
      fs.rmSync(out, { force: true });
      cache.set(key, img);
      return img;
    };

    const pairs = PAIRS.filter((p) => !args.only.length || args.only.includes(p.property));
    const rows: { pair: Pair; ok: number; n: number; meanA: number; meanB: number }[] = [];
    for (const pair of pairs) {
      const pool = { all, faces: withFaces, jpeg, toned, colour }[pair.photos];
      let ok = 0, sa = 0, sb = 0;
      for (const p of pool) {
        const [oa, ob] = [await restore(p, pair.a), await restore(p, pair.b)];
        const [ma, mb] = [pair.measure(oa, p.img, p.faces), pair.measure(ob, p.img, p.faces)];
        const held = pair.dir === '>' ? ma > mb : ma < mb;
        if (held) ok++;
        if (args.perPhoto) console.error(`    ${held ? 'ok  ' : 'MISS'} ${p.name}: ${ma.toFixed(3)} vs ${mb.toFixed(3)}${pair.photos === 'faces' ? ` (${p.faces.length} faces)` : ''}`);
        sa += ma;
        sb += mb;
      }
      const n = pool.length;
      rows.push({ pair, ok, n, meanA: n ? sa / n : NaN, meanB: n ? sb / n : NaN });
      console.error(`  ${pair.property}: "${pair.a}" ${pair.dir} "${pair.b}": ${ok}/${n}`);
    }
    const synonyms: { a: string; b: string; max: number }[] = [];
    if (!args.only.length || args.only.includes('synonyms')) {
      for (const [a, b] of SYNONYMS) {
        let max = 0;
        for (const p of all) max = Math.max(max, meanAbsDiff(await restore(p, a), await restore(p, b)));
        synonyms.push({ a, b, max });
      }
    }

    // Understanding, on the held-out instruction sets.
    const understanding = understandingRows();

    const pct = (r: { ok: number; n: number }) => (r.n ? r.ok / r.n : 0);
    console.log('\n| property | instruction A | vs | instruction B | measured | A | B | holds on |');
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const r of rows) console.log(`| ${r.pair.property} | ${r.pair.a} | ${r.pair.dir} | ${r.pair.b} | ${r.pair.measureName} | ${r.meanA.toFixed(3)} | ${r.meanB.toFixed(3)} | ${r.ok}/${r.n}${pct(r) >= 0.9 ? '' : ' ✗'} |`);
    if (synonyms.length) {
      console.log('\n| synonymous instructions | | largest mean difference (/255) |');
      console.log('| --- | --- | --- |');
      for (const s of synonyms) console.log(`| ${s.a} | ${s.b} | ${s.max.toFixed(3)}${s.max <= 0.5 ? '' : ' ✗'} |`);
    }
    printUnderstanding(understanding);
    const holding = rows.filter((r) => pct(r) >= 0.9).length;
    const properties = [...new Set(rows.map((r) => r.pair.property))];
    const seconds = (performance.now() - t0) / 1000;
    console.log(`\n${holding}/${rows.length} pairs hold on ≥ 90% of photos (${properties.length} properties); synonyms within 0.5/255: ${synonyms.filter((s) => s.max <= 0.5).length}/${synonyms.length}; ${runs} restorations in ${seconds.toFixed(0)} s`);
    console.log(
      JSON.stringify({
        bench: 'instructions',
        photos: { all: all.length, faces: withFaces.length, toned: toned.length, colour: colour.length, jpeg: jpeg.length, size: args.size },
        pairs: rows.map((r) => ({ property: r.pair.property, a: r.pair.a, b: r.pair.b, dir: r.pair.dir, measure: r.pair.measureName, held: r.ok, of: r.n, meanA: Number(r.meanA.toFixed(4)), meanB: Number(r.meanB.toFixed(4)) })),
        pairsHolding: holding,
        pairsTotal: rows.length,
        properties: properties.length,
        synonyms: synonyms.map((s) => ({ a: s.a, b: s.b, maxMeanDiff: Number(s.max.toFixed(4)) })),
        understanding,
        restorations: runs,
        seconds: Math.round(seconds),
        goals: { pairs: holding === rows.length, synonyms: synonyms.every((s) => s.max <= 0.5), understanding: understanding.every((u) => u.accuracy >= 0.95) },
      }),
    );
  } finally {
    broker.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  process.exit(1);
});
