/** Methods of the restoration engine (its own process; killing it cancels a job). */
import { z } from 'zod';
import { method, job } from '../rpc.js';
import { Recipe, RestoreSettings } from '../recipe.js';

const FilePath = z.string().min(1).max(4096);

export const ModelInfo = z.object({
  id: z.string(),
  version: z.string(),
  task: z.string(),
  source: z.enum(['shipped', 'user']),
  sha256: z.string(),
  ok: z.boolean(),
  problem: z.string().optional(),
});

export const engineMethods = {
  'engine.info': method('engine', {
    doc: 'Engine process facts: ONNX Runtime version, execution providers, models found.',
    params: z.object({}).strict(),
    result: z.object({
      pid: z.number().int(),
      onnxruntime: z.string(),
      providers: z.array(z.string()),
      threads: z.number().int(),
      models: z.array(ModelInfo),
    }),
  }),
  'engine.calibrate': job('engine', {
    doc: 'Measures the CPU matrix-multiply peak (GFLOP/s) for a given time; used by benchmarks.',
    params: z.object({ seconds: z.number().min(0.05).max(120).default(1), size: z.number().int().min(16).max(2048).default(256) }).strict(),
    result: z.object({ gflops: z.number(), iterations: z.number().int(), seconds: z.number() }),
  }),
  'engine.restoreFile': job('engine', {
    doc: 'Restores one image file into another. Trusted callers only: paths are not accepted from the renderer.',
    exposure: 'internal',
    params: z.object({ input: FilePath, output: FilePath, settings: RestoreSettings }).strict(),
    result: z.object({ output: FilePath, width: z.number().int(), height: z.number().int(), recipe: Recipe }),
  }),
} as const;
