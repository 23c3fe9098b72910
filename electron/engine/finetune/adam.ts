/**
 * Adam (Kingma & Ba, 2015) over one flat Float32Array of parameters — the
 * adapter. ONNX Runtime gives the gradient; this is the whole optimiser. The
 * state is plain arrays so a run can be checkpointed and resumed exactly.
 */

export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

export interface AdamState {
  t: number;
  m: Float32Array;
  v: Float32Array;
}

export function adamState(size: number): AdamState {
  return { t: 0, m: new Float32Array(size), v: new Float32Array(size) };
}

/** One update in place: params -= lr * m_hat / (sqrt(v_hat) + eps). */
export function adamStep(params: Float32Array, grad: Float32Array, state: AdamState, opts: AdamOptions): void {
  if (grad.length !== params.length || state.m.length !== params.length) throw new Error('Adam: parameter, gradient and state sizes differ');
  const b1 = opts.beta1 ?? 0.9, b2 = opts.beta2 ?? 0.999, eps = opts.eps ?? 1e-8;
  state.t += 1;
  const c1 = 1 - b1 ** state.t, c2 = 1 - b2 ** state.t;
  const { m, v } = state;
  for (let i = 0; i < params.length; i++) {
    const g = grad[i]!;
    m[i] = b1 * m[i]! + (1 - b1) * g;
    v[i] = b2 * v[i]! + (1 - b2) * g * g;
    params[i] = params[i]! - (opts.lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + eps);
  }
}
