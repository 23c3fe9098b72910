/**
 * Where the detector looks and how its passes are merged. Pure geometry, so
 * it is tested without the network: a tile plan for the small-face pass and a
 * greedy non-maximum suppression over the global and tile detections.
 */
import type { Rect } from '../types.js';
import { tileStarts } from './search-plan.js';

export interface Detection {
  box: Rect;
  score: number;
  /** The region the detector saw; a box touching one of its inner edges is a cut face. */
  tile?: Rect;
  /** Which detector proposed it: SSD MobileNet (absent) or the learned face finder (finder.ts). */
  source?: 'finder';
}

/**
 * Overlapping square tiles 60% of the long side (at least 512 px): SSD sees
 * faces 1.7× larger than in the global pass, with few tiles (2×2 for 4:3,
 * 3×1 for 2:1). Tiles overlap by at least a quarter of their side, so any
 * face the global pass is too coarse for lies whole inside one of them.
 */
export function planDetectionTiles(width: number, height: number): Rect[] {
  const side = Math.min(Math.max(512, Math.round(Math.max(width, height) * 0.6)), Math.min(width, height));
  const step = Math.round(side * 0.75);
  const out: Rect[] = [];
  for (const y of tileStarts(height, side, step)) for (const x of tileStarts(width, side, step)) out.push({ x, y, w: Math.min(side, width), h: Math.min(side, height) });
  return out;
}

function overlap(a: Rect, b: Rect): { iou: number; iom: number } {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  const inter = ix * iy, aa = a.w * a.h, ab = b.w * b.h;
  return { iou: inter / Math.max(1e-9, aa + ab - inter), iom: inter / Math.max(1e-9, Math.min(aa, ab)) };
}

/** True when the box touches an edge of its tile that is not an edge of the image. */
function cutByTile(d: Detection, width: number, height: number): boolean {
  const t = d.tile;
  if (!t) return false;
  const m = Math.max(2, 0.01 * Math.max(t.w, t.h));
  const b = d.box;
  return (t.x > 0 && b.x - t.x < m) || (t.y > 0 && b.y - t.y < m)
    || (t.x + t.w < width && t.x + t.w - (b.x + b.w) < m) || (t.y + t.h < height && t.y + t.h - (b.y + b.h) < m);
}

/** Highest score first; drops tile-cut faces, then any box mostly overlapping a kept one. */
export function mergeDetections(found: Detection[], width: number, height: number): Detection[] {
  const candidates = found.filter((d) => d.box.w > 0 && d.box.h > 0 && !cutByTile(d, width, height)).sort((a, b) => b.score - a.score);
  const kept: Detection[] = [];
  for (const d of candidates) {
    if (kept.some((k) => {
      const o = overlap(k.box, d.box);
      // A box mostly inside a kept one is a part or a cut-off copy of that face, unless the kept box is over 4× its
      // side: then it is a face in a group that one loose box took in whole.
      return o.iou > 0.35 || (o.iom > 0.6 && (k.box.w * k.box.h) / (d.box.w * d.box.h) < 16);
    })) continue;
    kept.push({ box: d.box, score: d.score, ...(d.source ? { source: d.source } : {}) });
  }
  return kept;
}
