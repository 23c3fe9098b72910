/**
 * The FLOP counter on a graph with known work, and both model benchmarks end
 * to end on tiny inputs: always on the classical fallback (an empty zoo), and
 * on real ONNX models when there are some — the shipped ones in models/zoo, or
 * a zoo named by RESTORA_TEST_ZOO (e.g. the tiny export of the models tests:
 * `cd models && python -m restora_models.export --run <tiny run> --out DIR`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import sharp from 'sharp';
import * as ort from 'onnxruntime-node';
import { appRoot, distDir, shippedModelsDir } from '../../../electron/node/app-paths.js';
import { buildOnnxModel } from '../../../electron/engine/onnx-builder.js';
import { profileFlops, nodeFlops } from '../../../devkit/onnx-flops.js';
import { scanModels } from '../../../electron/node/model-registry.js';
import { findModelSet } from '../../../electron/engine/model-restorer.js';
import { skipUnlessCommitted } from '../../committed.js';

const root = appRoot();
const built = fs.existsSync(path.join(distDir(), 'engine', 'worker.js'));
const zoo = process.env.RESTORA_TEST_ZOO
  ? path.resolve(process.env.RESTORA_TEST_ZOO)
  : findModelSet(scanModels([{ dir: shippedModelsDir(), source: 'shipped' }]))
    ? shippedModelsDir()
    : null;
const zooSkip = skipUnlessCommitted('the shipped restorer, integrator and cue encoder (models/zoo; or a zoo named by RESTORA_TEST_ZOO)', !!zoo);

function bench(script: string, args: string[], env: Record<string, string> = {}): Record<string, unknown> {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench', script), ...args], {
    cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 300_000,
  });
  assert.equal(r.status, 0, `${script} failed:\n${r.stdout}\n${r.stderr}`);
  const last = r.stdout.trim().split('\n').at(-1)!;
  return JSON.parse(last);
}

async function tinyGt(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-gt-'));
  const w = 96, h = 64, buf = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) buf[(y * w + x) * 3 + c] = Math.round(128 + 80 * Math.sin(x / (4 + c)) * Math.cos(y / 6));
  await sharp(buf, { raw: { width: w, height: h, channels: 3 } }).png().toFile(path.join(dir, 'card.png'));
  return dir;
}

test('FLOPs from an ORT profile: Conv, MatMul and Gemm counted from their real shapes', async () => {
  const model = buildOnnxModel({
    nodes: [{ op: 'Conv', inputs: ['X', 'W'], outputs: ['Y'] }, { op: 'MatMul', inputs: ['A', 'B'], outputs: ['C'] }, { op: 'Gemm', inputs: ['G', 'H'], outputs: ['I'] }, { op: 'Relu', inputs: ['Y'], outputs: ['R'] }],
    inputs: [['X', [1, 3, 16, 16]], ['W', [4, 3, 3, 3]], ['A', [2, 16, 8]], ['B', [8, 5]], ['G', [6, 7]], ['H', [7, 9]]],
    outputs: [['R', [1, 4, 14, 14]], ['C', [2, 16, 5]], ['I', [6, 9]]],
  });
  const t = (d: number[]) => new ort.Tensor('float32', new Float32Array(d.reduce((a, b) => a * b, 1)).fill(0.5), d);
  const f = await profileFlops(model, { X: t([1, 3, 16, 16]), W: t([4, 3, 3, 3]), A: t([2, 16, 8]), B: t([8, 5]), G: t([6, 7]), H: t([7, 9]) });
  assert.equal(f.byOp.Conv, 2 * 4 * 14 * 14 * 3 * 3 * 3);
  assert.equal(f.byOp.MatMul, 2 * 2 * 16 * 5 * 8);
  assert.equal(f.byOp.Gemm, 2 * 6 * 9 * 7);
  assert.equal(f.byOp.Relu, undefined);
  assert.equal(f.total, f.byOp.Conv! + f.byOp.MatMul! + f.byOp.Gemm!);
  // Grouped (depthwise) conv and transposed conv.
  assert.equal(nodeFlops({ args: { op_name: 'Conv', input_type_shape: [{ float: [1, 8, 10, 10] }, { float: [8, 1, 3, 3] }], output_type_shape: [{ float: [1, 8, 10, 10] }] } }), 2 * 800 * 9);
  assert.equal(nodeFlops({ args: { op_name: 'ConvTranspose', input_type_shape: [{ float: [1, 8, 5, 5] }, { float: [8, 4, 2, 2] }], output_type_shape: [{ float: [1, 4, 10, 10] }] } }), 2 * 200 * 16);
});

test('bench:speed:models without trained models times the classical fallback and the peak', () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-empty-zoo-'));
  const out = bench('speed-bench-models.ts', ['--zoo', empty, '--size', '48', '--runs', '1', '--calib-seconds', '0.2']);
  assert.equal(out.models, null);
  assert.ok((out.classicalMedianMs as number) > 0 && (out.peakGflops as number) > 0);
});

test('bench:speed:models on ONNX models: restorer, integrator decode loop, FLOPs and achieved GFLOP/s', { skip: zooSkip }, () => {
  const out = bench('speed-bench-models.ts', ['--zoo', zoo!, '--size', '64', '--runs', '1', '--calib-seconds', '0.2']) as any;
  assert.equal(out.models.length, 3);
  assert.ok(out.restorer.fullImageMedianMs > 0 && out.restorer.tiledMedianMs > 0);
  assert.ok(out.integrator.calls >= 2 && out.integrator.tokens.length === out.integrator.calls - 1);
  assert.ok(out.flops.perRun > 0 && out.flops.byOpGflop.Conv > 0);
  assert.ok(out.achievedGflops > 0 && out.peakGflops > 0);
});

test('bench:quality through the real engine on the classical fallback (empty model dir)', { skip: !built && 'dist/ is missing: run `npm run build`' }, async () => {
  const gt = await tinyGt();
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-empty-zoo-'));
  const out = bench('quality-bench.ts', ['--gt', gt, '--severity', 'medium', '--seed', '3', '--family', 'oldphoto,toned,noise'], { RESTORA_MODELS_DIR: empty }) as any;
  assert.equal(out.images, 1);
  assert.deepEqual(out.results.map((r: { family: string }) => r.family), ['oldphoto', 'toned', 'noise']);
  for (const r of out.results) {
    assert.equal(r.classicalFallback, true);
    assert.deepEqual(r.models.map((m: { id: string }) => m.id), ['classical-median-unsharp']);
    for (const k of ['input', 'classical', 'restorer']) assert.ok(Number.isFinite(r.means[k].psnr) && r.means[k].ssim <= 1);
    assert.ok('skipped' in r.goals.restorerBeatsClassical);
  }
  // the toned family is scored against the toned photo itself: its input is the target
  assert.equal(out.results[1].means.input.psnr, 100);
  assert.ok(out.results[2].means.input.psnr < 35);
});

test('bench:quality through the real engine on ONNX models, with the instruction controls', { skip: (!built && 'dist/ is missing: run `npm run build`') || zooSkip }, async () => {
  const gt = await tinyGt();
  const out = bench('quality-bench.ts', ['--gt', gt, '--severity', 'light', '--controls'], { RESTORA_MODELS_DIR: zoo! }) as any;
  const r = out.results[0];
  assert.equal(r.classicalFallback, false);
  assert.ok(r.models.some((m: { id: string }) => m.id === 'restora-restorer'));
  assert.ok(Number.isFinite(r.controls.keepGrainHf) && Number.isFinite(r.controls.removeNoiseHf));
  assert.equal(typeof r.goals.beatsClassical.pass, 'boolean');
});
