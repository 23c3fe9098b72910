/**
 * Where the multi-scale face search looks: a pyramid of zoom levels, each
 * cut into overlapping tiles that the detector sees at its native 512 px.
 * Pure geometry, tested without the network.
 *
 * SSD MobileNet finds faces from about 32 px at its input; old group photos
 * are shared at ~1000 px with faces of 16-60 px, so the finest level enlarges
 * the photo (×2 for such a photo) and each coarser level halves the zoom
 * until one pass sees the whole photo. Tiles of a level overlap by more than
 * the largest face that level is meant for (a face twice as large is the next
 * level's smallest), so every face lies whole in at least one tile of the
 * level that sees it at a good size.
 *
 * Fewer, more widely spaced levels (overlap 128, ×3.75 between levels: 16
 * passes instead of 22 at 960×640) cost recall on bench:faces: SSD's score for
 * a small face depends on where a tile puts it, and faces found by one look of
 * many were lost. So every level stays; the search saves passes instead by not
 * looking for faces far smaller than the ones it is sure of (find-faces.ts).
 */
import type { Rect } from '../types.js';

/** The detector's input side. */
export const SSD_SIDE = 512;
/** Overlap between neighbouring tiles, in detector-input pixels (> the largest face a level is for, 2 × 32 px, plus margin). */
const OVERLAP = 96;

export interface SearchPass {
  /** Region of the photo, in its pixels (clamped to it). */
  region: Rect;
  /** Detector-input pixels per photo pixel. */
  zoom: number;
  /** Pyramid level: 0 is the finest. */
  level: number;
}

export interface SearchPlanOptions {
  /** Smallest face to look for, in photo pixels (default 16). */
  minFace?: number;
  /** The face size at the detector's input that the finest level gives minFace (default 32). */
  minFaceAtInput?: number;
  /** Most detector passes for the whole plan; the finest zoom is lowered (smallest face raised) to fit (default 40). */
  maxPasses?: number;
}

/** Where tiles of `side` start along a length `len`, at most `step` apart, the first at 0 and the last at the end. */
export function tileStarts(len: number, side: number, step: number): number[] {
  if (len <= side) return [0];
  const n = Math.ceil((len - side) / step) + 1;
  return Array.from({ length: n }, (_, i) => Math.round((i * (len - side)) / (n - 1)));
}

function levelTiles(width: number, height: number, zoom: number, level: number): SearchPass[] {
  const side = SSD_SIDE / zoom;
  if (side >= Math.max(width, height)) return [{ region: { x: 0, y: 0, w: width, h: height }, zoom: SSD_SIDE / Math.max(width, height), level }];
  const step = (SSD_SIDE - OVERLAP) / zoom;
  const tw = Math.min(width, Math.round(side)), th = Math.min(height, Math.round(side));
  const out: SearchPass[] = [];
  for (const y of tileStarts(height, th, step)) for (const x of tileStarts(width, tw, step)) out.push({ region: { x, y, w: tw, h: th }, zoom, level });
  return out;
}

function pyramid(width: number, height: number, finest: number): SearchPass[] {
  const out: SearchPass[] = [];
  for (let zoom = finest, level = 0; ; zoom /= 2, level++) {
    const passes = levelTiles(width, height, zoom, level);
    out.push(...passes);
    if (passes.length === 1) return out;
  }
}

/** Every detector pass for a width × height photo, finest level first. */
export function planSearch(width: number, height: number, opts: SearchPlanOptions = {}): SearchPass[] {
  const minFace = opts.minFace ?? 16, atInput = opts.minFaceAtInput ?? 32, maxPasses = opts.maxPasses ?? 40;
  let finest = atInput / minFace;
  let plan = pyramid(width, height, finest);
  while (plan.length > maxPasses) {
    finest /= 1.25;
    plan = pyramid(width, height, finest);
  }
  return plan;
}
