/**
 * Tiny real ONNX graphs for the pre-pass tests (JPEG remover, detail restorer): one element-wise operation on
 * the `image` input, run by ONNX Runtime, wrapped as a loaded model whose session records the shape of every
 * tile it is given.
 */
import * as ort from 'onnxruntime-node';
import { buildOnnxModel } from '../../../electron/engine/onnx-builder.js';
import type { LoadedModel } from '../../../electron/engine/session-cache.js';

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
