/**
 * What the pre-pass tests (JPEG remover, detail restorer) share: tiny real ONNX graphs (one element-wise
 * operation on the `image` input, run by ONNX Runtime, wrapped as a loaded model whose session records the shape
 * of every tile it is given), and a small photo on disk with a job context and an identity restorer for running
 * them through the whole pipeline.
 */
import path from 'node:path';
import sharp from 'sharp';
import * as ort from 'onnxruntime-node';
import { buildOnnxModel } from '../../../electron/engine/onnx-builder.js';
import type { LoadedModel } from '../../../electron/engine/session-cache.js';
import type { PickedRestorer } from '../../../electron/engine/types.js';
import type { HandlerContext } from '../../../electron/node/worker-runtime.js';

const dims = [1, 3, 'height', 'width'];

/** `restored = image <op> k`, as model `id` (manifest fields from `manifest`); `shapes` collects each tile's N×C×H×W. */
export async function pixelGraph(op: 'Add' | 'Mul', k: number, id: string, shapes: string[] = [], manifest: Record<string, unknown> = {}): Promise<LoadedModel> {
  const session = await ort.InferenceSession.create(
    buildOnnxModel({
      nodes: [{ op, inputs: ['image', 'k'], outputs: ['restored'] }],
      inputs: [['image', dims]],
      outputs: [['restored', dims]],
      initializers: [{ name: 'k', dims: [1], data: Float32Array.from([k]) }],
    }),
  );
  const run = session.run.bind(session);
  return {
    provider: 'cpu',
    model: { id, dir: '', file: '', source: 'shipped', ok: true, manifest: { id, version: '0.1.0', sha256: 'b'.repeat(64), ...manifest } as never },
    session: {
      run: async (feeds: Record<string, ort.Tensor>) => {
        shapes.push((feeds.image!.dims as number[]).join('x'));
        return run(feeds);
      },
    } as never,
  };
}

/** A deterministic HWC test tile. */
export const tile = (w: number, h: number) => Float32Array.from({ length: w * h * 3 }, (_, i) => ((i * 37) % 101) / 100);

/**
 * A 48×40 smooth gradient written to `dir`/in.png (no cue of noise or damage, so only what is stated is done),
 * where the result goes, a job context that never cancels, and a restorer that returns its tiles unchanged.
 */
export async function pipelineFixture(dir: string): Promise<{ input: string; output: string; ctx: HandlerContext; identity: PickedRestorer }> {
  const w = 48, h = 40;
  const input = path.join(dir, 'in.png');
  await sharp(Buffer.from(Array.from({ length: w * h * 3 }, (_, i) => 60 + Math.floor(i / 3 / w) + ((i / 3) % w) + (i % 3) * 10)), { raw: { width: w, height: h, channels: 3 } }).png().toFile(input);
  const ctx: HandlerContext = { jobId: 'j', signal: new AbortController().signal, progress: () => undefined, throwIfCancelled: () => undefined, emit: () => undefined };
  const identity: PickedRestorer = { models: [], semanticTokens: [], provider: 'cpu', tileSize: 64, overlap: 8, restoreTile: async (rgb) => rgb };
  return { input, output: path.join(dir, 'out.png'), ctx, identity };
}
