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
}

export async function decode(params: ParsedParams<'engine.restoreFile'>, settings: ResolvedRestoreSettings): Promise<DecodedPhoto> {
  const full = await decodeImage(params.input);
  const image = params.region ? cropImage(full, params.region) : full;
  const plan = settings.mode === 'generative' ? generativePlan(image.rgb8, image.width, image.height, settings, params.region ?? null) : null;
  if (params.region && params.beforeOutput) await encodeImage(params.beforeOutput, image, { software: SOFTWARE });
  return { image, plan };
}

/** The part of a decoded image inside a relative region (at least 1×1 pixel). */
export function cropImage(img: DecodedImage, r: Region): DecodedImage {
  const x0 = Math.min(img.width - 1, Math.floor(r.x * img.width));
  const y0 = Math.min(img.height - 1, Math.floor(r.y * img.height));
  const w = Math.max(1, Math.min(img.width - x0, Math.round(r.w * img.width)));
  const h = Math.max(1, Math.min(img.height - y0, Math.round(r.h * img.height)));
  const rgb8 = new Uint8Array(w * h * 3);
  const alpha = img.alpha ? new Uint8Array(w * h) : null;
  for (let y = 0; y < h; y++) {
    rgb8.set(img.rgb8.subarray(((y0 + y) * img.width + x0) * 3, ((y0 + y) * img.width + x0 + w) * 3), y * w * 3);
    if (alpha && img.alpha) alpha.set(img.alpha.subarray((y0 + y) * img.width + x0, (y0 + y) * img.width + x0 + w), y * w);
  }
  return { ...img, width: w, height: h, rgb8, alpha };
}
