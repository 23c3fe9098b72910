/**
 * What an image file may ask of a decoder, decided from its header and its
 * size before a single pixel is allocated: a pixel budget, a memory budget, a
 * time budget, and whether the pixel count it claims could fit in its bytes at
 * all. Pure functions (no sharp), shared by the library and the engine.
 */
import os from 'node:os';

/** Largest image Restora decodes: 200 megapixels (e.g. 16,000 × 12,500). */
export const MAX_PIXELS = 200_000_000;

/**
 * The most pixels one byte of a file can hold, for formats where the coding
 * itself sets a floor on the bytes per pixel (twice the floor, as a margin):
 *  - JPEG with Huffman coding spends at least one bit per 8×8 block of its
 *    full-resolution component (the DC code), so 512 pixels per byte;
 *  - PNG's deflate expands at most 1,032 times and its rows are at least one
 *    bit per pixel, so 8,256 pixels per byte.
 * Other formats (WebP, AVIF, TIFF with fax or sparse tiles, a GIF whose
 * frames are smaller than its canvas, arithmetic-coded JPEG) can code a big
 * flat picture in almost nothing; they get no floor and rely on the decode's
 * pixel, memory and time budgets instead.
 */
const MAX_PIXELS_PER_BYTE: Record<string, number> = { jpeg: 1024, png: 16_512 };

/** JPEG frame types (SOF markers) that use arithmetic coding, which has no useful floor. */
const ARITHMETIC_SOF = new Set([0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/** The SOF marker of a JPEG's first frame (0xc0 baseline, 0xc2 progressive, ...), or null if the header is not found in `head`. */
export function jpegFrameType(head: Uint8Array): number | null {
  if (head[0] !== 0xff || head[1] !== 0xd8) return null;
  let i = 2;
  while (i + 4 <= head.length) {
    if (head[i] !== 0xff) return null;
    const marker = head[i + 1]!;
    if (marker === 0xff) {
      i++;
      continue;
    }
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return marker;
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      i += 2;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return null;
    i += 2 + ((head[i + 2]! << 8) | head[i + 3]!);
  }
  return null;
}

export interface ClaimedImage {
  /** sharp's format name: jpeg, png, gif, webp, heif, tiff... */
  format: string;
  width: number;
  height: number;
  /** The file's size in bytes. */
  bytes: number;
  /** The first bytes of the file (a few kB), to tell arithmetic-coded JPEGs apart. */
  head?: Uint8Array;
}

/**
 * Why this header cannot be telling the truth, as the end of a sentence
 * ("its header claims 16000×12000 pixels, but the file holds only 587 bytes"),
 * or null when it can.
 */
export function implausibleClaim(c: ClaimedImage): string | null {
  const perByte = MAX_PIXELS_PER_BYTE[c.format];
  if (perByte === undefined) return null;
  if (c.format === 'jpeg' && c.head && ARITHMETIC_SOF.has(jpegFrameType(c.head) ?? 0)) return null;
  const pixels = c.width * c.height;
  if (pixels <= c.bytes * perByte) return null;
  return `its header claims ${c.width}×${c.height} pixels, but the file holds only ${c.bytes.toLocaleString('en-US')} bytes`;
}

/** Bytes a whole-image decode needs at its peak: the decoded pixels, the copy they are converted into, and libvips' working copy. */
export function decodeMemoryBytes(width: number, height: number, channels: number): number {
  return width * height * (2 * Math.max(3, channels) + 4);
}

/**
 * The memory one decode may take: $RESTORA_DECODE_MEMORY_MB when set,
 * otherwise half this computer's memory, at most 4 GiB.
 */
export function decodeMemoryBudget(env: NodeJS.ProcessEnv = process.env, totalMemory = os.totalmem()): number {
  const fromEnv = Number(env.RESTORA_DECODE_MEMORY_MB);
  if (Number.isFinite(fromEnv) && fromEnv > 0) return fromEnv * 2 ** 20;
  return Math.min(4 * 2 ** 30, totalMemory / 2);
}

/** Seconds a decode of this many pixels may run before it is stopped: 30 s plus 1 s per 2 megapixels. */
export function decodeSeconds(pixels: number): number {
  return Math.ceil(30 + pixels / 2e6);
}

export function formatBytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(1)} GB`;
  if (n >= 2 ** 20) return `${Math.round(n / 2 ** 20)} MB`;
  return `${Math.max(1, Math.round(n / 1024))} kB`;
}

/** Why a decode of width×height×channels is over budget, as the end of a sentence, or null when it is within. */
export function overBudget(width: number, height: number, channels: number, memoryBudget = decodeMemoryBudget()): string | null {
  const pixels = width * height;
  if (pixels > MAX_PIXELS) return `${width}×${height} is ${Math.round(pixels / 1e6)} megapixels, more than the ${MAX_PIXELS / 1e6} megapixels Restora opens`;
  const need = decodeMemoryBytes(width, height, channels);
  if (need > memoryBudget) return `${width}×${height} needs about ${formatBytes(need)} of memory to open, more than the ${formatBytes(memoryBudget)} allowed for one photo`;
  return null;
}
