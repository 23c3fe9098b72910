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
 */
import { createFaceDetector, type DetectOptions, type Face } from './detector.js';
import { alignFace as alignToTemplate, type AlignedFace } from './align.js';
import type { RgbImage } from './resample.js';

export { pasteFaces, faceMask, templateMask, PASTE_MASK, type PasteOptions, type RestoredFace, type ColorMatch, type MaskShape } from './paste-back.js';
export { createFaceDetector, type Face, type FaceDetector, type DetectOptions, type Point } from './detector.js';
export { FFHQ_TEMPLATE_512, similarityTransform, invertAffine, applyAffine, unwarpCrop, type Affine, type AlignedFace } from './align.js';
export type { RgbImage, Rect } from './resample.js';

/** Detects faces with the shared detector (loaded on first use, about 1-2 s). */
export async function detectFaces(image: RgbImage, opts?: DetectOptions): Promise<Face[]> {
  const detector = await createFaceDetector();
  return detector.detect(image.rgb, image.width, image.height, opts);
}

/** The aligned size × size crop of a detected face (512 by default, as GFPGAN/CodeFormer expect). */
export function alignFace(image: RgbImage, face: Pick<Face, 'landmarks5'>, size = 512): AlignedFace {
  return alignToTemplate(image, face.landmarks5, size);
}
