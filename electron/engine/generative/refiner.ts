/**
 * Generative mode as a tile strategy: every tile goes through the restorer,
 * then the refiner's few-step sampler adds detail on top of it, steered by the
 * same latent queries. Classifier-free guidance runs the conditional and the
 * unconditional (all-zero queries) branch as one batch of two.
 */
import { RestoraError } from '../../shared/errors.js';
import { ort } from '../ort.js';
import type { RegisteredModel } from '../../node/model-registry.js';
import type { LoadedModel } from '../session-cache.js';
import type { GenerativeInfo, GenerativePlan, Queries, TileCall, TileRestorer } from '../types.js';
import { noiseTile } from './noise.js';
import { chwToHwc, hwcToChw } from '../pipeline/image-buffer.js';
import { sampleTile, schedule, type PredictX0 } from './sampler.js';

export interface RefinerSampler {
  resScale: number;
  tileSize: number;
  overlap: number;
}

/** Sampler facts from the refiner's manifest, with the values the exported models use as fallbacks. */
export function refinerSampler(model: RegisteredModel): RefinerSampler {
  const s = (model.manifest as { sampler?: { resScale?: number } } | null)?.sampler;
  const resScale = typeof s?.resScale === 'number' && s.resScale > 0 ? s.resScale : 0.1;
  const tile = model.manifest?.tile ?? { size: 512, overlap: 32, multiple: 16 };
  return { resScale, tileSize: tile.size, overlap: tile.overlap };
}

/** x0 = f(x_t, cond, t, queries), guided: x0_u + w (x0_c − x0_u); all NCHW for one w×h tile. */
export function guidedPredictor(refiner: LoadedModel, cond: Float32Array, w: number, h: number, queries: Float32Array, K: number, dq: number, guidance: number): PredictX0 {
  const n = cond.length;
  const batch = guidance === 1 ? 1 : 2;
  const condB = new Float32Array(batch * n);
  for (let b = 0; b < batch; b++) condB.set(cond, b * n);
  const qB = new Float32Array(batch * K * dq);
  qB.set(queries, 0); // the second (unconditional) row stays zero
  const condT = new ort.Tensor('float32', condB, [batch, 3, h, w]);
  const qT = new ort.Tensor('float32', qB, [batch, K, dq]);
  return async (x, t) => {
    const xB = new Float32Array(batch * n);
    for (let b = 0; b < batch; b++) xB.set(x, b * n);
    const out = await refiner.session.run({
      x_t: new ort.Tensor('float32', xB, [batch, 3, h, w]),
      cond: condT,
      t: new ort.Tensor('float32', new Float32Array(batch).fill(t), [batch]),
      queries: qT,
    });
    const res = out.x0;
    if (!res || res.dims[0] !== batch || res.dims[2] !== h || res.dims[3] !== w) {
      throw new RestoraError('Internal', `Refiner ${refiner.model.id} returned ${res?.dims.join('×')} for a ${w}×${h} tile`);
    }
    const data = res.data as Float32Array;
    if (batch === 1) return data;
    const x0 = new Float32Array(n);
    for (let i = 0; i < n; i++) x0[i] = data[n + i]! + guidance * (data[i]! - data[n + i]!);
    return x0;
  };
}

/**
 * Wraps a restorer (which must expose its queries) so each tile is restored
 * then refined. At fidelity 1 nothing is sampled and the restorer's own tiling
 * is kept, so the result is exactly the fast one.
 */
export function withRefiner(
  base: TileRestorer & { queries: Queries },
  refiner: LoadedModel,
  plan: GenerativePlan,
): TileRestorer & { generative: GenerativeInfo } {
  const smp = refinerSampler(refiner.model);
  const stepsPerTile = schedule(plan.fidelity, plan.steps).length > 0 ? plan.steps : 0;
  const m = refiner.model.manifest!;
  const { data: q, K, dq } = base.queries;
  return {
    ...base,
    models: [...base.models, { id: m.id, version: m.version, sha256: m.sha256 }],
    tileSize: stepsPerTile ? Math.max(base.tileSize, smp.tileSize) : base.tileSize,
    overlap: stepsPerTile ? Math.max(base.overlap, smp.overlap) : base.overlap,
    stepsPerTile,
    generative: { ...plan, model: { id: m.id, version: m.version, sha256: m.sha256 }, startLevel: Math.max(0, Math.min(1, 1 - plan.fidelity)) },
    async restoreTile(rgb: Float32Array, w: number, h: number, call?: TileCall) {
      const restored = await base.restoreTile(rgb, w, h);
      if (!stepsPerTile) return restored;
      const plane = w * h;
      const cond = hwcToChw(restored, plane);
      const eps = noiseTile(plan.seed ^ (call?.salt ?? 0), call?.x ?? 0, call?.y ?? 0, w, h);
      const predict = guidedPredictor(refiner, cond, w, h, q, K, dq, plan.guidance);
      const out = await sampleTile(cond, eps, { fidelity: plan.fidelity, steps: plan.steps, resScale: smp.resScale }, predict, call?.onStep);
      return chwToHwc(out, plane);
    },
  };
}
