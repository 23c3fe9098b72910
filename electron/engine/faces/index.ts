/**
 * The face pipeline's API for the restore pipeline (GFPGAN/CodeFormer
 * "whole image" mode): detect faces → align each to the 512² FFHQ template →
 * (restore the crop) → paste the restored crops back; plus a soft mask of the
 * face regions for "only the faces" / "only the background" instructions.
 *
 *   const faces = await detectFaces(image);               // image: { rgb, width, height }
 *   const aligned = faces.map((f) => alignFace(image, f)); // 512×512 crops
 *   ... replace aligned[i].crop with the restored crop ...
 *   image.rgb = pasteFaces(image, aligned);
 * or all of it in one call: `await restoreFaces(image, (crop, size) => model(crop, size))`.
 */
import type { Face, RgbImage } from '../types.js';
import { createFaceDetector, type DetectOptions } from './detector.js';
import { alignFace as alignToTemplate, type AlignedFace } from './align.js';
import { pasteFaces, type PasteOptions } from './paste-back.js';

export { pasteFaces, faceMask, templateMask, PASTE_MASK, FACE_MASK, type PasteOptions, type RestoredFace, type ColorMatch, type MaskShape } from './paste-back.js';
export { createFaceDetector, type FaceDetector, type DetectOptions } from './detector.js';
export { FFHQ_TEMPLATE_512, similarityTransform, invertAffine, applyAffine, unwarpCrop, type Affine, type AlignedFace } from './align.js';
export type { Face, Point, Rect, RgbImage } from '../types.js';

/** Detects faces with the shared detector (loaded on first use, about 1-2 s). */
export async function detectFaces(image: RgbImage, opts?: DetectOptions): Promise<Face[]> {
  const detector = await createFaceDetector();
  return detector.detect(image.rgb, image.width, image.height, opts);
}

/** The aligned size × size crop of a detected face (512 by default, as GFPGAN/CodeFormer expect). */
export function alignFace(image: RgbImage, face: Pick<Face, 'landmarks5'>, size = 512): AlignedFace {
  return alignToTemplate(image, face.landmarks5, size);
}

export interface RestoreFacesOptions {
  /** Aligned crop side the restorer takes (default 512). */
  size?: number;
  /** Faces already detected (skips detection). */
  faces?: Face[];
  detect?: DetectOptions;
  paste?: PasteOptions;
}

/**
 * Detect → align → restore each crop → paste back. `restoreCrop` gets a
 * size × size HWC RGB 0..1 crop and returns one of the same shape.
 */
export async function restoreFaces(
  image: RgbImage,
  restoreCrop: (crop: Float32Array, size: number, face: Face) => Float32Array | Promise<Float32Array>,
  opts: RestoreFacesOptions = {},
): Promise<{ rgb: Float32Array; faces: Face[] }> {
  const size = opts.size ?? 512;
  const faces = opts.faces ?? (await detectFaces(image, opts.detect));
  const restored: AlignedFace[] = [];
  for (const face of faces) {
    const aligned = alignFace(image, face, size);
    const crop = await restoreCrop(aligned.crop, size, face);
    if (crop.length !== size * size * 3) throw new Error(`the face restorer returned ${crop.length} values, expected ${size}×${size}×3`);
    restored.push({ ...aligned, crop });
  }
  return { rgb: faces.length ? pasteFaces(image, restored, opts.paste) : Float32Array.from(image.rgb), faces };
}
