/**
 * The two adapter graphs (models/zoo/restora-restorer-adapter{,-grad}): which
 * ones belong to the restorer in use, and the three things the engine does with
 * them — restore with an adapter, and loss + gradient for training.
 */
import { z } from 'zod';
import { RestoraError } from '../../shared/errors.js';
import { ort } from '../ort.js';
import type { RegisteredModel } from '../../node/model-registry.js';
import type { LoadedModel, SessionCache } from '../session-cache.js';
import type { RgbImage } from '../degradations/index.js';
import { chwToHwc, hwcToChw } from '../pipeline/image-buffer.js';

const AdapterBlock = z.object({
  base: z.object({ id: z.string(), sha256: z.string() }),
  adapter: z.object({
    size: z.number().int().positive(),
    rank: z.number().int(),
    /** The layout of the flat vector: which restorer parameter each range adapts. */
    slots: z.array(z.object({ name: z.string(), offset: z.number().int().nonnegative(), shape: z.array(z.number().int().nonnegative()) })).default([]),
  }),
  gradient: z.object({ batch: z.number().int().positive(), crop: z.number().int().positive() }).optional(),
});

export interface AdapterGraphModels {
  forward: RegisteredModel;
  grad: RegisteredModel;
  /** sha256 of the base restorer both graphs embed. */
  baseSha256: string;
  size: number;
  batch: number;
  crop: number;
  /** Named ranges [start, end) of the adapter vector (the manifest's layout; ranges past `size` are dropped). */
  slots: Array<{ name: string; start: number; end: number }>;
}

/** The adapter graphs built on `restorer` (or on the shipped restorer), if installed and consistent. */
export function findAdapterGraphs(models: RegisteredModel[], restorer?: RegisteredModel): AdapterGraphModels | null {
  const base = restorer ?? models.find((m) => m.ok && m.source === 'shipped' && m.manifest?.task === 'restorer');
  if (!base?.manifest) return null;
  const block = (m: RegisteredModel) => {
    const p = AdapterBlock.safeParse(m.manifest);
    return p.success && p.data.base.sha256 === base.manifest!.sha256 ? p.data : null;
  };
  const forward = models.find((m) => m.ok && m.manifest?.task === 'restorer-adapter' && block(m));
  const grad = models.find((m) => m.ok && m.manifest?.task === 'restorer-adapter-grad' && block(m)?.gradient);
  if (!forward || !grad) return null;
  const f = block(forward)!, g = block(grad)!;
  if (f.adapter.size !== g.adapter.size) return null;
  const slots = f.adapter.slots
    .map((s) => ({ name: s.name, start: s.offset, end: s.offset + s.shape.reduce((a, b) => a * b, 1) }))
    .filter((s) => s.end <= f.adapter.size);
  return { forward, grad, baseSha256: base.manifest.sha256, size: f.adapter.size, batch: g.gradient!.batch, crop: g.gradient!.crop, slots };
}

export function requireAdapterGraphs(models: RegisteredModel[], restorer?: RegisteredModel): AdapterGraphModels {
  const g = findAdapterGraphs(models, restorer);
  if (!g) throw new RestoraError('Unsupported', 'Fine-tuning needs the restorer adapter graphs (restora-restorer-adapter and -grad) built for the installed restorer; they are missing or belong to another restorer version.');
  return g;
}


/** Restores a whole (small) image with the adapter; zeros = the base restorer. */
export async function adaptedForward(forward: LoadedModel, img: RgbImage, queries: Float32Array, K: number, dq: number, adapter: Float32Array): Promise<RgbImage> {
  const out = await forward.session.run({
    image: new ort.Tensor('float32', hwcToChw(img.rgb, img.width * img.height), [1, 3, img.height, img.width]),
    queries: new ort.Tensor('float32', queries, [1, K, dq]),
    adapter: new ort.Tensor('float32', adapter, [adapter.length]),
  });
  return { width: img.width, height: img.height, rgb: chwToHwc(out.restored!.data as Float32Array, img.width * img.height, true) };
}

export interface GradBatch {
  /** [B,3,S,S] NCHW each. */
  image: Float32Array;
  target: Float32Array;
  /** [B,K,dq]. */
  queries: Float32Array;
}

export async function lossAndGrad(grad: LoadedModel, g: AdapterGraphModels, K: number, dq: number, adapter: Float32Array, batch: GradBatch): Promise<{ loss: number; grad: Float32Array }> {
  const { batch: B, crop: S } = g;
  const out = await grad.session.run({
    adapter: new ort.Tensor('float32', adapter, [adapter.length]),
    image: new ort.Tensor('float32', batch.image, [B, 3, S, S]),
    queries: new ort.Tensor('float32', batch.queries, [B, K, dq]),
    target: new ort.Tensor('float32', batch.target, [B, 3, S, S]),
  });
  const loss = (out.loss!.data as Float32Array)[0]!;
  if (!Number.isFinite(loss)) throw new RestoraError('Internal', 'The training loss became non-finite');
  return { loss, grad: Float32Array.from(out.grad!.data as Float32Array) };
}

export async function loadAdapterGraphs(sessions: SessionCache, g: AdapterGraphModels): Promise<{ forward: LoadedModel; grad: LoadedModel }> {
  const [forward, grad] = await Promise.all([sessions.get(g.forward, 'cpu'), sessions.get(g.grad, 'cpu')]);
  return { forward, grad };
}
