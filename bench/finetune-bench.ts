/**
 * The fine-tuning benchmark: `npm run bench:finetune` (builds, then runs this).
 *   node --import tsx bench/finetune-bench.ts [--people 12] [--steps 200] [--lr 3e-3] [--l2 1e-3] [--variants 12] [--side 256] [--eval 2] [--data ../shared/data] [--no-twenty]
 * (defaults: the app's, FinetuneOptions, trainVariants for one reference photo and TRAIN_SIDE;
 * --side sets the long side that training and evaluation photos are loaded at; --eval sets how many
 * degradations of each evaluation photo are measured, cycling light, medium, severe, medium)
 * For each held-out person (faces-flr people 001-012, never seen in model
 * training): fit an adapter on ONE photo (neutral), the engine's own trainer
 * and graphs; evaluate base vs adapted on a DIFFERENT degraded photo of the
 * same person (smiling, 2 degradations unless --eval) and on other held-out people's
 * smiling photos (3 people, as many degradations each): PSNR gain, and identity
 * distance (face-api 128-d descriptor of the restored face vs the clean face,
 * euclidean; lower is more like the person) — the face box comes from the
 * clean photo. Wall time per personalisation and peak RSS. Then (unless
 * --no-twenty) the real 'engine.finetune' job through the broker on 20
 * photos with default options, timed against the 10-minute goal.
 * A benchmark, not a test: the last line is one JSON object.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scanModels } from '../electron/node/model-registry.js';
import { shippedModelsDir } from '../electron/node/app-paths.js';
import { SessionCache } from '../electron/engine/session-cache.js';
import { findModelSet, loadIntegrator } from '../electron/engine/model-restorer.js';
import { RestoreSettings } from '../electron/shared/recipe.js';
import { requireAdapterGraphs, loadAdapterGraphs, adaptedForward } from '../electron/engine/finetune/adapter-graphs.js';
import { loadTrainingImage, makeExamples, trainVariants, TRAIN_SIDE, type Example } from '../electron/engine/finetune/training-set.js';
import { adamState } from '../electron/engine/finetune/adam.js';
import { compare, train, trainedAdapter, type Graphs } from '../electron/engine/finetune/trainer.js';
import { FinetuneOptions } from '../electron/shared/contract/finetune.js';
import { createFaceDetector } from '../electron/engine/faces/detector.js';
import { Broker } from '../electron/broker/broker.js';
import { nodeSpawner } from '../electron/host/node-worker.js';
import { requireBuild } from '../devkit/services.js';

const argv = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1]! : def;
};
const people = Math.min(12, Number(arg('people', '12')));
const steps = Number(arg('steps', String(FinetuneOptions.parse({}).steps)));
const variants = Number(arg('variants', String(trainVariants(1))));
const side = Number(arg('side', String(TRAIN_SIDE)));
const evalN = Number(arg('eval', '2'));
const data = path.resolve(arg('data', path.join('..', 'shared', 'data')));
const faces = path.join(data, 'faces-flr');
const id = (n: number) => String(n).padStart(3, '0');
const neutral = (n: number) => path.join(faces, 'neutral_front', `${id(n)}_03.jpg`);
const smiling = (n: number) => path.join(faces, 'smiling_front', `${id(n)}_08.jpg`);
const opts = FinetuneOptions.parse({
  steps,
  ...(argv.includes('--lr') ? { learningRate: Number(arg('lr', '')) } : {}),
  ...(argv.includes('--l2') ? { l2: Number(arg('l2', '')) } : {}),
});

const models = scanModels([{ dir: shippedModelsDir(), source: 'shipped' }]);
const set = findModelSet(models);
if (!set) throw new Error('models/zoo has no trained models');
const gm = requireAdapterGraphs(models, set.restorer);
const sessions = new SessionCache();
const reader = await loadIntegrator(sessions, set, RestoreSettings.parse({}));
const { integrator } = reader;
const loaded = await loadAdapterGraphs(sessions, gm);
const g: Graphs = { models: gm, forward: loaded.forward, grad: loaded.grad, K: integrator.spec.slots.length, dq: integrator.spec.dq };
const detector = await createFaceDetector();

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const r3 = (x: number) => Math.round(x * 1000) / 1000;
const dist = (a: Float32Array, b: Float32Array) => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0));

/** Identity distance of base and adapted restorations to the clean face (null when no face is found in the clean photo). */
async function identity(ex: Example, adapter: Float32Array): Promise<{ base: number; adapted: number } | null> {
  const clean = ex.target;
  const [face] = await detector.detect(clean.rgb, clean.width, clean.height, { tiles: 'off', maxFaces: 1 });
  if (!face) return null;
  const ref = await detector.describe(clean.rgb, clean.width, clean.height, face);
  const base = await adaptedForward(g.forward, ex.degraded, ex.queries, g.K, g.dq, new Float32Array(adapter.length));
  const adapted = await adaptedForward(g.forward, ex.degraded, ex.queries, g.K, g.dq, adapter);
  return {
    base: dist(ref, await detector.describe(base.rgb, base.width, base.height, face)),
    adapted: dist(ref, await detector.describe(adapted.rgb, adapted.width, adapted.height, face)),
  };
}

const rows = [];
for (let p = 1; p <= people; p++) {
  const t0 = performance.now();
  const trainEx = await makeExamples(await loadTrainingImage(neutral(p), side), 1000 + p * 10, variants, reader);
  const state = await train(trainEx, [], opts, { step: 0, adapter: new Float32Array(gm.size), adam: adamState(gm.size), losses: [] }, g);
  const adapter = trainedAdapter(state, opts.steps);
  const seconds = (performance.now() - t0) / 1000;
  const same = await makeExamples(await loadTrainingImage(smiling(p), side), 900_000 + p * 10, evalN, reader);
  const others: Example[] = [];
  for (const q of [1, 2, 3].map((k) => ((p - 1 + k * 4) % 12) + 1)) others.push(...(await makeExamples(await loadTrainingImage(smiling(q), side), 900_000 + q * 10, evalN, reader)));
  const perSame = await compare(same, adapter, g);
  const perOther = await compare(others, adapter, g);
  const ids = (await Promise.all(same.map((ex) => identity(ex, adapter)))).filter((x): x is { base: number; adapted: number } => !!x);
  const row = {
    person: id(p),
    seconds: r3(seconds),
    sameGainDb: r3(mean(perSame.map((x) => x.psnrAdapted - x.psnrBase))),
    /** Per evaluation example, in makeExamples' severity cycle (light, medium, severe, medium, ...). */
    sameGainsDb: perSame.map((x) => r3(x.psnrAdapted - x.psnrBase)),
    samePsnrBase: r3(mean(perSame.map((x) => x.psnrBase))),
    otherGainDb: r3(mean(perOther.map((x) => x.psnrAdapted - x.psnrBase))),
    identityDistBase: r3(mean(ids.map((x) => x.base))),
    identityDistAdapted: r3(mean(ids.map((x) => x.adapted))),
    lossFirst10: r3(mean(state.losses.slice(0, 10).map((l) => l.restoration)) * 1e3),
    lossLast10: r3(mean(state.losses.slice(-10).map((l) => l.restoration)) * 1e3),
  };
  rows.push(row);
  console.log(`person ${row.person}: ${row.seconds} s, same person ${row.sameGainDb >= 0 ? '+' : ''}${row.sameGainDb} dB (per degradation: ${row.sameGainsDb.join(', ')}; base ${row.samePsnrBase}), other people ${row.otherGainDb >= 0 ? '+' : ''}${row.otherGainDb} dB, identity distance ${row.identityDistBase} → ${row.identityDistAdapted}, loss×1e3 ${row.lossFirst10} → ${row.lossLast10}`);
}

// A 20-photo personalisation through the real job (broker + engine worker), default options.
let twenty: { photos: number; steps: number; seconds: number; gainDb: number; verdict: string } | null = null;
if (!argv.includes('--no-twenty')) {
  requireBuild();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-bench-ft-'));
  const broker = new Broker({ spawn: nodeSpawner({}), dataDir: home, mode: 'cli', version: 'bench' });
  await broker.start();
  try {
    const refs = Array.from({ length: 10 }, (_, i) => [neutral(13 + i), smiling(13 + i)]).flat();
    const runDir = path.join(home, 'finetune', 'ft-bench20');
    fs.mkdirSync(runDir, { recursive: true });
    const t0 = performance.now();
    const r = await broker.runJob('engine.finetune', { runDir, name: 'Twenty', references: refs, picks: [], options: {} });
    twenty = { photos: refs.length, steps: r.steps, seconds: r3((performance.now() - t0) / 1000), gainDb: r.evaluation.gainDb, verdict: r.evaluation.verdict };
    console.log(`20-photo personalisation (people 013-022, ${r.steps} steps, the app's job): ${twenty.seconds} s, held-out ${r.evaluation.gainDb} dB (${r.evaluation.verdict})`);
  } finally {
    broker.stop();
    fs.rmSync(home, { recursive: true, force: true });
  }
}

const summary = {
  bench: 'finetune',
  learningRate: opts.learningRate,
  variants,
  evalDegradations: evalN,
  l2: opts.l2,
  people: rows.length,
  stepsPerPerson: steps,
  sameGainDb: r3(mean(rows.map((r) => r.sameGainDb))),
  otherGainDb: r3(mean(rows.map((r) => r.otherGainDb))),
  identityDistBase: r3(mean(rows.map((r) => r.identityDistBase))),
  identityDistAdapted: r3(mean(rows.map((r) => r.identityDistAdapted))),
  secondsPerPerson: r3(mean(rows.map((r) => r.seconds))),
  peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  twenty,
  goals: {
    sameAtLeastHalfDb: mean(rows.map((r) => r.sameGainDb)) >= 0.5,
    noLossOnOthers: mean(rows.map((r) => r.otherGainDb)) >= 0,
    twentyUnderTenMinutes: twenty ? twenty.seconds <= 600 : null,
  },
  rows,
};
console.log(JSON.stringify(summary));
process.exit(0);
