/**
 * The face half of the hierarchy (GFPGAN/CodeFormer "whole image" mode): find
 * faces, align each to the canonical 512² crop, restore it with the face part
 * of the instruction, and paste it back with a feathered, colour-matched mask;
 * or, when the instruction says to leave faces alone (or to restore only the
 * background), put the original faces back over the restored photo.
 */
import type { ResolvedRestoreSettings } from '../shared/recipe.js';
import { detectFaces, alignFace, pasteFaces, faceMask, type Face } from './faces/index.js';
import type { TileRestorer } from './restore-file.js';

export type { Face };

/** Faces too small to restore usefully are left to the global restorer. */
const MIN_FACE_PX = 24;

export async function findFaces(rgb: Float32Array, width: number, height: number): Promise<Face[]> {
  if (width < 48 || height < 48) return [];
  const faces = await detectFaces({ rgb, width, height });
  return faces.filter((f) => Math.min(f.box.w, f.box.h) >= MIN_FACE_PX);
}

function iou(a: { x: number; y: number; w: number; h: number }, b: { x: number; y: number; w: number; h: number }): number {
  const x0 = Math.max(a.x, b.x), y0 = Math.max(a.y, b.y);
  const x1 = Math.min(a.x + a.w, b.x + b.w), y1 = Math.min(a.y + a.h, b.y + b.h);
  const inter = Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
  return inter / (a.w * a.h + b.w * b.h - inter || 1);
}

/** The detected faces the user chose (by box, from the analysis); all of them when no choice was made. */
export function chosenFaces(faces: Face[], settings: ResolvedRestoreSettings): Face[] {
  if (!settings.faces) return faces;
  return faces.filter((f) => settings.faces!.some((c) => iou(f.box, c) > 0.3));
}

/** Restores each face crop with `restorer` and pastes the results into `base` (HWC RGB). */
export async function restoreFaces(
  original: Float32Array,
  base: Float32Array,
  width: number,
  height: number,
  faces: Face[],
  restorer: TileRestorer,
  opts: { keepIdentity: boolean; onFace?: (i: number) => void | Promise<void> },
): Promise<Float32Array> {
  const restored = [];
  for (const [i, face] of faces.entries()) {
    const aligned = alignFace({ rgb: original, width, height }, face);
    let crop = await restorer.restoreTile(aligned.crop, aligned.size, aligned.size);
    if (opts.keepIdentity) {
      // Keep who they are: pull the restored face part of the way back to the original.
      const mixed = new Float32Array(crop.length);
      for (let k = 0; k < crop.length; k++) mixed[k] = 0.7 * crop[k]! + 0.3 * aligned.crop[k]!;
      crop = mixed;
    }
    restored.push({ ...aligned, crop });
    await opts.onFace?.(i);
  }
  return pasteFaces({ rgb: base, width, height }, restored);
}

/** Puts the original face regions back over `base` (soft-edged), for "leave the faces as they are". */
export function keepOriginalFaces(original: Float32Array, base: Float32Array, width: number, height: number, faces: Face[]): Float32Array {
  const mask = faceMask(width, height, faces);
  const out = new Float32Array(base.length);
  for (let p = 0; p < width * height; p++) {
    const m = mask[p]!;
    for (let c = 0; c < 3; c++) out[p * 3 + c] = base[p * 3 + c]! * (1 - m) + original[p * 3 + c]! * m;
  }
  return out;
}

/** Keeps only the face regions of `restored`, the rest from `original` ("only the faces"). */
export function onlyFaces(original: Float32Array, restored: Float32Array, width: number, height: number, faces: Face[]): Float32Array {
  return keepOriginalFaces(restored, original, width, height, faces);
}
