/**
 * The face half of the hierarchy (GFPGAN/CodeFormer "whole image" mode): find
 * faces, align each to the canonical 512² crop, restore it with the face part
 * of the instruction, and paste it back with a feathered, colour-matched mask;
 * or, when the instruction says to leave faces alone (or to restore only the
 * background), put the original faces back over the restored photo.
 * Everything here works on a region around each face, so memory does not grow
 * with the photo's size.
 */
import sharp from 'sharp';
import type { ResolvedRestoreSettings } from '../shared/recipe.js';
import type { Face, Point, Rect, TileRestorer } from './types.js';
import { detectFaces, alignFace, pasteFaces, faceMask } from './faces/index.js';
import { clampRect, readRegion, toUnitFloat, writeRegion } from './pipeline/image-buffer.js';
import { CONFIDENT_SCORE, faceLikeLandmarks } from './faces/verify.js';

/** "Keep the faces as they are": how much of the restorer's change a face keeps. */
export const KEEP_IDENTITY = 0.35;

/** Faces too small to restore usefully are left to the global restorer. */
export const MIN_FACE_PX = 24;
/** Detection runs on a copy at most this long on its long side. */
const DETECT_SIDE = 1600;

export function scaleFace(f: Face, s: number): Face {
  const pt = (p: [number, number]): [number, number] => [p[0] * s, p[1] * s];
  return {
    ...f,
    box: { x: f.box.x * s, y: f.box.y * s, w: f.box.w * s, h: f.box.h * s },
    landmarks68: f.landmarks68.map(pt),
    landmarks5: f.landmarks5.map(pt),
  };
}

/**
 * Small faces: the detector's own tiles scale with the photo, so in a 4000 px
 * group photo a 40 px face shrinks to about 8 px at the net's input and is
 * missed. A second pass runs the detector on full-resolution tiles of at least
 * FINE_TILE px (a 40 px face is about 25 px at the net's 640 px input), at most
 * MAX_FINE_TILES of them (bigger tiles on huge photos, so the time stays
 * bounded), each read out of the 8-bit photo on its own so memory stays small.
 */
const FINE_TILE = 1024;
const MAX_FINE_TILES = 12;
/** Tiles overlap by this much, so a small face is whole in at least one of them. */
const FINE_OVERLAP = 128;

function fineTiles(width: number, height: number): Rect[] {
  let side = FINE_TILE;
  const count = (len: number) => (len <= side ? 1 : Math.ceil((len - FINE_OVERLAP) / (side - FINE_OVERLAP)));
  while (count(width) * count(height) > MAX_FINE_TILES) side = Math.round(side * 1.15);
  const starts = (len: number) => {
    const n = count(len);
    return n === 1 ? [0] : Array.from({ length: n }, (_, i) => Math.round((i * (len - Math.min(side, len))) / (n - 1)));
  };
  const out: Rect[] = [];
  for (const y of starts(height)) for (const x of starts(width)) out.push({ x, y, w: Math.min(side, width), h: Math.min(side, height) });
  return out;
}

/** A tile as the detector's float RGB, at most FINE_TILE px on its long side (huge photos get bigger tiles, read downscaled). */
async function tileAsFloat(rgb8: Uint8Array, width: number, height: number, t: Rect): Promise<{ rgb: Float32Array; width: number; height: number }> {
  if (Math.max(t.w, t.h) <= FINE_TILE) return { rgb: readRegion(rgb8, width, t), width: t.w, height: t.h };
  const k = FINE_TILE / Math.max(t.w, t.h);
  const r = await sharp(Buffer.from(rgb8.buffer, rgb8.byteOffset, rgb8.length), { raw: { width, height, channels: 3 }, limitInputPixels: false })
    .extract({ left: t.x, top: t.y, width: t.w, height: t.h })
    .resize(Math.max(1, Math.round(t.w * k)), Math.max(1, Math.round(t.h * k)), { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { rgb: toUnitFloat(r.data), width: r.info.width, height: r.info.height };
}

function shiftFace(f: Face, dx: number, dy: number): Face {
  const pt = (p: [number, number]): [number, number] => [p[0] + dx, p[1] + dy];
  return { ...f, box: { ...f.box, x: f.box.x + dx, y: f.box.y + dy }, landmarks68: f.landmarks68.map(pt), landmarks5: f.landmarks5.map(pt) };
}

/**
 * Do no harm: the faces the face pass can help. A face under MIN_FACE_PX has too few pixels for
 * the aligned crop, and a middling detection whose landmarks do not have a face's shape would be
 * aligned wrongly; both are left to the whole photo's restore, as if no face had been found there.
 */
export function restorableFaces(faces: Face[]): Face[] {
  return faces.filter((f) => Math.min(f.box.w, f.box.h) >= MIN_FACE_PX && (f.score >= CONFIDENT_SCORE || faceLikeLandmarks(f)));
}

/** The faces lying mostly (over half their box) inside `area` of the photo, in the pixels of that area. */
export function facesInRegion(faces: Face[], area: Rect): Face[] {
  const inside = (b: Rect) => {
    const ix = Math.max(0, Math.min(b.x + b.w, area.x + area.w) - Math.max(b.x, area.x));
    const iy = Math.max(0, Math.min(b.y + b.h, area.y + area.h) - Math.max(b.y, area.y));
    return ix * iy > 0.5 * b.w * b.h;
  };
  return faces.filter((f) => inside(f.box)).map((f) => (area.x === 0 && area.y === 0 ? f : shiftFace(f, -area.x, -area.y)));
}

/**
 * Faces in an 8-bit HWC RGB photo of any size, in its pixel coordinates: the quick detector (one pass,
 * tiles on big photos), for fine-tuning's check that a photo has faces. Restores and the analysis use
 * the multi-scale search (faces/photo-faces.ts).
 */
export async function findFaces(rgb8: Uint8Array, width: number, height: number): Promise<Face[]> {
  if (width < 48 || height < 48) return [];
  const scale = Math.min(1, DETECT_SIDE / Math.max(width, height));
  let small = rgb8, w = width, h = height;
  if (scale < 1) {
    // Already decoded (and checked against the engine's limit), so sharp's own pixel limit (268 MP) does not apply.
    const r = await sharp(Buffer.from(rgb8.buffer, rgb8.byteOffset, rgb8.length), { raw: { width, height, channels: 3 }, limitInputPixels: false })
      .resize(Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale)), { fit: 'fill' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    small = new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.length);
    w = r.info.width;
    h = r.info.height;
  }
  const fine = Math.max(width, height) > 2 * FINE_TILE;
  // With the fine pass to come, the downscaled copy only needs the detector's whole-photo pass (big faces).
  const coarse = await detectFaces({ rgb: toUnitFloat(small), width: w, height: h }, fine ? { tiles: 'off' } : {});
  const found = coarse.map((f) => scaleFace(f, width / w));
  if (fine) {
    for (const t of fineTiles(width, height)) {
      const tile = await tileAsFloat(rgb8, width, height, t);
      const inTile = await detectFaces(tile, { tiles: 'off' });
      found.push(...inTile.map((f) => shiftFace(scaleFace(f, t.w / tile.width), t.x, t.y)));
    }
  }
  // One face per place: the most confident of overlapping detections (tiles overlap, and the passes see the same faces).
  const kept: Face[] = [];
  for (const f of found.sort((a, b) => b.score - a.score)) if (!kept.some((k) => iou(k.box, f.box) > 0.3 || contains(k.box, f.box))) kept.push(f);
  return kept.filter((f) => Math.min(f.box.w, f.box.h) >= MIN_FACE_PX);
}

/** Whether most of `b` lies inside `a` (a face cut by a tile edge inside the same face seen whole). */
function contains(a: Rect, b: Rect): boolean {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  return ix * iy > 0.6 * Math.min(a.w * a.h, b.w * b.h);
}

function iou(a: { x: number; y: number; w: number; h: number }, b: { x: number; y: number; w: number; h: number }): number {
  const x0 = Math.max(a.x, b.x), y0 = Math.max(a.y, b.y);
  const x1 = Math.min(a.x + a.w, b.x + b.w), y1 = Math.min(a.y + a.h, b.y + b.h);
  const inter = Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
  return inter / (a.w * a.h + b.w * b.h - inter || 1);
}

/** The detected faces the user chose (by box, from the analysis); all of them when no choice was made; never one to keep as it was. */
export function chosenFaces(faces: Face[], settings: ResolvedRestoreSettings): Face[] {
  const kept = keptFaces(faces, settings);
  const chosen = settings.faces ? faces.filter((f) => settings.faces!.some((c) => iou(f.box, c) > 0.3)) : faces;
  return chosen.filter((f) => !kept.includes(f));
}

/** The detected faces the user keeps exactly as they were in the original (by box). */
export function keptFaces(faces: Face[], settings: ResolvedRestoreSettings): Face[] {
  if (!settings.keepFaces?.length) return [];
  return faces.filter((f) => settings.keepFaces!.some((c) => iou(f.box, c) > 0.3));
}

/** The part of the photo a face's aligned crop (and so its paste mask) can reach. */
export function faceRegion(f: Face, width: number, height: number): Rect {
  const cx = f.box.x + f.box.w / 2, cy = f.box.y + f.box.h / 2;
  const half = 1.3 * Math.max(f.box.w, f.box.h);
  return clampRect({ x: cx - half, y: cy - half, w: 2 * half, h: 2 * half }, width, height);
}

/** The face in the coordinates of a region of the photo. */
function inRegion(f: Face, r: Rect): Face {
  const dx = -r.x, dy = -r.y;
  const pt = (p: [number, number]): [number, number] => [p[0] + dx, p[1] + dy];
  return { ...f, box: { ...f.box, x: f.box.x + dx, y: f.box.y + dy }, landmarks68: f.landmarks68.map(pt), landmarks5: f.landmarks5.map(pt) };
}

export interface SavedRegion {
  face: Face;
  region: Rect;
  original: Float32Array;
}

/** Copies of the original pixels around each face, taken before the global pass overwrites the photo. */
export function saveFaceRegions(rgb8: Uint8Array, width: number, height: number, faces: Face[]): SavedRegion[] {
  return faces.map((face) => {
    const region = faceRegion(face, width, height);
    return { face, region, original: readRegion(rgb8, width, region) };
  });
}

/** Restores each face from its original pixels and pastes it into the (already restored) photo. */
/**
 * Where the face lies in an aligned crop of `size` (the FFHQ template: brows to chin, cheek to
 * cheek), as the outline the descriptor net crops to.
 */
export function alignedFaceOutline(size: number): Face {
  const k = size / 512;
  const outline: Point[] = [[130 * k, 170 * k], [382 * k, 450 * k]];
  return { box: { x: 130 * k, y: 170 * k, w: 252 * k, h: 280 * k }, score: 1, landmarks68: outline, landmarks5: [] };
}

/** Euclidean distance of two descriptors (face-api's scale: under 0.6 is usually the same person). */
export function descriptorDistance(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
}

/** Restores each face from its original pixels and pastes it into the (already restored) photo; returns each face's drift (descriptor distance, null when not measured). */
export async function restoreFaces(
  rgb8: Uint8Array,
  width: number,
  saved: SavedRegion[],
  restorer: TileRestorer,
  opts: { keepIdentity: boolean; onFace?: (i: number) => void | Promise<void>; describe?: (crop: Float32Array, size: number) => Promise<Float32Array> },
): Promise<Array<number | null>> {
  const drift: Array<number | null> = [];
  for (const [i, { face, region, original }] of saved.entries()) {
    const local = inRegion(face, region);
    const aligned = alignFace({ rgb: original, width: region.w, height: region.h }, local);
    let crop = await restorer.restoreTile(aligned.crop, aligned.size, aligned.size);
    if (opts.keepIdentity) {
      // Keep who they are: a third of the restorer's change to the face, the rest the original.
      const mixed = new Float32Array(crop.length);
      for (let k = 0; k < crop.length; k++) mixed[k] = KEEP_IDENTITY * crop[k]! + (1 - KEEP_IDENTITY) * aligned.crop[k]!;
      crop = mixed;
    }
    drift.push(opts.describe ? await measureDrift(aligned.crop, crop, aligned.size, opts.describe) : null);
    const base = readRegion(rgb8, width, region);
    // Only what the face pass does beyond the whole-photo restore is warped back: the face restorer's output
    // minus the restored photo's own face, aligned the same way, added to the restored photo (paste-back.ts).
    // The restored photo keeps its pixel-level work (noise removed per pixel, which a change warped back
    // twice could not cancel: it left 2 dB of noise on noisy portraits), and a face restorer that agrees with
    // the whole-photo restore leaves the face as that restore made it.
    const restoredFace = alignFace({ rgb: base, width: region.w, height: region.h }, local).crop;
    const pasted = pasteFaces({ rgb: base, width: region.w, height: region.h }, [{ ...aligned, crop, before: restoredFace }]);
    writeRegion(rgb8, width, region, pasted);
    await opts.onFace?.(i);
  }
  return drift;
}

/** How far the restored crop's person is from the original crop's; null when the descriptor could not be made. */
async function measureDrift(before: Float32Array, after: Float32Array, size: number, describe: (crop: Float32Array, size: number) => Promise<Float32Array>): Promise<number | null> {
  try {
    return Math.round(descriptorDistance(await describe(before, size), await describe(after, size)) * 1000) / 1000;
  } catch {
    return null;
  }
}

/** Puts the original face regions back (soft-edged), for "leave the faces as they are". */
export function keepOriginalFaces(rgb8: Uint8Array, width: number, saved: SavedRegion[]): void {
  for (const { face, region, original } of saved) {
    const mask = faceMask(region.w, region.h, [inRegion(face, region)]);
    const base = readRegion(rgb8, width, region);
    for (let p = 0; p < region.w * region.h; p++) {
      const m = mask[p]!;
      for (let c = 0; c < 3; c++) base[p * 3 + c] = base[p * 3 + c]! * (1 - m) + original[p * 3 + c]! * m;
    }
    writeRegion(rgb8, width, region, base);
  }
}
