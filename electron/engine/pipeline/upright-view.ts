/**
 * A photo file as the analysis looks at it: upright (EXIF orientation
 * applied), sRGB, at most `side` px on its long side, 8-bit HWC RGB. Broken
 * data is refused with one clear sentence rather than half-read.
 */
import sharp from 'sharp';
import { MAX_INPUT_PIXELS } from './image-io.js';
import { describeDecodeError, strictly } from '../../node/strict-decode.js';

export interface UprightView {
  rgb8: Uint8Array;
  width: number;
  height: number;
}

/** `name`: how the file is called in errors; `seconds`: sharp's time limit for the decode. */
export async function uprightView(input: string, name: string, side: number, seconds: number): Promise<UprightView> {
  const { data, info } = await strictly((failOn) =>
    sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn })
      .timeout({ seconds })
      .rotate()
      .resize(side, side, { fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true }),
  ).catch((err) => {
    throw describeDecodeError(name, err);
  });
  const rgb8 = new Uint8Array(info.width * info.height * 3);
  for (let p = 0; p < info.width * info.height; p++) for (let c = 0; c < 3; c++) rgb8[p * 3 + c] = data[p * info.channels + Math.min(c, info.channels - 1)]!;
  return { rgb8, width: info.width, height: info.height };
}
