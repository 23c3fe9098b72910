/**
 * Opening an image the strict way, for the library and the engine alike:
 *   1. readHeader: the header only (the caller's metadata reader, sharp in the
 *      workers: this module loads no native code), checked against the file's
 *      size and the pixel and memory budgets (image-budget.ts), so a 600-byte
 *      file claiming 192 megapixels is refused in milliseconds;
 *   2. strictly: the decode runs with libvips failing on the first warning, so
 *      data that ends early ("premature end of data segment") is found instead
 *      of being padded with grey; a warning that does not mean lost data
 *      (extraneous bytes, an odd colour profile) is retried leniently;
 *   3. every failure becomes one plain sentence about the file: no libvips
 *      text, no temporary names, no message repeated three times.
 */
import fs from 'node:fs';
import { RestoraError } from '../shared/errors.js';
import { MAX_PIXELS, decodeMemoryBudget, decodeSeconds, implausibleClaim, overBudget } from './image-budget.js';

/** libvips' failOn levels (sharp's option of that name). */
export type FailOn = 'none' | 'truncated' | 'error' | 'warning';

/** What readHeader needs of a header; a caller's reader (sharp's metadata()) returns more, and keeps it. */
export interface HeaderFields {
  width?: number;
  height?: number;
  /** sharp's format name: jpeg, png, gif, webp, heif, tiff... */
  format?: string;
  channels?: number;
}

export type ProblemKind = 'damaged' | 'too-large' | 'timeout' | 'unsupported' | 'not-found' | 'unreadable' | 'other';

export interface ImageProblem {
  kind: ProblemKind;
  /** The end of a sentence whose subject is the file ("is damaged: its image data ends early"). */
  says: string;
}

const HEAD_BYTES = 64 * 1024;

/** What a libvips, libjpeg, libpng... message means for the user. */
export function classifyDecodeError(err: unknown): ImageProblem {
  const code = (err as NodeJS.ErrnoException)?.code;
  const msg = String((err as Error)?.message ?? err);
  if (code === 'ENOENT' || /ENOENT|Input file is missing/.test(msg)) return { kind: 'not-found', says: 'does not exist' };
  if (code === 'EACCES' || code === 'EPERM' || /EACCES|permission denied/i.test(msg)) return { kind: 'unreadable', says: 'cannot be read: permission denied' };
  if (code === 'EISDIR') return { kind: 'unreadable', says: 'is a folder, not an image' };
  const dim = /maximum supported image dimension is (\d+)/i.exec(msg);
  if (dim) return { kind: 'too-large', says: `is too large to open: the JPEG decoder handles at most ${Number(dim[1]).toLocaleString('en-US')} pixels a side` };
  if (/pixel limit/i.test(msg)) return { kind: 'too-large', says: 'is too large to open safely' };
  if (/^timeout: \d+% complete/im.test(msg)) return { kind: 'timeout', says: 'took too long to decode and was stopped; it may be damaged' };
  if (/premature end|truncat|unexpected end|end of (file|data|stream)|out of data|short read|bad seek|not enough (image )?data|too few|read error|ends early/i.test(msg)) {
    return { kind: 'damaged', says: 'is damaged: its image data ends early' };
  }
  if (/huffman|instead of RST|crc|corrupt header|unable to parse|bad (header|marker|data)|invalid (sos|marker|data|code)/i.test(msg)) {
    return { kind: 'damaged', says: 'is damaged: its image data is corrupt' };
  }
  if (/unsupported image format|not a known|unknown (file )?format/i.test(msg)) return { kind: 'unsupported', says: 'is not an image format Restora can read' };
  return { kind: 'other', says: 'could not be decoded; it may be damaged' };
}

const CODE: Record<ProblemKind, RestoraError['code']> = {
  damaged: 'CorruptInput',
  'too-large': 'TooLarge',
  timeout: 'CorruptInput',
  unsupported: 'Unsupported',
  'not-found': 'NotFound',
  unreadable: 'CorruptInput',
  other: 'CorruptInput',
};

/** One plain sentence: `${subject} ${problem.says}.`, as a RestoraError with the matching code. */
export function problemError(subject: string, p: ImageProblem): RestoraError {
  return new RestoraError(CODE[p.kind], `${subject} ${p.says}.`, { problem: p.kind });
}

export function describeDecodeError(subject: string, err: unknown): RestoraError {
  if (err instanceof RestoraError) return err;
  return problemError(subject, classifyDecodeError(err));
}

export interface Header<M extends HeaderFields = HeaderFields> {
  meta: M;
  width: number;
  height: number;
  /** Seconds the decode may take. */
  seconds: number;
}

/**
 * Reads and checks the header of `source` (a path or the file's bytes) with
 * `readMetadata` (which must not decode pixels or limit them: sharp's
 * metadata() with limitInputPixels off): it must describe an image whose
 * pixel count its bytes can hold, within the pixel and memory budgets. Throws
 * a RestoraError whose message starts with `subject` ("photo.jpg is damaged:
 * its header claims ...").
 */
export async function readHeader<M extends HeaderFields>(
  subject: string,
  source: string | Buffer,
  readMetadata: (source: string | Buffer) => Promise<M>,
  opts: { memoryBudget?: number } = {},
): Promise<Header<M>> {
  let meta: M;
  try {
    meta = await readMetadata(source);
  } catch (err) {
    throw describeDecodeError(subject, err);
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width <= 0 || height <= 0) throw problemError(subject, { kind: 'damaged', says: 'is damaged: its header gives no picture size' });
  // Too many pixels is the plainer answer for a bomb, whatever its size on disk.
  if (width * height > MAX_PIXELS) throw problemError(subject, { kind: 'too-large', says: `is too large to open: ${overBudget(width, height, 3, Infinity)}` });
  const { bytes, head } = typeof source === 'string' ? fileHead(source) : { bytes: source.length, head: source.subarray(0, HEAD_BYTES) };
  const lie = implausibleClaim({ format: meta.format ?? '', width, height, bytes, head });
  if (lie) throw problemError(subject, { kind: 'damaged', says: `is damaged: ${lie}` });
  const over = overBudget(width, height, meta.channels ?? 3, opts.memoryBudget ?? decodeMemoryBudget());
  if (over) throw problemError(subject, { kind: 'too-large', says: `is too large to open: ${over}` });
  return { meta, width, height, seconds: decodeSeconds(width * height) };
}

function fileHead(file: string): { bytes: number; head: Buffer } {
  const fd = fs.openSync(file, 'r');
  try {
    const bytes = fs.fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(HEAD_BYTES, bytes));
    fs.readSync(fd, head, 0, head.length, 0);
    return { bytes, head };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Runs a decode that fails on the first libvips warning; when the warning
 * means nothing was lost, runs it again failing only on errors. A failure is
 * thrown as it came: classify it with describeDecodeError.
 */
export async function strictly<T>(run: (failOn: FailOn) => Promise<T>): Promise<T> {
  try {
    return await run('warning');
  } catch (err) {
    if (classifyDecodeError(err).kind !== 'other') throw err;
    return run('error');
  }
}
