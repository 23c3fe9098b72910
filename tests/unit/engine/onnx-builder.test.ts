import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { matmulModel } from '../../../electron/engine/onnx-builder.js';

test('the hand-written MatMul graph runs in ONNX Runtime and multiplies correctly', async () => {
  const session = await ort.InferenceSession.create(matmulModel());
  const a = new ort.Tensor('float32', Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]);
  const b = new ort.Tensor('float32', Float32Array.from([7, 8, 9, 10, 11, 12]), [3, 2]);
  const { C } = await session.run({ A: a, B: b });
  assert.deepEqual(Array.from(C!.data as Float32Array), [58, 64, 139, 154]);
  assert.deepEqual(C!.dims, [2, 2]);
  await session.release();
});
