/**
 * What a restore checks before it starts working: the input's header (a file
 * that lies about its size, or is too large, is refused before any model is
 * loaded) and the output's folder (it exists or can be made, it is writable,
 * and it has room for the result). Each failure is one plain sentence.
 */
import path from 'node:path';
import type { ParsedParams } from '../shared/contract/index.js';
import { readImageHeader } from './pipeline/image-io.js';
import { prepareOutputFolder } from '../node/disk-space.js';

/** A generous guess at an encoded result's size: PNG and TIFF of a photo are close to their raw size. */
export function expectedBytes(width: number, height: number, file: string, alpha = false): number {
  const ext = path.extname(file).toLowerCase();
  const perPixel = ext === '.jpg' || ext === '.jpeg' || ext === '.webp' || ext === '.avif' ? 0.75 : alpha ? 4 : 3;
  return Math.ceil(width * height * perPixel) + 256 * 1024;
}

export async function preflightRestore(params: ParsedParams<'engine.restoreFile'>): Promise<void> {
  const { width, height, meta } = await readImageHeader(path.basename(params.input), params.input);
  const r = params.region;
  const w = r ? Math.max(1, Math.round(r.w * width)) : width;
  const h = r ? Math.max(1, Math.round(r.h * height)) : height;
  let need = expectedBytes(w, h, params.output, meta.hasAlpha);
  if (params.beforeOutput) {
    need += expectedBytes(w, h, params.beforeOutput, meta.hasAlpha);
    if (path.dirname(params.beforeOutput) !== path.dirname(params.output)) prepareOutputFolder(path.dirname(params.beforeOutput));
  }
  prepareOutputFolder(path.dirname(params.output), need);
}
