/**
 * Content and perceptual hashes. sha256 identifies a file's exact bytes (the
 * catalog never holds the same content twice); the 64-bit DCT pHash, stored as
 * 16 hex digits, stays within a few bits for re-scans, re-encodes and resized
 * copies of the same picture.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import sharp from 'sharp';

export function sha256Bytes(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function sha256File(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  const stream = createReadStream(path, signal ? { signal, highWaterMark: 1 << 20 } : { highWaterMark: 1 << 20 });
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Side of the grey square the pHash is computed from. */
export const PHASH_SIDE = 32;
const N = PHASH_SIDE;
const K = 8;
/** cos((2x+1)uπ/2N) for u < K, x < N. */
const COS: Float64Array = (() => {
  const t = new Float64Array(K * N);
  for (let u = 0; u < K; u++) for (let x = 0; x < N; x++) t[u * N + x] = Math.cos(((2 * x + 1) * u * Math.PI) / (2 * N));
  return t;
})();

/** pHash of 32×32 greyscale pixels: bit i set when DCT coefficient i (8×8 lowest) is above the median. */
export function phashFromPixels(px: Uint8Array | Buffer): string {
  if (px.length !== N * N) throw new Error(`phash needs ${N * N} grey pixels, got ${px.length}`);
  const rows = new Float64Array(N * K); // rows[y][u]
  for (let y = 0; y < N; y++) {
    for (let u = 0; u < K; u++) {
      let s = 0;
      for (let x = 0; x < N; x++) s += px[y * N + x]! * COS[u * N + x]!;
      rows[y * K + u] = s;
    }
  }
  const coeffs = new Float64Array(K * K); // coeffs[v][u]
  for (let v = 0; v < K; v++) {
    for (let u = 0; u < K; u++) {
      let s = 0;
      for (let y = 0; y < N; y++) s += rows[y * K + u]! * COS[v * N + y]!;
      coeffs[v * K + u] = s;
    }
  }
  const sorted = Array.from(coeffs.subarray(1)).sort((a, b) => a - b);
  const median = (sorted[31]! + sorted[32]!) / 2;
  let hex = '';
  for (let nibble = 0; nibble < 16; nibble++) {
    let n = 0;
    for (let b = 0; b < 4; b++) n = (n << 1) | (coeffs[nibble * 4 + b]! > median ? 1 : 0);
    hex += n.toString(16);
  }
  return hex;
}

/** pHash of an already decoded, oriented image (e.g. a thumbnail buffer). */
export async function phashImage(input: Buffer | string): Promise<string> {
  const px = await sharp(input).flatten({ background: '#ffffff' }).greyscale().resize(N, N, { fit: 'fill' }).raw().toBuffer();
  return phashFromPixels(px);
}

function popcount32(n: number): number {
  n = n - ((n >>> 1) & 0x55555555);
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333);
  return (((n + (n >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Number of differing bits between two 16-hex-digit hashes. */
export function hamming(a: string, b: string): number {
  const hi = (parseInt(a.slice(0, 8), 16) ^ parseInt(b.slice(0, 8), 16)) >>> 0;
  const lo = (parseInt(a.slice(8, 16), 16) ^ parseInt(b.slice(8, 16), 16)) >>> 0;
  return popcount32(hi) + popcount32(lo);
}
