/**
 * Generative mode end to end on the real exported refiner (models/zoo/restora-refiner)
 * in the real engine process: the TypeScript sampler against PyTorch's, deterministic
 * runs bit-identical, seeds giving variations, fidelity 1 = the fast result, bad
 * settings refused with the reason, cancel between sampler steps leaving nothing behind.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { startServices, waitFor } from '../../devkit/services.js';
import { writeTestPhoto } from '../../devkit/images.js';
import type { JobInfo, JobProgress } from '../../electron/shared/jobs.js';
import type { RestoraError } from '../../electron/shared/errors.js';
import { shippedModelsDir } from '../../electron/node/app-paths.js';
import { scanModels } from '../../electron/node/model-registry.js';
import { SessionCache } from '../../electron/engine/session-cache.js';
import { guidedPredictor, refinerSampler } from '../../electron/engine/generative/refiner.js';
import { sampleTile } from '../../electron/engine/generative/sampler.js';
import { skipUnlessCommitted } from '../committed.js';

const refiner = scanModels([{ dir: shippedModelsDir(), source: 'shipped' }]).find((m) => m.ok && m.manifest?.task === 'refiner');
const skip = skipUnlessCommitted('the shipped refiner (models/zoo/restora-refiner)', !!refiner);

let svc: Awaited<ReturnType<typeof startServices>>;
let dir: string;
let input: string;
const progress: JobProgress[] = [];
before(async () => {
  svc = await startServices();
  svc.broker.onEvent((name, payload) => {
    if (name === 'job.progress') progress.push(payload as JobProgress);
  });
  dir = fs.mkdtempSync(path.join(svc.dataDir, 'gen-'));
  input = path.join(dir, 'photo.png');
  await writeTestPhoto(input, 96, 72, 5);
});
after(() => svc.stop());

let n = 0;
async function restore(settings: Record<string, unknown>) {
  const output = path.join(dir, `out-${++n}.png`);
  // faces: [] skips face detection, which this test is not about.
  const r = await svc.broker.runJob('engine.restoreFile', { input, output, settings: { faces: [], ...settings } });
  const { data } = await sharp(output).raw().toBuffer({ resolveWithObject: true });
  return { r, pixels: new Uint8Array(data) };
}

const differing = (a: Uint8Array, b: Uint8Array) => a.reduce((acc, v, i) => acc + (v !== b[i] ? 1 : 0), 0);

test('the engine\'s sampler on ONNX Runtime reproduces PyTorch\'s sampler', { skip }, async () => {
  const parity = JSON.parse(fs.readFileSync(path.join(refiner!.dir, 'parity.json'), 'utf8'));
  const s = parity.sample;
  const [, , h, w] = s.eps.shape as number[];
  const cache = new SessionCache();
  const loaded = await cache.get(refiner!, 'cpu');
  const q = parity.inputs.queries;
  const cond = Float32Array.from(parity.inputs.cond.data as number[]);
  const predict = guidedPredictor(loaded, cond, w!, h!, Float32Array.from(q.data as number[]), q.shape[1], q.shape[2], s.guidance);
  const steps: number[] = [];
  const out = await sampleTile(cond, Float32Array.from(s.eps.data as number[]), { fidelity: s.fidelity, steps: s.steps, resScale: refinerSampler(refiner!).resScale }, predict, (d) => {
    steps.push(d);
  });
  assert.deepEqual(steps, Array.from({ length: s.steps }, (_, i) => i + 1), 'one callback per step');
  let maxErr = 0;
  for (let i = 0; i < out.length; i++) maxErr = Math.max(maxErr, Math.abs(out[i]! - s.output.data[i]));
  assert.ok(maxErr < 1e-3, `max abs error ${maxErr}`);
  await cache.clear();
});

test('deterministic mode: the same photo and settings give a bit-identical result; the recipe says how it was made', { skip }, async () => {
  const a = await restore({ mode: 'generative', instruction: 'remove the noise', fidelity: 0.5 });
  const b = await restore({ mode: 'generative', instruction: 'remove the noise', fidelity: 0.5 });
  assert.equal(differing(a.pixels, b.pixels), 0);
  assert.equal(a.r.recipe.mode, 'generative');
  assert.ok(a.r.recipe.models.some((m) => m.id === refiner!.id), 'the refiner is named in the recipe');
  const g = a.r.recipe.settings.generative as { steps: number; guidance: number; seed: number; deterministic: boolean };
  assert.deepEqual([g.steps, g.guidance, g.deterministic], [4, 1.5, true]);
  assert.equal(a.r.recipe.seed, g.seed);
  assert.equal(b.r.recipe.seed, g.seed);
  // The refiner really ran: it is not the fast result.
  const fast = await restore({ mode: 'fast', instruction: 'remove the noise' });
  assert.ok(differing(a.pixels, fast.pixels) > 0, 'generative output differs from fast');
  // A different instruction is a different seed.
  const c = await restore({ mode: 'generative', instruction: 'remove the scratches', fidelity: 0.5 });
  assert.notEqual(c.r.recipe.seed, g.seed);
});

test('stochastic mode: a seed gives a repeatable variation, another seed a different one', { skip }, async () => {
  const s1 = await restore({ mode: 'generative', deterministic: false, seed: 1, fidelity: 0.3 });
  const s1again = await restore({ mode: 'generative', deterministic: false, seed: 1, fidelity: 0.3 });
  const s2 = await restore({ mode: 'generative', deterministic: false, seed: 2, fidelity: 0.3 });
  assert.equal(differing(s1.pixels, s1again.pixels), 0);
  assert.ok(differing(s1.pixels, s2.pixels) > 0, 'seeds 1 and 2 differ');
  assert.equal(s2.r.recipe.seed, 2);
  assert.equal((s2.r.recipe.settings.generative as { deterministic: boolean }).deterministic, false);
});

test('fidelity 1 returns exactly the fast result', { skip }, async () => {
  const fast = await restore({ mode: 'fast', instruction: 'keep the grain' });
  const gen = await restore({ mode: 'generative', instruction: 'keep the grain', fidelity: 1 });
  assert.equal(differing(fast.pixels, gen.pixels), 0);
});

test('out-of-range steps, guidance and fidelity are refused with a clear message', async () => {
  const bad = async (settings: Record<string, unknown>, re: RegExp) =>
    assert.rejects(svc.broker.runJob('engine.restoreFile', { input, output: path.join(dir, 'bad.png'), settings: settings as never }), (e: RestoraError) => e.code === 'BadRequest' && re.test(e.message));
  await bad({ mode: 'generative', steps: 0 }, /Steps must be a whole number from 1 to 32/);
  await bad({ mode: 'generative', steps: 2.5 }, /Steps must be a whole number/);
  await bad({ mode: 'generative', steps: 500 }, /Steps/);
  await bad({ mode: 'generative', guidance: -1 }, /Guidance must be from 0 to 10/);
  await bad({ mode: 'generative', guidance: 'lots' }, /Guidance must be a number/);
  await bad({ mode: 'generative', fidelity: 1.5 }, /Fidelity must be between 0/);
  await bad({ mode: 'generative', deterministic: false, seed: -3 }, /seed must be between/);
  assert.equal(fs.existsSync(path.join(dir, 'bad.png')), false);
});

test('cancel between sampler steps stops the job and leaves nothing half-written', { skip }, async () => {
  const big = path.join(dir, 'big.png');
  await writeTestPhoto(big, 640, 480, 3);
  const outDir = fs.mkdtempSync(path.join(dir, 'cancel-'));
  const output = path.join(outDir, 'never.png');
  const pid = svc.broker.workerPid('engine');
  const jobId = svc.broker.startJob('engine.restoreFile', { input: big, output, settings: { mode: 'generative', steps: 32, fidelity: 0.2 } });
  await waitFor(() => progress.some((p) => p.jobId === jobId && /step 1 of 32/.test(p.message ?? '')), 60_000, 'the first sampler step');
  const mine = progress.filter((p) => p.jobId === jobId && /step \d+ of 32/.test(p.message ?? ''));
  assert.ok(mine.every((p, i) => i === 0 || p.fraction >= mine[i - 1]!.fraction), 'progress per step never goes backwards');
  svc.broker.jobs.cancel(jobId);
  const info: JobInfo = await svc.broker.jobs.wait(jobId);
  assert.equal(info.state, 'cancelled');
  assert.deepEqual(fs.readdirSync(outDir), [], 'no output and no partial file');
  assert.equal(svc.broker.workerPid('engine'), pid, 'the engine stopped between steps by itself, it was not killed');
});

test('without the refiner model, generative mode is refused with a clear reason, not silently run as fast', async () => {
  // A models folder with everything but the refiner.
  const zoo = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-zoo-'));
  for (const e of fs.readdirSync(shippedModelsDir())) {
    if (e !== refiner?.id && e !== 'restora-refiner') fs.symlinkSync(path.join(shippedModelsDir(), e), path.join(zoo, e));
  }
  const prev = process.env.RESTORA_MODELS_DIR;
  process.env.RESTORA_MODELS_DIR = zoo;
  const other = await startServices();
  try {
    await assert.rejects(
      other.broker.runJob('engine.restoreFile', { input, output: path.join(dir, 'o.png'), settings: { mode: 'generative' } }),
      (e: RestoraError) => e.code === 'Unsupported' && /refiner/.test(e.message),
    );
  } finally {
    await other.stop();
    if (prev === undefined) delete process.env.RESTORA_MODELS_DIR;
    else process.env.RESTORA_MODELS_DIR = prev;
    fs.rmSync(zoo, { recursive: true, force: true });
  }
});
