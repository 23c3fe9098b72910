/**
 * The first-pass restored copy that the face search looks at again when a
 * photo is heavily degraded: the photo's own restorer (the learned one when
 * installed, the classical one otherwise) asked to remove noise, grain and
 * blur, run over the whole photo in tiles as the restore stage does.
 */
import { RestoreSettings } from '../shared/recipe.js';
import type { PipelineTools, RgbImage } from './types.js';
import { restoreInBands } from './pipeline/band-restore.js';
import { toUnitFloat } from './pipeline/image-buffer.js';

const INSTRUCTION = 'remove the noise, the grain and the blur';

export function firstPassRestore(tools: Pick<PipelineTools, 'pickRestorer'>): (img: RgbImage) => Promise<RgbImage> {
  return async (img) => {
    const restorer = await tools.pickRestorer(RestoreSettings.parse({ instruction: INSTRUCTION }), img);
    const rgb8 = new Uint8Array(img.rgb.length);
    for (let i = 0; i < rgb8.length; i++) rgb8[i] = Math.round(Math.min(1, Math.max(0, img.rgb[i]!)) * 255);
    await restoreInBands(rgb8, img.width, img.height, {
      tileSize: restorer.tileSize,
      overlap: restorer.overlap,
      restoreTile: (tile, w, h, at) => restorer.restoreTile(tile, w, h, { x: at.x, y: at.y }),
    });
    return { rgb: toUnitFloat(rgb8), width: img.width, height: img.height };
  };
}
