/**
 * Landmark conventions. The 68 points follow iBUG 300-W (0-based): jaw 0-16,
 * brows 17-26, nose bridge 27-30 (30 = tip), nostrils 31-35, eyes 36-41 and
 * 42-47 (image-left eye first), mouth outer contour 48-59 (48 and 54 are the
 * corners). The 5 points are the order the FFHQ/GFPGAN template uses.
 */
import type { Point } from '../types.js';

function mean(points: Point[], from: number, to: number): Point {
  let x = 0, y = 0;
  for (let i = from; i <= to; i++) {
    x += points[i]![0];
    y += points[i]![1];
  }
  const n = to - from + 1;
  return [x / n, y / n];
}

/** Left eye centre, right eye centre, nose tip, left mouth corner, right mouth corner (image left/right). */
export function fivePointsFrom68(p: Point[]): Point[] {
  if (p.length !== 68) throw new Error(`expected 68 landmarks, got ${p.length}`);
  return [mean(p, 36, 41), mean(p, 42, 47), [p[30]![0], p[30]![1]], [p[48]![0], p[48]![1]], [p[54]![0], p[54]![1]]];
}
