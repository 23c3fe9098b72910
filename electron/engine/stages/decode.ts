/**
 * Stage 1, decode: the photo, or the region of it being restored, as 8-bit
 * RGB; in generative mode the plan, whose seed comes from these pixels as
 * decoded, before any later stage changes them; and for a region, its
 * "before" image.
 */
import type { ParsedParams } from '../../shared/contract/index.js';
import type { Region } from '../../shared/contract/engine.js';
import type { ResolvedRestoreSettings } from '../../shared/recipe.js';
import type { GenerativePlan } from '../types.js';
import { decodeImage, encodeImage, type DecodedImage } from '../pipeline/image-io.js';
import { generativePlan } from '../generative/seed.js';
import { SOFTWARE } from './encode.js';

export interface DecodedPhoto {
  image: DecodedImage;
  /** Generative mode's seed and sampler settings; null in fast mode. */
  plan: GenerativePlan | null;
  /** The size of the whole photo (the image is smaller when a region is restored). */
  fullSize: { width: number; height: number };
}

export async function decode(params: ParsedParams<'engine.restoreFile'>, settings: ResolvedRestoreSettings): Promise<DecodedPhoto> {
  const full = await decodeImage(params.input);
  const image = params.region ? cropImage(full, params.region) : full;
  const plan = settings.mode === 'generative' ? generativePlan(image.rgb8, image.width, image.height, settings, params.region ?? null) : null;
  if (params.region && params.beforeOutput) await encodeImage(params.beforeOutput, image, { software: SOFTWARE });
  return { image, plan, fullSize: { width: full.width, height: full.height } };
}

/** A relative region in the pixels of a width × height image (at least 1×1). */
export function regionRect(width: number, height: number, r: Region): { x: number; y: number; w: number; h: number } {
  const x = Math.min(width - 1, Math.floor(r.x * width));
  const y = Math.min(height - 1, Math.floor(r.y * height));
  return { x, y, w: Math.max(1, Math.min(width - x, Math.round(r.w * width))), h: Math.max(1, Math.min(height - y, Math.round(r.h * height))) };
}

/** The part of a decoded image inside a relative region (at least 1×1 pixel). */
export function cropImage(img: DecodedImage, r: Region): DecodedImage {
  const { x: x0, y: y0, w, h } = regionRect(img.width, img.height, r);
  const rgb8 = new Uint8Array(w * h * 3);
  const alpha = img.alpha ? new Uint8Array(w * h) : null;
  for (let y = 0; y < h; y++) {
    rgb8.set(img.rgb8.subarray(((y0 + y) * img.width + x0) * 3, ((y0 + y) * img.width + x0 + w) * 3), y * w * 3);
    if (alpha && img.alpha) alpha.set(img.alpha.subarray((y0 + y) * img.width + x0, (y0 + y) * img.width + x0 + w), y * w);
  }
  return { ...img, width: w, height: h, rgb8, alpha };
}
