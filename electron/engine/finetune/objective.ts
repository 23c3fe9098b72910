/**
 * The fine-tuning objective, assembled in TypeScript from what the gradient
 * graph gives (loss and d loss / d adapter of a mean squared error):
 *
 *   L = restoration MSE  +  w_pref * Bradley-Terry(picks)  +  w_l2 * |adapter|^2
 *
 * Preference term. A pick says "candidate A is better than B" for one of the
 * user's photos. The reward of a candidate is how close the adapted model's
 * output y is to it: r(c) = -MSE(y, c) / tau. Bradley-Terry: P(A > B) =
 * sigmoid(r(A) - r(B)), loss = -log sigmoid((MSE(y,B) - MSE(y,A)) / tau); its
 * gradient needs only the two MSE gradients (the same graph, run with A and
 * then B as the target). The L2 term keeps the adapter near zero = the base
 * model (the role of LRPO's ground-truth guided regularisation).
 */

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** -log sigmoid(x), stable for large |x|. */
export function softplusNeg(x: number): number {
  return x > 0 ? Math.log1p(Math.exp(-x)) : -x + Math.log1p(Math.exp(x));
}

export interface BtTerm {
  loss: number;
  /** P(preferred beats the other) under the current adapter. */
  prob: number;
  /** d loss / d adapter. */
  grad: Float32Array;
}

/**
 * Bradley-Terry loss for "preferred over other", given the adapted output's MSE
 * (and its gradient) against each candidate.
 */
export function bradleyTerry(msePreferred: number, gradPreferred: Float32Array, mseOther: number, gradOther: Float32Array, tau: number): BtTerm {
  const s = (mseOther - msePreferred) / tau;
  const p = sigmoid(s);
  // d(-log sigmoid(s))/ds = -(1 - p); ds/dθ = (∇mseOther - ∇msePreferred) / tau
  const k = -(1 - p) / tau;
  const grad = new Float32Array(gradPreferred.length);
  for (let i = 0; i < grad.length; i++) grad[i] = k * (gradOther[i]! - gradPreferred[i]!);
  return { loss: softplusNeg(s), prob: p, grad };
}

/** |a|^2 and adds its gradient (2 w a) into `grad`. */
export function addL2(params: Float32Array, grad: Float32Array, weight: number): number {
  let sq = 0;
  for (let i = 0; i < params.length; i++) {
    sq += params[i]! * params[i]!;
    grad[i] = grad[i]! + 2 * weight * params[i]!;
  }
  return weight * sq;
}

/** grad += w * other */
export function addScaled(grad: Float32Array, other: Float32Array, w: number): void {
  for (let i = 0; i < grad.length; i++) grad[i] = grad[i]! + w * other[i]!;
}

export type Choice = 'a' | 'b' | 'neither';

/** Picks that contradict each other (same photo and pair of settings, opposite choices). */
export function contradictions<T extends { key: string; choice: Choice }>(picks: T[]): string[] {
  const seen = new Map<string, Choice>();
  const bad = new Set<string>();
  for (const p of picks) {
    if (p.choice === 'neither') continue;
    const prev = seen.get(p.key);
    if (prev && prev !== p.choice) bad.add(p.key);
    seen.set(p.key, p.choice);
  }
  return [...bad];
}
