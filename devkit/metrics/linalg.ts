/** The little linear algebra NIQE needs: covariance, a symmetric pseudo-inverse (Jacobi), the Lanczos gamma function. */

/** Sample covariance (N − 1) of the rows of `rows` (each of length d). */
export function covariance(rows: number[][], d: number): number[][] {
  const n = rows.length;
  const mu = meanRows(rows, d);
  const c = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  if (n < 2) return c;
  for (const r of rows)
    for (let i = 0; i < d; i++) {
      const di = r[i]! - mu[i]!;
      for (let j = i; j < d; j++) c[i]![j]! += di * (r[j]! - mu[j]!);
    }
  for (let i = 0; i < d; i++)
    for (let j = i; j < d; j++) {
      c[i]![j]! /= n - 1;
      c[j]![i] = c[i]![j]!;
    }
  return c;
}

export function meanRows(rows: number[][], d: number): number[] {
  const mu = new Array<number>(d).fill(0);
  for (const r of rows) for (let i = 0; i < d; i++) mu[i]! += r[i]!;
  return mu.map((v) => v / Math.max(1, rows.length));
}

/** Moore–Penrose pseudo-inverse of a symmetric matrix via cyclic Jacobi eigendecomposition. */
export function pinvSymmetric(m: number[][]): number[][] {
  const n = m.length;
  const a = m.map((r) => r.slice());
  const v: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += a[i]![j]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = a[p]![q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!, akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!, aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!, vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
  }
  const eig = a.map((r, i) => r[i]!);
  const tol = Math.max(...eig.map(Math.abs)) * n * 2.2e-16;
  const out = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let k = 0; k < n; k++) {
    if (Math.abs(eig[k]!) <= tol) continue;
    const inv = 1 / eig[k]!;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i]![j]! += v[i]![k]! * inv * v[j]![k]!;
  }
  return out;
}

const LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];

export function gamma(x: number): number {
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gamma(1 - x));
  x -= 1;
  let a = LANCZOS[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (x + i);
  return Math.sqrt(2 * Math.PI) * t ** (x + 0.5) * Math.exp(-t) * a;
}
