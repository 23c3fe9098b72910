/**
 * mulberry32, bit-exact with models/restora_models/prng.py: every degradation
 * parameter and every pixel-noise block is drawn from it, so the same seed
 * gives the same recipe (and the same noise) in Python and TypeScript.
 */

const STEP = 0x6d2b79f5;

/** One mulberry32 output as a uint32, advancing `state` (returned alongside). */
function step(state: number): [number, number] {
  const a = (state + STEP) >>> 0;
  let t = Math.imul(a ^ (a >>> 15), a | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return [a, (t ^ (t >>> 14)) >>> 0];
}

export class Mulberry32 {
  private a: number;

  constructor(seed: number) {
    this.a = seed >>> 0;
  }

  nextU32(): number {
    const [a, v] = step(this.a);
    this.a = a;
    return v;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer in [lo, hi], inclusive. */
  randint(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A fresh uint32 seed for a pixel-level noise block. */
  seed32(): number {
    return this.nextU32();
  }
}

/** The first n outputs of Mulberry32(seed).next(). */
export function uniformBlock(seed: number, n: number): Float64Array {
  const out = new Float64Array(n);
  let a = seed >>> 0;
  for (let i = 0; i < n; i++) {
    const [na, v] = step(a);
    a = na;
    out[i] = v / 4294967296;
  }
  return out;
}

/** n standard normals by Box-Muller on consecutive pairs: sqrt(-2 ln(1-u1)) cos(2π u2). */
export function gaussianBlock(seed: number, n: number): Float64Array {
  const u = uniformBlock(seed, 2 * n);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(-2 * Math.log(1 - u[2 * i]!)) * Math.cos(2 * Math.PI * u[2 * i + 1]!);
  return out;
}

/**
 * Python's round(x, digits): the exact decimal value of the double, rounded
 * half-to-even (so round(0.015625, 5) = 0.01562, where toFixed would give
 * 0.01563). toFixed(100) is exact for the magnitudes recipes hold.
 */
export function pyRound(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  const neg = x < 0;
  const s = Math.abs(x).toFixed(100);
  const dot = s.indexOf('.');
  const intPart = s.slice(0, dot);
  const frac = s.slice(dot + 1);
  const kept = intPart + frac.slice(0, digits);
  const rest = frac.slice(digits);
  let roundUp: boolean;
  if (rest[0]! > '5') roundUp = true;
  else if (rest[0]! < '5') roundUp = false;
  else if (/[1-9]/.test(rest.slice(1))) roundUp = true;
  else roundUp = Number(kept[kept.length - 1]) % 2 === 1; // exact tie: to even
  let digitsArr = kept.split('').map(Number);
  if (roundUp) {
    let i = digitsArr.length - 1;
    while (i >= 0 && digitsArr[i] === 9) digitsArr[i--] = 0;
    if (i < 0) digitsArr = [1, ...digitsArr];
    else digitsArr[i]!++;
  }
  const all = digitsArr.join('');
  const value = Number(`${all.slice(0, all.length - digits) || '0'}.${all.slice(all.length - digits) || '0'}`);
  return neg ? -value : value;
}
