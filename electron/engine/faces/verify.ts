/**
 * Which detector candidates are faces. The search runs the detector with a
 * low threshold so faint faces are not lost; what it finds is then judged:
 * a confident detection stands on its own; a middling one must be seen by
 * many passes, or by more than one and have a face's geometry in its 68 landmarks (two
 * level eyes a plausible distance apart, the nose between them, the mouth
 * below) — textures, foliage and folds the detector half-believes rarely do.
 * (The landmark net is unreliable on faces of ~20 px, so confident
 * detections are not held to the landmarks.) The learned face finder's
 * candidates (finder.ts) are judged on its own score: sure stands; middling
 * needs SSD's agreement (a box of SSD's there in two passes or more). Its
 * landmarks are no evidence for the finder: on real textures (adobe walls,
 * foliage) the 68-point net draws a face's geometry into many of the small
 * boxes the finder half-believes.
 */
import type { Face, Point } from '../types.js';

/** Detector threshold for a candidate. */
export const CANDIDATE_SCORE = 0.2;
/** At or above this, a detection is a face without further checks. */
export const CONFIDENT_SCORE = 0.7;
/** Below this, no candidate is a face. */
export const MIN_SCORE = 0.35;
/** Passes (tiles, levels, the restored copy) that must agree for a middling detection to stand without its landmarks. */
export const AGREEING_PASSES = 5;
/** The face finder's threshold for a candidate. */
export const FINDER_CANDIDATE = 0.25;
/**
 * At or above this finder score, a candidate is a face without further checks. Chosen above every score the
 * finder gives on 24 BSDS500 validation scenes without people (0.60 at most with the model trained so far; models/notes/faces.md).
 */
export const FINDER_SURE = 0.65;
/** From this finder score, a candidate SSD also saw (in two passes or more, at its candidate threshold) is a face. */
export const FINDER_MIN = 0.5;

function mean(p: Point[], from: number, to: number): Point {
  let x = 0, y = 0;
  for (let i = from; i <= to; i++) {
    x += p[i]![0];
    y += p[i]![1];
  }
  return [x / (to - from + 1), y / (to - from + 1)];
}

/** Whether 68 landmarks in a box look like an upright-ish face (within ±35° of roll). */
export function faceLikeLandmarks(face: Pick<Face, 'box' | 'landmarks68'>): boolean {
  const p = face.landmarks68, { w, h } = face.box;
  if (p.length !== 68 || w <= 0 || h <= 0) return false;
  const le = mean(p, 36, 41), re = mean(p, 42, 47), nose = p[30]!, ml = p[48]!, mr = p[54]!;
  const eyeD = Math.hypot(re[0] - le[0], re[1] - le[1]) / w;
  const roll = Math.abs(Math.atan2(re[1] - le[1], re[0] - le[0]) * 180 / Math.PI);
  const mouthBelow = ((ml[1] + mr[1]) / 2 - (le[1] + re[1]) / 2) / h;
  const noseOff = Math.abs(nose[0] - (le[0] + re[0]) / 2) / w;
  const jawL = Math.hypot(p[0]![0] - nose[0], p[0]![1] - nose[1]), jawR = Math.hypot(p[16]![0] - nose[0], p[16]![1] - nose[1]);
  const jaw = jawL / Math.max(1e-6, jawR);
  return eyeD >= 0.25 && eyeD <= 0.7 && roll <= 35 && mouthBelow >= 0.15 && mouthBelow <= 0.6 && noseOff <= 0.2 && jaw >= 0.4 && jaw <= 2.5;
}

/**
 * `face.score`: SSD's best score at this place (0: none); `support`: how many SSD passes found a box there;
 * `finderScore`: the face finder's best score there (0: none, or no finder).
 */
export function acceptFace(face: Pick<Face, 'box' | 'landmarks68' | 'score'>, support: number, finderScore = 0): boolean {
  if (finderScore >= FINDER_SURE) return true;
  if (finderScore >= FINDER_MIN && face.score >= CANDIDATE_SCORE && support >= 2) return true;
  if (face.score >= CONFIDENT_SCORE) return true;
  if (face.score < MIN_SCORE) return false;
  // Many passes agreeing is evidence too: the landmark net is unreliable on the smallest faces.
  if (support >= AGREEING_PASSES) return true;
  return support >= 2 && faceLikeLandmarks(face);
}
