/**
 * Stage 2, repair: where physical damage (tears, holes, missing corners) is
 * to be filled in, after decoding and before anything reads the photo. For
 * now it hands the photo on unchanged.
 */
import type { DecodedPhoto } from './decode.js';

export async function repair(photo: DecodedPhoto): Promise<DecodedPhoto> {
  return photo;
}
