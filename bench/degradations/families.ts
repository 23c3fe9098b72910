/**
 * Degradation families for judging restorers on damage they were not trained on — written separately
 * from the training degradations (models/restora_models/blind_degradations.py) and from the old-photo
 * recipe (electron/engine/degradations): its own random stream, its own blur kernels (direct 2-D
 * Gaussian, edge-clamped), sharp/libvips for resizing (Mitchell, Lanczos-3, cubic, nearest) and for
 * JPEG (libjpeg-turbo through libvips), Poisson noise drawn per pixel.
 *
 * Families (each at light / medium / severe):
 *   clean     the photo itself (a restorer must leave it alone)
 *   toned     the photo given a deliberate tone: sepia, warm or cool monochrome, by image (must be kept)
 *   noise     Gaussian noise σ 10 / 25 / 50 (colour), or Poisson-like with the same mid-grey σ, by image
 *   jpeg      JPEG alone at quality 40 / 20 / 10
 *   blur      isotropic or anisotropic Gaussian blur, σ 1 / 2 / 3
 *   sr        blind super-resolution: blur → downscale ×1.5–2 / ×2–3 / ×3–4 (random kernel) → noise → JPEG → back up
 *   sr2       the same, twice (second order), the second round lighter
 * The old-photo recipe stays in quality-bench.ts as the family `oldphoto`.
 * Everything is 8-bit in and out, as a file would be.
 */
import sharp from 'sharp';
import type { RgbImage } from '../../electron/engine/degradations/index.js';

export const FAMILIES = ['clean', 'toned', 'noise', 'jpeg', 'blur', 'sr', 'sr2'] as const;
export type Family = (typeof FAMILIES)[number];
export type Level = 'light' | 'medium' | 'severe';

/** A small, fast, seedable random stream (sfc32), independent of the recipe's Mulberry32. */
export class Stream {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | null = null;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.next();
  }

  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }

  /** Standard normal (Marsaglia's polar method). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    for (;;) {
      const u = 2 * this.next() - 1, v = 2 * this.next() - 1, s = u * u + v * v;
      if (s > 0 && s < 1) {
        const m = Math.sqrt((-2 * Math.log(s)) / s);
        this.spare = v * m;
        return u * m;
      }
    }
  }

  /** Poisson(lambda): Knuth's product method for small lambda, a rounded normal beyond. */
  poisson(lambda: number): number {
    if (lambda > 60) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const l = Math.exp(-lambda);
    let k = 0, p = 1;
    do {
      k++;
      p *= this.next();
    } while (p > l);
    return k - 1;
  }
}

/** FNV-1a (32-bit) of a string: the per-image seed, stable across runs and machines. */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(s, 'utf8')) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

export function quantize(img: RgbImage): RgbImage {
  return { ...img, rgb: img.rgb.map((v) => Math.round(clamp01(v) * 255) / 255) };
}

function toBytes(img: RgbImage): Buffer {
  const buf = Buffer.alloc(img.rgb.length);
  for (let i = 0; i < buf.length; i++) buf[i] = Math.round(clamp01(img.rgb[i]!) * 255);
  return buf;
}

function fromRaw(data: Buffer, width: number, height: number, channels: number): RgbImage {
  const rgb = new Float32Array(width * height * 3);
  for (let p = 0; p < width * height; p++) for (let c = 0; c < 3; c++) rgb[p * 3 + c] = data[p * channels + c]! / 255;
  return { width, height, rgb };
}

/** Gaussian blur with a direct 2-D kernel (σx, σy, angle θ), radius ⌈3·max σ⌉, edges clamped. */
export function gaussianBlur(img: RgbImage, sx: number, sy: number, theta: number): RgbImage {
  const r = Math.max(1, Math.ceil(3 * Math.max(sx, sy)));
  const n = 2 * r + 1, k = new Float64Array(n * n);
  const c = Math.cos(theta), s = Math.sin(theta);
  let sum = 0;
  for (let y = -r; y <= r; y++)
    for (let x = -r; x <= r; x++) {
      const u = c * x + s * y, v = -s * x + c * y;
      const w = Math.exp(-0.5 * ((u / sx) ** 2 + (v / sy) ** 2));
      k[(y + r) * n + x + r] = w;
      sum += w;
    }
  for (let i = 0; i < k.length; i++) k[i]! /= sum;
  const { width: W, height: H, rgb } = img;
  const out = new Float32Array(rgb.length);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      let a0 = 0, a1 = 0, a2 = 0;
      for (let dy = -r; dy <= r; dy++) {
        const yy = Math.min(H - 1, Math.max(0, y + dy));
        for (let dx = -r; dx <= r; dx++) {
          const w = k[(dy + r) * n + dx + r]!;
          if (w < 1e-7) continue;
          const p = (yy * W + Math.min(W - 1, Math.max(0, x + dx))) * 3;
          a0 += w * rgb[p]!;
          a1 += w * rgb[p + 1]!;
          a2 += w * rgb[p + 2]!;
        }
      }
      const q = (y * W + x) * 3;
      out[q] = a0;
      out[q + 1] = a1;
      out[q + 2] = a2;
    }
  return { width: W, height: H, rgb: out };
}

export type Kernel = 'nearest' | 'cubic' | 'mitchell' | 'lanczos2' | 'lanczos3';

/** Resize through sharp (libvips), 8-bit, to exactly width × height. */
export async function resize(img: RgbImage, width: number, height: number, kernel: Kernel): Promise<RgbImage> {
  const { data, info } = await sharp(toBytes(img), { raw: { width: img.width, height: img.height, channels: 3 } })
    .resize(width, height, { fit: 'fill', kernel })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return fromRaw(data, info.width, info.height, info.channels);
}

/** A JPEG round trip through sharp at `quality` (4:2:0, libvips defaults). */
export async function jpeg(img: RgbImage, quality: number): Promise<RgbImage> {
  const file = await sharp(toBytes(img), { raw: { width: img.width, height: img.height, channels: 3 } }).jpeg({ quality, mozjpeg: false }).toBuffer();
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  return fromRaw(data, info.width, info.height, info.channels);
}

/** Gaussian noise of σ (0..1 units), in colour. */
export function gaussianNoise(img: RgbImage, sigma: number, rng: Stream): RgbImage {
  return { ...img, rgb: img.rgb.map((v) => clamp01(v + sigma * rng.normal())) };
}

/** Poisson (shot) noise whose standard deviation at mid grey is σ: counts with mean v·peak, peak = 0.5/σ². */
export function poissonNoise(img: RgbImage, sigma: number, rng: Stream): RgbImage {
  const peak = 0.5 / (sigma * sigma);
  return { ...img, rgb: img.rgb.map((v) => clamp01(rng.poisson(clamp01(v) * peak) / peak)) };
}

/** A deliberate tone: each pixel's luma (BT.709 weights) times a tint. */
export function tone(img: RgbImage, kind: 'sepia' | 'warm' | 'cool'): RgbImage {
  const tint = kind === 'sepia' ? [1.12, 0.97, 0.74] : kind === 'warm' ? [1.06, 1.0, 0.9] : [0.92, 0.98, 1.08];
  const out = new Float32Array(img.rgb.length);
  for (let p = 0; p < img.rgb.length; p += 3) {
    const y = 0.2126 * img.rgb[p]! + 0.7152 * img.rgb[p + 1]! + 0.0722 * img.rgb[p + 2]!;
    for (let c = 0; c < 3; c++) out[p + c] = clamp01(y * tint[c]!);
  }
  return { ...img, rgb: out };
}

const LEVELS: Record<Level, { noise: number; q: number; blur: number; scale: [number, number]; srNoise: [number, number]; srQ: [number, number]; srBlur: [number, number] }> = {
  light: { noise: 10, q: 40, blur: 1, scale: [1.5, 2], srNoise: [1, 8], srQ: [60, 85], srBlur: [0.5, 1.5] },
  medium: { noise: 25, q: 20, blur: 2, scale: [2, 3], srNoise: [5, 15], srQ: [40, 70], srBlur: [1, 3] },
  severe: { noise: 50, q: 10, blur: 3, scale: [3, 4], srNoise: [10, 25], srQ: [25, 50], srBlur: [2, 4] },
};

const DOWN: Kernel[] = ['cubic', 'mitchell', 'lanczos3', 'lanczos2'];
const UP: Kernel[] = ['cubic', 'mitchell', 'lanczos3'];

async function srRound(img: RgbImage, lv: (typeof LEVELS)[Level], scale: number, rng: Stream, log: string[]): Promise<RgbImage> {
  const sx = rng.uniform(...lv.srBlur), aniso = rng.next() < 0.5;
  const sy = aniso ? rng.uniform(...lv.srBlur) : sx, th = aniso ? rng.uniform(0, Math.PI) : 0;
  let x = gaussianBlur(img, sx, sy, th);
  const w = Math.max(8, Math.round(img.width / scale)), h = Math.max(8, Math.round(img.height / scale));
  const down = rng.pick(DOWN);
  x = await resize(x, w, h, down);
  const sigma = rng.uniform(...lv.srNoise) / 255;
  x = rng.next() < 0.5 ? gaussianNoise(x, sigma, rng) : poissonNoise(x, sigma, rng);
  const q = Math.round(rng.uniform(...lv.srQ));
  x = await jpeg(x, q);
  log.push(`blur ${sx.toFixed(2)}/${sy.toFixed(2)} ↓${scale.toFixed(2)} ${down} noise ${(sigma * 255).toFixed(1)} q${q}`);
  return x;
}

/**
 * Degrade a clean image (0..1 floats, any size) with a family at a level; returns the 8-bit result, a
 * description, and — where the right answer is not the clean photo — the target a restorer is scored
 * against (`toned`: the toned photo itself, whose tone must be kept).
 */
export async function degradeFamily(gt: RgbImage, family: Family, level: Level, seed: number): Promise<{ image: RgbImage; ops: string; target?: RgbImage }> {
  const rng = new Stream(seed);
  const lv = LEVELS[level];
  const g = quantize(gt);
  switch (family) {
    case 'clean':
      return { image: g, ops: 'none' };
    case 'toned': {
      const kind = rng.pick(['sepia', 'warm', 'cool'] as const);
      const toned = quantize(tone(g, kind));
      return { image: toned, ops: kind, target: toned };
    }
    case 'noise': {
      const poisson = rng.next() < 0.5;
      const f = poisson ? poissonNoise : gaussianNoise;
      return { image: quantize(f(g, lv.noise / 255, rng)), ops: `${poisson ? 'poisson' : 'gaussian'} σ${lv.noise}` };
    }
    case 'jpeg':
      return { image: await jpeg(g, lv.q), ops: `jpeg q${lv.q}` };
    case 'blur': {
      const aniso = rng.next() < 0.5;
      const sx = lv.blur, sy = aniso ? lv.blur * rng.uniform(0.3, 0.6) : lv.blur, th = aniso ? rng.uniform(0, Math.PI) : 0;
      return { image: quantize(gaussianBlur(g, sx, sy, th)), ops: `${aniso ? 'aniso' : 'iso'} blur ${sx}/${sy.toFixed(2)}` };
    }
    case 'sr':
    case 'sr2': {
      const log: string[] = [];
      const scale = rng.uniform(...lv.scale);
      const s1 = family === 'sr' ? scale : Math.sqrt(scale) * rng.uniform(0.9, 1.1);
      let x = await srRound(g, lv, s1, rng, log);
      if (family === 'sr2') {
        const light = { ...lv, srBlur: [0.3, lv.srBlur[0]] as [number, number], srNoise: [1, lv.srNoise[0]] as [number, number], srQ: [lv.srQ[1], 90] as [number, number] };
        x = await srRound(x, light, scale / s1, rng, log);
      }
      const up = rng.pick(UP);
      x = await resize(x, g.width, g.height, up);
      return { image: x, ops: `${log.join(' → ')} ↑${up}` };
    }
  }
}
