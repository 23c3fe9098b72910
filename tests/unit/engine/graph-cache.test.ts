/**
 * The cache of optimised graphs (ort.ts): a slow-to-open model is kept in its optimised form and opened from there
 * with the same results; a damaged entry is rebuilt, a link in the cache is replaced and never written through,
 * an unusable cache folder never stops a model from opening, and a killed writer's temporary file is swept by the
 * library's housekeeping.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { buildOnnxModel } from '../../../electron/engine/onnx-builder.js';
import { createCachedCpuSession, optimisedGraphFile } from '../../../electron/engine/ort.js';
import { createLibrary } from '../../../electron/library/library.js';
import { tidyDataFolder } from '../../../electron/library/housekeeping.js';

function model(dir: string): { file: string; sha256: string } {
  const W = Float32Array.from({ length: 4 * 4 }, (_, i) => Math.cos(i) * 2);
  const bytes = buildOnnxModel({
    name: 'two-layers',
    nodes: [
      { op: 'MatMul', inputs: ['x', 'W'], outputs: ['a'] },
      { op: 'Relu', inputs: ['a'], outputs: ['r'] },
      { op: 'MatMul', inputs: ['r', 'W'], outputs: ['y'] },
    ],
    inputs: [['x', [1, 4]]],
    outputs: [['y', [1, 4]]],
    initializers: [{ name: 'W', dims: [4, 4], data: W }],
  });
  const file = path.join(dir, 'model.onnx');
  fs.writeFileSync(file, bytes);
  return { file, sha256: createHash('sha256').update(bytes).digest('hex') };
}

async function run(session: ort.InferenceSession): Promise<number[]> {
  const { y } = await session.run({ x: new ort.Tensor('float32', Float32Array.from([1, -2, 0.5, 3]), [1, 4]) });
  return Array.from(y!.data as Float32Array);
}

test('a slow graph is kept optimised and opens from the cache with the same results; a fast one is not kept', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-graphs-'));
  try {
    const { file, sha256 } = model(dir);
    const cache = path.join(dir, 'cache');
    const plain = await ort.InferenceSession.create(file);
    const expected = await run(plain);
    await plain.release();

    const fast = await createCachedCpuSession(file, sha256, cache, 60_000);
    assert.deepEqual(await run(fast.session), expected);
    await fast.session.release();
    assert.deepEqual(fs.readdirSync(cache), [], 'a graph that opened quickly leaves nothing behind');

    const first = await createCachedCpuSession(file, sha256, cache, 0);
    await first.session.release();
    const entry = optimisedGraphFile(cache, sha256);
    assert.deepEqual(fs.readdirSync(cache), [path.basename(entry)], 'one entry, no temporary file');
    // Opened from the entry, not the model: the model is gone now.
    fs.renameSync(file, `${file}.away`);
    const again = await createCachedCpuSession(file, sha256, cache, 0);
    assert.deepEqual(await run(again.session), expected);
    await again.session.release();
    fs.renameSync(`${file}.away`, file);

    // A damaged entry is rebuilt from the model.
    fs.writeFileSync(entry, 'not a graph');
    const rebuilt = await createCachedCpuSession(file, sha256, cache, 0);
    assert.deepEqual(await run(rebuilt.session), expected);
    await rebuilt.session.release();
    assert.ok(fs.statSync(entry).size > 100, 'the damaged entry was replaced');

    // A link where the entry goes is replaced, and what it pointed at is left as it was.
    const victim = path.join(dir, 'victim.txt');
    fs.writeFileSync(victim, 'keep me');
    fs.rmSync(entry);
    fs.symlinkSync(victim, entry);
    const linked = await createCachedCpuSession(file, sha256, cache, 0);
    assert.deepEqual(await run(linked.session), expected);
    await linked.session.release();
    assert.equal(fs.readFileSync(victim, 'utf8'), 'keep me');
    assert.ok(fs.lstatSync(entry).isFile(), 'the link was replaced by an entry of our own');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an unusable cache folder still opens the model; a killed writer’s temporary file is swept', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-graphs-'));
  try {
    const { file, sha256 } = model(dir);
    const notAFolder = path.join(dir, 'cache-file');
    fs.writeFileSync(notAFolder, 'a file where the cache folder should be');
    const s = await createCachedCpuSession(file, sha256, notAFolder, 0);
    assert.equal((await run(s.session)).length, 4);
    await s.session.release();

    // The engine's folder (handlers.ts: the data folder's cache/onnx), swept by the library's start-up housekeeping.
    const lib = createLibrary(path.join(dir, 'home'));
    try {
      const cache = path.join(lib.paths.cache, 'onnx');
      fs.mkdirSync(cache, { recursive: true });
      // A pid far above any real one: a writer that no longer runs.
      const stale = path.join(cache, `.${path.basename(optimisedGraphFile(cache, sha256))}.999999999-0a1b2c.tmp`);
      const mine = path.join(cache, `.other.onnx.${process.pid}-0a1b2c.tmp`);
      fs.writeFileSync(stale, 'half');
      fs.writeFileSync(mine, 'being written');
      tidyDataFolder(lib);
      assert.equal(fs.existsSync(stale), false);
      assert.equal(fs.existsSync(mine), true, 'a running writer’s file is left alone');
    } finally {
      lib.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
