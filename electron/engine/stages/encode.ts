/**
 * Stage 7, encode: the restored photo written atomically in the output's
 * format, with the source's metadata and a note of what restored it; with
 * noReplace it never replaces a file and takes the next free name instead.
 */
import { APP_NAME, APP_VERSION } from '../../node/app-version.js';
import { encodeImage, type DecodedImage } from '../pipeline/image-io.js';

/** The EXIF Software tag of everything the engine writes. */
export const SOFTWARE = `${APP_NAME} ${APP_VERSION}`;

/** Returns the path written: `file`, or with `noReplace` the free name it took beside it. */
export function encode(file: string, image: DecodedImage, instruction: string, noReplace = false): Promise<string> {
  return encodeImage(file, { width: image.width, height: image.height, rgb8: image.rgb8, alpha: image.alpha, exif: image.exif }, {
    software: SOFTWARE,
    description: `Restored by ${SOFTWARE}${instruction ? `: ${instruction}` : ''}`,
    noReplace,
  });
}
