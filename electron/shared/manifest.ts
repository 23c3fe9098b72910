/**
 * The model manifest: how a model file declares itself to the engine. Shipped
 * models (models/zoo/<id>/manifest.json) and user models (<dataDir>/models/<id>/)
 * use the same format; the engine refuses models whose manifest does not match
 * the ONNX file's real inputs and outputs.
 */
import { z } from 'zod';

const Dim = z.union([z.number().int().nonnegative(), z.string().max(32)]);

export const TensorSpec = z.object({
  name: z.string().min(1).max(100),
  dtype: z.enum(['float32', 'int64', 'int32', 'uint8', 'bool']),
  shape: z.array(Dim).max(8),
  layout: z.string().max(16).optional(),
  range: z.tuple([z.number(), z.number()]).optional(),
  doc: z.string().max(1000).optional(),
});
export type TensorSpec = z.infer<typeof TensorSpec>;

export const ModelTask = z.enum(['restorer', 'integrator', 'cue-encoder', 'refiner', 'face-restorer', 'autoencoder', 'restorer-adapter', 'restorer-adapter-grad', 'tone', 'damage-detector', 'instruction-reader', 'jpeg-remover', 'face-finder', 'detail-restorer']);

export const ModelManifest = z.object({
  schema: z.literal(1),
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/),
  version: z.string().max(40),
  task: ModelTask,
  file: z.string().regex(/^[\w.-]+\.onnx$/),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  opset: z.number().int().min(7).max(30),
  inputs: z.array(TensorSpec).min(1).max(16),
  outputs: z.array(TensorSpec).min(1).max(16),
  tile: z.object({ size: z.number().int().min(16), overlap: z.number().int().min(0), multiple: z.number().int().min(1) }).optional(),
  params: z.number().int().nonnegative().optional(),
  semantics: z.record(z.string(), z.unknown()).optional(),
  training: z.record(z.string(), z.unknown()).optional(),
  metrics: z.record(z.string(), z.unknown()).optional(),
}).passthrough();
export type ModelManifest = z.infer<typeof ModelManifest>;
