/**
 * The refiner's few-step sampler (models/restora_models/refiner_arch.py has
 * the PyTorch reference, `sample`). Residual flow matching with x0 prediction:
 * start from the restorer's output noised to t0 = 1 − fidelity (SDEdit), then
 * deterministic updates down to t = 0. Pure: the model call is passed in.
 */

export interface SamplerOptions {
  fidelity: number;
  steps: number;
  /** The model's residual scale s (manifest sampler.resScale). */
  resScale: number;
}

/** Noise levels t0 > … > 0 for a run; empty when there is nothing to do (fidelity 1). */
export function schedule(fidelity: number, steps: number): number[] {
  const t0 = Math.max(0, Math.min(1, 1 - fidelity));
  if (t0 <= 0 || steps < 1) return [];
  return Array.from({ length: steps + 1 }, (_, i) => t0 * (1 - i / steps));
}

/** Predicts the clean image x0 from x_t at noise level t (guidance is the caller's business). */
export type PredictX0 = (x: Float32Array, t: number) => Promise<Float32Array>;

/**
 * Refines one tile. `cond` is the restorer's output and `eps` the starting
 * noise, both NCHW; returns x0 clamped to 0..1. `onStep` runs after every step
 * (progress, and the place where a cancel takes effect).
 */
export async function sampleTile(
  cond: Float32Array,
  eps: Float32Array,
  opts: SamplerOptions,
  predict: PredictX0,
  onStep?: (done: number, total: number) => Promise<void> | void,
): Promise<Float32Array> {
  const ts = schedule(opts.fidelity, opts.steps);
  if (ts.length === 0) return Float32Array.from(cond);
  const n = cond.length;
  const x = new Float32Array(n);
  const s = opts.resScale * ts[0]!;
  for (let i = 0; i < n; i++) x[i] = cond[i]! + s * eps[i]!;
  let x0 = cond;
  for (let k = 0; k + 1 < ts.length; k++) {
    const t = ts[k]!, tn = ts[k + 1]!;
    x0 = await predict(x, t);
    for (let i = 0; i < n; i++) {
      const noise = (x[i]! - (1 - t) * x0[i]!) / t;
      x[i] = (1 - tn) * x0[i]! + tn * noise;
    }
    await onStep?.(k + 1, ts.length - 1);
  }
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.min(1, Math.max(0, x0[i]!));
  return out;
}
