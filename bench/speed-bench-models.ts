/**
 * The model speed benchmark: `npm run bench:speed:models` (builds, then runs this).
 *   node --import tsx bench/speed-bench-models.ts [--zoo DIR] [--runs N] [--size PX]
 *        [--instruction TEXT] [--calib-seconds S]
 * On the CPU, through the engine's own session code (SessionCache → ort.ts
 * createSession, the thread settings the app uses), in this process:
 *   1. restorer on a --size² (default 512²) photo-like image: median of N runs
 *      of one full-image session.run, and median of N runs of the engine's
 *      tiled path (the manifest's tile size/overlap, as restoreFile runs it);
 *   2. integrator for one instruction: cue encoder + the full greedy decode
 *      loop (K + 1 integrator calls), median ms;
 *   3. achieved GFLOP/s of the restorer = FLOPs of one full-image run / its
 *      median time. FLOPs are counted from an ONNX Runtime profile of that run
 *      (devkit/onnx-flops.ts: Conv/ConvTranspose/MatMul/Gemm
 *      with their real shapes, 2 FLOPs per multiply-add) and set against the
 *      matmul peak of electron/engine/calibrate.ts measured in the same run.
 * Without trained models in --zoo (default models/zoo) it says so, times the
 * classical fallback on the same image instead, and still measures the peak.
 * Timings on a shared machine are noisy: compare medians from the same run.
 * The last line is one JSON object with all figures.
 */
import path from 'node:path';
import { shippedModelsDir } from '../electron/node/app-paths.js';
import { scanModels } from '../electron/node/model-registry.js';
import { findModelSet, modelTileRestorer, type ModelSet } from '../electron/engine/model-restorer.js';
import { ToneEstimator, toneThumbnail } from '../electron/engine/semantic/tone.js';
import { SessionCache } from '../electron/engine/session-cache.js';
import { SemanticIntegrator } from '../electron/engine/semantic/integrator.js';
import { calibrate } from '../electron/engine/calibrate.js';
import { intraOpThreads, ort, ortVersion } from '../electron/engine/ort.js';
import { classicalRestore } from '../electron/engine/pipeline/classical.js';
import { planTiles, TileBlender, cropTile } from '../electron/engine/pipeline/tile-plan.js';
import { RestoreSettings } from '../electron/shared/recipe.js';
import type { HandlerContext } from '../electron/node/worker-runtime.js';
import { profileFlops } from '../devkit/onnx-flops.js';

function parseArgs(argv: string[]) {
  const a = { zoo: shippedModelsDir(), runs: 5, size: 512, instruction: 'remove the scratches and keep the grain', calibSeconds: 3 };
  for (let i = 0; i < argv.length; i++) {
    const v = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${argv[i - 1]} needs a value`);
      return next;
    };
    switch (argv[i]) {
      case '--zoo': a.zoo = path.resolve(v()); break;
      case '--runs': a.runs = Number(v()); break;
      case '--size': a.size = Number(v()); break;
      case '--instruction': a.instruction = v(); break;
      case '--calib-seconds': a.calibSeconds = Number(v()); break;
      default: throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  if (!(Number.isInteger(a.runs) && a.runs >= 1 && Number.isInteger(a.size) && a.size >= 16 && a.calibSeconds > 0)) throw new Error('--runs ≥ 1, --size ≥ 16 (integers), --calib-seconds > 0');
  return a;
}

/** A deterministic photo-like test image: smooth shading, edges and fine texture (HWC, 0..1). */
function testImage(n: number): Float32Array {
  const rgb = new Float32Array(n * n * 3);
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) {
      const u = x / n, v = y / n;
      const edge = (x >> 5) % 2 === (y >> 5) % 2 ? 0.1 : -0.1;
      const tex = 0.04 * Math.sin(x * 1.7) * Math.cos(y * 2.3);
      for (let c = 0; c < 3; c++) rgb[(y * n + x) * 3 + c] = Math.min(1, Math.max(0, 0.35 + 0.3 * u * (c + 1) / 3 + 0.2 * v + edge + tex));
    }
  return rgb;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function timeRuns(runs: number, fn: () => Promise<unknown> | unknown): Promise<{ medianMs: number; allMs: number[] }> {
  await fn(); // warm-up: first-run allocations and kernel selection
  const all: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    all.push(performance.now() - t);
  }
  return { medianMs: median(all), allMs: all.map((v) => Number(v.toFixed(1))) };
}

function toNchw(rgb: Float32Array, w: number, h: number): Float32Array {
  const plane = w * h, out = new Float32Array(3 * plane);
  for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) out[c * plane + p] = rgb[p * 3 + c]!;
  return out;
}

const quietCtx: HandlerContext = {
  jobId: undefined,
  signal: new AbortController().signal,
  throwIfCancelled() {},
  progress() {},
  emit() {},
};

async function benchModels(set: ModelSet, args: ReturnType<typeof parseArgs>, rgb: Float32Array) {
  const n = args.size;
  const settings = RestoreSettings.parse({ instruction: args.instruction });
  const cache = new SessionCache();
  try {
    // 2. Integrator: cue encoder + full decode loop, as the engine runs it once per photo.
    const [cue, integ] = await Promise.all([cache.get(set.cue, 'cpu'), cache.get(set.integrator, 'cpu')]);
    const si = new SemanticIntegrator(cue, integ);
    let understanding = await si.understand(rgb, n, n, args.instruction);
    const decodeMs: number[] = [];
    const integ_ = await timeRuns(args.runs, async () => {
      understanding = await si.understand(rgb, n, n, args.instruction);
      decodeMs.push(understanding.timings.decode * 1000);
    });
    console.log(`Integrator "${args.instruction}": cues + ${understanding.K + 1} decode calls, median ${integ_.medianMs.toFixed(1)} ms (decode loop alone ${median(decodeMs.slice(1)).toFixed(1)} ms) → ${understanding.tokens.join(' ')}`);

    // 1. Restorer: one full-image run, and the engine's tiled path.
    const restorer = await cache.get(set.restorer, 'cpu');
    const queries = new ort.Tensor('float32', understanding.queries, [1, understanding.K, understanding.dq]);
    const image = new ort.Tensor('float32', toNchw(rgb, n, n), [1, 3, n, n]);
    const full = await timeRuns(args.runs, () => restorer.session.run({ image, queries }));
    console.log(`Restorer ${set.restorer.id}@${set.restorer.manifest!.version} on ${n}×${n}, one run: median ${full.medianMs.toFixed(1)} ms (${full.allMs.join(', ')})`);
    const tiled = await modelTileRestorer(cache, set, settings, { rgb, width: n, height: n });
    const tiles = planTiles(n, n, tiled.tileSize, tiled.overlap);
    const tiledT = await timeRuns(args.runs, async () => {
      const blender = new TileBlender(n, n, 3, tiled.overlap);
      for (const t of tiles) blender.add(t, await tiled.restoreTile(cropTile(rgb, n, 3, t), t.w, t.h));
      return blender.result();
    });
    console.log(`Restorer through the engine's tiles (${tiles.length} tiles of ≤${tiled.tileSize}, overlap ${tiled.overlap}): median ${tiledT.medianMs.toFixed(1)} ms`);

    // The tone model, when the restorer is trained behind one: a thumbnail of the whole photo and one call, once per photo.
    let toneOut: { thumbnailMs: number; modelMs: number } | null = null;
    if (set.tone) {
      const tone = new ToneEstimator(await cache.get(set.tone, 'cpu'));
      const th = await timeRuns(args.runs, async () => toneThumbnail(rgb, n, n, tone.size));
      const thumb = toneThumbnail(rgb, n, n, tone.size);
      const est = await timeRuns(args.runs, () => tone.estimate(thumb, understanding.queries, understanding.K, understanding.dq));
      toneOut = { thumbnailMs: Number(th.medianMs.toFixed(2)), modelMs: Number(est.medianMs.toFixed(2)) };
      console.log(`Tone ${set.tone.id}@${set.tone.manifest!.version}: thumbnail of the ${n}×${n} photo ${toneOut.thumbnailMs} ms, model ${toneOut.modelMs} ms`);
    }

    // 3. FLOPs of one full-image run, from ORT's profile of the unoptimised graph.
    const flops = await profileFlops(set.restorer.file, { image, queries });
    const byOp = Object.fromEntries(Object.entries(flops.byOp).map(([k, v]) => [k, Number((v / 1e9).toFixed(3))]));
    const params = set.restorer.manifest!.params;
    console.log(`Restorer work: ${(flops.total / 1e9).toFixed(2)} GFLOP per ${n}² run (${JSON.stringify(byOp)} GFLOP by op; ${flops.nodes} nodes profiled)${params ? `; ${params.toLocaleString()} parameters → 2·params·pixels = ${((2 * params * n * n) / 1e9).toFixed(2)} GFLOP if every layer ran at full resolution` : ''}`);
    return {
      models: [set.cue, set.integrator, set.restorer].map((m) => ({ id: m.id, version: m.manifest!.version, params: m.manifest!.params ?? null })),
      ...(toneOut && set.tone ? { tone: { id: set.tone.id, version: set.tone.manifest!.version, ...toneOut } } : {}),
      restorer: { fullImageMedianMs: Number(full.medianMs.toFixed(1)), fullImageRunsMs: full.allMs, tiledMedianMs: Number(tiledT.medianMs.toFixed(1)), tiles: tiles.length, tileSize: tiled.tileSize, overlap: tiled.overlap },
      integrator: { instruction: args.instruction, medianMs: Number(integ_.medianMs.toFixed(1)), decodeLoopMedianMs: Number(median(decodeMs.slice(1)).toFixed(1)), calls: understanding.K + 1, tokens: understanding.tokens },
      flops: { perRun: flops.total, gflopPerRun: Number((flops.total / 1e9).toFixed(3)), byOpGflop: byOp, method: 'ORT profile (graph optimisation disabled), Conv/ConvTranspose/MatMul/Gemm with real shapes, 2 FLOPs per multiply-add' },
      achievedGflops: flops.total / 1e9 / (full.medianMs / 1000),
    };
  } finally {
    await cache.clear();
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const n = args.size;
  const rgb = testImage(n);
  const all = scanModels([{ dir: args.zoo, source: 'shipped' }]);
  const set = findModelSet(all);
  console.log(`Model speed benchmark: ONNX Runtime ${ortVersion()} (CPU), ${intraOpThreads()} intra-op threads, ${n}×${n}, median of ${args.runs} runs after a warm-up; models from ${args.zoo}: ${all.map((m) => `${m.id}${m.ok ? '' : ' (unusable: ' + m.problem + ')'}`).join(', ') || 'none'}`);

  let modelsOut: Awaited<ReturnType<typeof benchModels>> | null = null;
  let classicalMs: number | null = null;
  if (set) modelsOut = await benchModels(set, args, rgb);
  else {
    console.log('No trained restorer, integrator and cue encoder in the zoo (they are exported by the models engineer): timing the classical fallback the engine uses instead.');
    const t = await timeRuns(args.runs, () => classicalRestore(rgb, n, n, 3));
    classicalMs = t.medianMs;
    console.log(`Classical (median 3×3 + unsharp) on ${n}×${n}: median ${t.medianMs.toFixed(1)} ms (${t.allMs.join(', ')})`);
  }

  // The peak, measured now, after the model runs, in the same process and thread settings.
  const peak = await calibrate({ seconds: args.calibSeconds, size: 512 }, quietCtx);
  console.log(`Matmul peak (calibrate.ts, 512×512, ${args.calibSeconds} s): ${peak.gflops.toFixed(1)} GFLOP/s`);
  if (modelsOut) console.log(`Restorer achieved ${modelsOut.achievedGflops.toFixed(1)} GFLOP/s = ${((100 * modelsOut.achievedGflops) / peak.gflops).toFixed(0)}% of the matmul peak`);

  const summary = {
    bench: 'speed-models',
    onnxruntime: ortVersion(),
    threads: intraOpThreads(),
    size: n,
    runs: args.runs,
    zoo: args.zoo,
    ...(modelsOut
      ? { ...modelsOut, achievedGflops: Number(modelsOut.achievedGflops.toFixed(2)), fractionOfPeak: Number((modelsOut.achievedGflops / peak.gflops).toFixed(3)) }
      : { models: null, skipped: 'no trained models installed', classicalMedianMs: Number(classicalMs!.toFixed(1)) }),
    peakGflops: Number(peak.gflops.toFixed(2)),
    seconds: Number(((Date.now() - started) / 1000).toFixed(1)),
  };
  console.log(JSON.stringify(summary));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  process.exit(1);
});
