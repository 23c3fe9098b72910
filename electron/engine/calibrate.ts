/** Measures ONNX Runtime's matrix-multiply throughput on this machine (the "peak" benchmarks compare against). */
import type { HandlerContext } from '../node/worker-runtime.js';
import type { ParsedParams, Result } from '../shared/contract/index.js';
import { createSession, ort } from './ort.js';
import { matmulModel } from './onnx-builder.js';

export async function calibrate(params: ParsedParams<'engine.calibrate'>, ctx: HandlerContext): Promise<Result<'engine.calibrate'>> {
  const n = params.size;
  const { session } = await createSession(matmulModel(), 'cpu');
  const a = new ort.Tensor('float32', Float32Array.from({ length: n * n }, (_, i) => ((i * 7919) % 1000) / 1000), [n, n]);
  const b = new ort.Tensor('float32', Float32Array.from({ length: n * n }, (_, i) => ((i * 104729) % 1000) / 1000), [n, n]);
  await session.run({ A: a, B: b }); // warm-up
  const start = performance.now();
  const budget = params.seconds * 1000;
  let iterations = 0;
  while (performance.now() - start < budget) {
    ctx.throwIfCancelled();
    await session.run({ A: a, B: b });
    iterations++;
    const elapsed = performance.now() - start;
    ctx.progress({ stage: 'matmul', fraction: Math.min(0.99, elapsed / budget), message: `${iterations} multiplications of ${n}×${n}` });
    if (iterations % 4 === 0) await new Promise((r) => setImmediate(r));
  }
  const seconds = (performance.now() - start) / 1000;
  await session.release();
  return { gflops: (2 * n ** 3 * iterations) / seconds / 1e9, iterations, seconds };
}
