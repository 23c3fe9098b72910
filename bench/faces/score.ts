/**
 * Detection scoring for bench:faces: each true face is matched to at most one
 * found face (the most confident unclaimed one overlapping it by IoU ≥ 0.3,
 * a loose threshold since hand-marked and detector boxes frame a face
 * differently); found faces left unmatched are false positives.
 */
import type { Rect } from '../../electron/engine/types.js';

export const MATCH_IOU = 0.3;

export function iou(a: Rect, b: Rect): number {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  const inter = ix * iy;
  return inter / Math.max(1e-9, a.w * a.h + b.w * b.h - inter);
}

export interface Tally {
  truth: number;
  found: number;
  matched: number;
}

export function scoreDetections(truth: Rect[], found: Array<{ box: Rect; score: number }>): Tally & { missed: Rect[]; falsePositives: Rect[] } {
  const claimed = new Set<number>();
  const order = found.map((f, i) => i).sort((a, b) => found[b]!.score - found[a]!.score);
  const missed: Rect[] = [];
  for (const t of truth) {
    let best = -1, bestIou = MATCH_IOU;
    for (const i of order) {
      if (claimed.has(i)) continue;
      const o = iou(t, found[i]!.box);
      if (o >= bestIou) {
        best = i;
        bestIou = o;
      }
    }
    if (best >= 0) claimed.add(best);
    else missed.push(t);
  }
  return {
    truth: truth.length,
    found: found.length,
    matched: claimed.size,
    missed,
    falsePositives: found.filter((_, i) => !claimed.has(i)).map((f) => f.box),
  };
}

export function addTally(a: Tally, b: Tally): Tally {
  return { truth: a.truth + b.truth, found: a.found + b.found, matched: a.matched + b.matched };
}

/** Recall and precision (1 when nothing was found), rounded to 3 places. */
export function rates(t: Tally): { recall: number; precision: number } {
  const r = (v: number) => Math.round(v * 1000) / 1000;
  return { recall: r(t.truth ? t.matched / t.truth : 1), precision: r(t.found ? t.matched / t.found : 1) };
}
