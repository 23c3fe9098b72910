/**
 * The shipped learned instruction reader (models/zoo/restora-reader): ONNX Runtime and the engine's own
 * forward pass agree on it, the engine finds it (a broken user copy is passed over), and its fills never
 * cost the rules a setting on the labelled sets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { appRoot, shippedModelsDir } from '../../electron/node/app-paths.js';
import { scanModels } from '../../electron/node/model-registry.js';
import { instructionReader, loadReader, readInstruction, readerModelDirs } from '../../electron/node/instruction-reader.js';
import { READER_HEADS, READER_OUTPUTS, readerInput, readerLogits } from '../../electron/shared/instructions/reader.js';
import { buildOnnxModel } from '../../electron/engine/onnx-builder.js';
import { createHash } from 'node:crypto';
import { scoreUnderstanding } from '../../electron/shared/instructions/score.js';
import { parseInstruction, parseRules, statedValues } from '../../electron/shared/instructions/parse.js';
import { explainWords } from '../../electron/cli/explain.js';
import { skipUnlessCommitted } from '../committed.js';

const shipped = scanModels([{ dir: shippedModelsDir(), source: 'shipped' }]).find((m) => m.manifest?.task === 'instruction-reader');
const skip = skipUnlessCommitted('the shipped instruction reader (models/zoo/restora-reader)', !!shipped);

test('ONNX Runtime and the engine compute the same logits from the shipped reader', { skip }, async () => {
  const reader = loadReader(shipped!);
  assert.equal(typeof reader, 'object', String(reader));
  if (typeof reader === 'string') return;
  const session = await ort.InferenceSession.create(shipped!.file);
  for (const text of ['remove the scratches but keep the grain', 'pls make it less blurry, keep grandad looking like himself', 'Could the colours be a little warmer?']) {
    const x = readerInput(text, reader.weights.buckets);
    const { logits } = await session.run({ features: new ort.Tensor('float32', x, [1, x.length]) });
    const mine = readerLogits(reader.weights, x);
    let max = 0;
    (logits!.data as Float32Array).forEach((v, i) => (max = Math.max(max, Math.abs(v - mine[i]!))));
    assert.ok(max < 1e-4, `${text}: max |diff| ${max}`);
  }
  await session.release();
});

test('the engine reads with the installed reader; a broken user copy is passed over', { skip }, () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-reader-'));
  const user = path.join(home, 'models');
  try {
    fs.mkdirSync(path.join(user, 'restora-reader'), { recursive: true });
    fs.copyFileSync(path.join(shipped!.dir, 'manifest.json'), path.join(user, 'restora-reader', 'manifest.json'));
    // Same manifest, different bytes: the hash check refuses it.
    const bytes = fs.readFileSync(shipped!.file);
    bytes[bytes.length - 1]! ^= 0xff;
    fs.writeFileSync(path.join(user, 'restora-reader', 'model.onnx'), bytes);
    readerModelDirs(() => [
      { dir: shippedModelsDir(), source: 'shipped' },
      { dir: user, source: 'user' },
    ]);
    const warn = console.warn;
    const warned: string[] = [];
    console.warn = (m: string) => warned.push(m);
    try {
      const r = instructionReader();
      assert.equal(r?.name, `restora-reader ${shipped!.manifest!.version}`);
      assert.match(warned.join('\n'), /not used: sha256/);
    } finally {
      console.warn = warn;
    }
  } finally {
    readerModelDirs(() => [{ dir: shippedModelsDir(), source: 'shipped' }]);
    fs.rmSync(home, { recursive: true, force: true });
  }
  const plan = readInstruction('remove the scratches');
  assert.equal(plan.stated.global.scratches?.value, 'fix');
});

test('the reader\'s fills never cost the rules a setting: on its training sets (inventing nothing), and on the unseen pending sets', { skip }, () => {
  const reader = instructionReader();
  assert.ok(reader);
  const dir = path.join(appRoot(), 'tests', 'fixtures', 'instructions');
  // The worked sets (the reader's training text) and the pending ones it has never seen.
  const files = [...fs.readdirSync(dir).filter((x) => /^held-out.*\.json$/.test(x)), ...fs.readdirSync(path.join(dir, 'pending')).filter((x) => /^held-out.*\.json$/.test(x)).map((x) => `pending/${x}`)];
  assert.ok(files.some((f) => f.startsWith('pending/')));
  for (const f of files) {
    const { cases } = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { cases: { text: string; expect: Record<string, string> }[] };
    const rules = scoreUnderstanding(cases), filled = scoreUnderstanding(cases, reader);
    assert.ok(filled.correct >= rules.correct, `${f}: ${filled.correct} < ${rules.correct}`);
    // The pending sets stay unread: only counts are reported for them.
    if (f.startsWith('pending/')) continue;
    assert.ok(filled.invented <= rules.invented, `${f}: ${filled.misses.filter((m) => m.includes('states nothing')).join('\n')}`);
  }
});

test("the reader sees neither 'scratch that' nor the requests it took back", { skip }, () => {
  const reader = instructionReader();
  assert.ok(reader);
  // Without this, the reader's bag of words filled scratches: fix from "scratch that" and put "remove the dust" back.
  const text = 'remove the dust and scratch that, remove the stains';
  const p = parseInstruction(text, reader);
  assert.deepEqual(statedValues(p), { dust: 'leave', blotches: 'fix' });
  assert.deepEqual(p.withdrawn, [{ phrase: 'scratch that', keys: ['dust'] }]);
});

test('a value said again after a correction is not overridden by the reader, which does not know the order', { skip }, () => {
  const reader = instructionReader();
  assert.ok(reader);
  // Before, the reader (sure of the first value, from the bag of words) put the corrected value back.
  for (const [text, key, value] of [
    ["Keep the stains, they're history. Actually nvm, get rid of them.", 'blotches', 'fix'],
    ['Do the faces only. Never mind, just the background.', 'scope', 'background'],
  ] as const) {
    const p = parseInstruction(text, reader);
    assert.equal(statedValues(p)[key], value, text);
    assert.deepEqual(p.corrected, [key], text);
  }
  // Two values with no correction between them: the reader may still override (it is more often right there).
  assert.equal(parseInstruction('remove the grain and reduce the grain', reader).corrected, undefined);
});

test('a setting only the learned reader reads reaches the plan, the chips\' source and --explain', { skip }, () => {
  // From a labelled set the rules still miss (set 14): the reader was trained on it.
  const text = "Don't swap Grandad's face for some generic old man.";
  assert.deepEqual(statedValues(parseRules(text)), {});
  const plan = readInstruction(text);
  assert.deepEqual([plan.stated.global.identity?.value, plan.stated.global.identity?.source], ['keep', 'learned']);
  assert.equal(plan.force.global.fidelity, 'keep_identity');
  const out = explainWords(text, undefined);
  assert.match(out, /Faces\s+keep\s+reader\s+learned reader, \d+% sure/);
  assert.match(out, /the learned reader \(restora-reader [\d.]+\) did/);
});

test('a reader model that lies about itself is refused with the reason, and the rules read alone', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-lying-reader-'));
  const dir = path.join(root, 'restora-reader');
  fs.mkdirSync(dir);
  try {
    const write = (W: Float32Array, rows: number, heads: string[]) => {
      const bytes = buildOnnxModel({
        nodes: [
          { op: 'MatMul', inputs: ['features', 'W'], outputs: ['z'] },
          { op: 'Add', inputs: ['z', 'b'], outputs: ['logits'] },
        ],
        inputs: [['features', [1, rows]]],
        outputs: [['logits', [1, READER_OUTPUTS]]],
        initializers: [
          { name: 'W', dims: [rows, W.length / rows], data: W },
          { name: 'b', dims: [READER_OUTPUTS], data: new Float32Array(READER_OUTPUTS) },
        ],
      });
      fs.writeFileSync(path.join(dir, 'model.onnx'), bytes);
      const manifest = { schema: 1, id: 'restora-reader', version: '9.9.9', task: 'instruction-reader', file: 'model.onnx', sha256: createHash('sha256').update(bytes).digest('hex'), opset: 17, inputs: [{ name: 'features', dtype: 'float32', shape: [1, rows] }], outputs: [{ name: 'logits', dtype: 'float32', shape: [1, READER_OUTPUTS] }], semantics: { heads, threshold: 0.8 } };
      fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
      const [model] = scanModels([{ dir: root, source: 'user' }]);
      return loadReader(model!);
    };
    const keys = READER_HEADS.map((h) => h.key);
    assert.match(String(write(new Float32Array(16 * READER_OUTPUTS), 16, keys.slice(1))), /settings are not the ones/);
    assert.match(String(write(new Float32Array(16 * 3), 16, keys)), /outputs are not the/);
    assert.match(String(write(new Float32Array(16 * READER_OUTPUTS).fill(Number.NaN), 16, keys)), /not finite/);
    const ok = write(new Float32Array(16 * READER_OUTPUTS), 16, keys);
    assert.equal(typeof ok, 'object');
    // A cut-off file with a hash that matches it: refused for what it is, not read as something else.
    const bytes = fs.readFileSync(path.join(dir, 'model.onnx')).subarray(0, 900);
    fs.writeFileSync(path.join(dir, 'model.onnx'), bytes);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ ...manifest, sha256: createHash('sha256').update(bytes).digest('hex') }));
    const [cut] = scanModels([{ dir: root, source: 'user' }]);
    assert.match(String(loadReader(cut!)), /could not be read \(the ONNX file ends inside/);
    // With only that model installed, the rules read alone.
    readerModelDirs(() => [{ dir: root, source: 'user' }]);
    const warn = console.warn;
    console.warn = () => {};
    try {
      assert.equal(instructionReader(), null);
      assert.equal(readInstruction("Don't swap Grandad's face for some generic old man.").stated.global.identity, undefined);
    } finally {
      console.warn = warn;
      readerModelDirs(() => [{ dir: shippedModelsDir(), source: 'shipped' }]);
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
