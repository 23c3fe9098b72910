import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { buildOnnxModel, matmulModel } from '../../../electron/engine/onnx-builder.js';
import { readOnnxConstants } from '../../../electron/node/onnx-constants.js';

test('the hand-written MatMul graph runs in ONNX Runtime and multiplies correctly', async () => {
  const session = await ort.InferenceSession.create(matmulModel());
  const a = new ort.Tensor('float32', Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]);
  const b = new ort.Tensor('float32', Float32Array.from([7, 8, 9, 10, 11, 12]), [3, 2]);
  const { C } = await session.run({ A: a, B: b });
  assert.deepEqual(Array.from(C!.data as Float32Array), [58, 64, 139, 154]);
  assert.deepEqual(C!.dims, [2, 2]);
  await session.release();
});

test('a graph with constants: ONNX Runtime runs it, and its constants read back exactly without a runtime', async () => {
  const W = Float32Array.from({ length: 5 * 3 }, (_, i) => Math.sin(i) * 3.5);
  const b = Float32Array.from([0.25, -1, 1e-7]);
  const bytes = buildOnnxModel({
    name: 'linear',
    nodes: [
      { op: 'MatMul', inputs: ['x', 'W'], outputs: ['z'] },
      { op: 'Add', inputs: ['z', 'b'], outputs: ['y'] },
    ],
    inputs: [['x', [1, 5]]],
    outputs: [['y', [1, 3]]],
    initializers: [
      { name: 'W', dims: [5, 3], data: W },
      { name: 'b', dims: [3], data: b },
    ],
  });
  const { constants, ops } = readOnnxConstants(bytes);
  assert.deepEqual(ops, ['MatMul', 'Add']);
  assert.deepEqual(constants.get('W')!.dims, [5, 3]);
  assert.deepEqual(Array.from(constants.get('W')!.data), Array.from(W));
  assert.deepEqual(Array.from(constants.get('b')!.data), Array.from(b));
  const x = Float32Array.from([1, 0, -2, 0.5, 3]);
  const session = await ort.InferenceSession.create(bytes);
  const { y } = await session.run({ x: new ort.Tensor('float32', x, [1, 5]) });
  const want = [0, 1, 2].map((c) => b[c]! + x.reduce((s, v, i) => s + v * W[i * 3 + c]!, 0));
  (y!.data as Float32Array).forEach((v, c) => assert.ok(Math.abs(v - want[c]!) < 1e-5, `${v} vs ${want[c]}`));
  await session.release();
  // A cut-off file is refused with a reason, not read as something else.
  assert.throws(() => readOnnxConstants(bytes.subarray(0, bytes.length - 7)), /ends inside/);
});
