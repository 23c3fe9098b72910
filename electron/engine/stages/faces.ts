/**
 * Stage 7, faces: each face restored from its original pixels with the faces'
 * settings and pasted back over the restored photo, or, when the instruction
 * leaves the faces alone, the original faces put back. Each restored face's
 * drift from the person is measured (the identity check).
 */
import type { PipelineTools, StageContext, TileRestorer } from '../types.js';
import type { DecodedImage } from '../pipeline/image-io.js';
import type { Understood } from './understand.js';
import { keepOriginalFaces, restoreFaces, type SavedRegion } from '../face-stage.js';

/** Returns each restored face's drift from the person in the original (descriptor distance; null: not measured); [] when the faces were kept. */
export async function faces(image: DecodedImage, originals: SavedRegion[], chosen: Understood, ctx: StageContext, tools?: Pick<PipelineTools, 'describeFace'>): Promise<Array<number | null>> {
  const fr = chosen.face;
  if (!fr) {
    keepOriginalFaces(image.rgb8, image.width, originals);
    return [];
  }
  let face = 0;
  const perFace: TileRestorer = {
    ...fr,
    // Generative mode: each face gets its own noise, and a cancel takes effect between sampler steps.
    restoreTile: (rgb, w, h) => fr.restoreTile(rgb, w, h, { salt: 0x51ed27 + face++, onStep: () => ctx.throwIfCancelled() }),
  };
  return restoreFaces(image.rgb8, image.width, originals, perFace, {
    keepIdentity: chosen.keepIdentity,
    ...(tools?.describeFace ? { describe: (crop: Float32Array, size: number) => tools.describeFace!(crop, size) } : {}),
    onFace: async (i) => {
      ctx.throwIfCancelled();
      ctx.progress({ stage: 'faces', fraction: 0.8 + 0.12 * ((i + 1) / originals.length), message: `Face ${i + 1} of ${originals.length}` });
      await new Promise((r) => setImmediate(r));
    },
  });
}
