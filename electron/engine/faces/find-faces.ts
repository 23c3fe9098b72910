/**
 * Every face in a photo, including the small, faded and blurred ones of old
 * group photographs: the detector's multi-scale search.
 *
 *   const faces = await findAllFaces({ rgb, width, height });   // HWC RGB 0..1
 *
 * 1. A pyramid of tiles (search-plan.ts): small photos are enlarged, every
 *    size is tiled with overlap, each tile contrast-stretched (faded prints
 *    hide faces in a narrow band of greys) before SSD sees it at 512 px.
 *    The whole photo is seen first: where it shows faces the detector is sure
 *    of, faces under a quarter of the smallest of them are not looked for (a
 *    portrait is not searched for 16 px faces), which leaves the finest, most
 *    tiled levels out; group photos of small faces are searched in full.
 * 2. On request (restoredPass), the search runs again on a first-pass
 *    restored copy (the caller's restorer, or a classical denoise), always or
 *    when the photo is heavily degraded. Not by default: on bench:faces' heavily
 *    degraded photos it found no face the first search had not (the faces still
 *    missed give the detector no candidate on either copy) and took 2-2.5× as long.
 * 3. With a learned face finder (finder.ts, given by the caller), its own
 *    short pyramid over the photo (and the restored copy) adds candidates.
 *    None ships: the one trained so far finds the small, shadowed faces of
 *    composed aged group photos but not real ones (models/notes/faces.md).
 * 4. Detections of all passes are merged (greedy NMS, tile-cut boxes
 *    dropped); a candidate counts the passes that saw it and keeps the best
 *    score each detector gave it.
 * 5. Candidates are checked with their landmarks (verify.ts): a confident
 *    detection stands; a weak one must have a face's geometry, or it is
 *    dropped, so precision holds while the threshold is low.
 */
import type { Face, Rect, RgbImage } from '../types.js';
import { createFaceDetector, type FaceDetector } from './detector.js';
import { mergeDetections, type Detection } from './detection-merge.js';
import { planSearch, type SearchPass, type SearchPlanOptions } from './search-plan.js';
import { cropResize } from './resample.js';
import { contrastStretch, denoiseCopy, heavilyDegraded } from './search-input.js';
import { acceptFace, CANDIDATE_SCORE, FINDER_CANDIDATE } from './verify.js';
import { finderPasses, runFinderPass } from './finder.js';
import type { LoadedModel } from '../session-cache.js';

export interface FindFacesOptions extends SearchPlanOptions {
  /** The first-pass restored copy for heavily degraded photos (default: a classical denoise). */
  restore?: (img: RgbImage) => Promise<RgbImage>;
  /** 'auto' searches a restored copy too when the photo is heavily degraded; 'off' (default) never does. */
  restoredPass?: 'auto' | 'always' | 'off';
  /** Keep at most this many faces, most confident first (default 200). */
  maxFaces?: number;
  /** Called between detector passes (a cancel check, progress). */
  onPass?: (done: number, total: number) => void | Promise<void>;
  /** The learned face finder (finder.ts), loaded on first use; null or absent: SSD's candidates only. */
  finder?: () => Promise<LoadedModel | null>;
  /** Sees every merged candidate with its support and whether it was accepted (benchmarks tune the checks with it). */
  onCandidates?: (judged: Array<{ face: Face; support: number; finderScore: number; ssdScore: number; accepted: boolean }>) => void;
}

interface Candidate extends Detection {
  /** How many SSD passes found a box here. */
  support: number;
  /** The best score SSD gave a box here (0: none). */
  ssdScore: number;
  /** The best score the face finder gave a box here (0: none). */
  finderScore: number;
}

/** One search over `img`: every pass of the plan, boxes in the photo's pixels. */
async function searchPasses(detector: FaceDetector, img: RgbImage, plan: ReturnType<typeof planSearch>, tick: () => Promise<void>): Promise<Detection[]> {
  const found: Detection[] = [];
  for (const pass of plan) {
    const w = Math.max(1, Math.round(pass.region.w * pass.zoom)), h = Math.max(1, Math.round(pass.region.h * pass.zoom));
    const pixels = cropResize(img, pass.region, w, h);
    // The whole photo is also seen as it is: stretching helps faded tiles but can cost a clear face some confidence.
    const whole = pass.region.w === img.width && pass.region.h === img.height;
    const views = whole ? [contrastStretch(pixels), pixels] : [contrastStretch(pixels)];
    for (const rgb of views) {
      for (const d of await detector.locate({ rgb, width: w, height: h }, { x: 0, y: 0, w, h }, Math.max(w, h), CANDIDATE_SCORE)) {
        found.push({
          score: d.score,
          box: { x: pass.region.x + d.box.x / pass.zoom, y: pass.region.y + d.box.y / pass.zoom, w: d.box.w / pass.zoom, h: d.box.h / pass.zoom },
          tile: pass.region,
        });
      }
    }
    await tick();
  }
  return found;
}

function iou(a: Rect, b: Rect): number {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  const inter = ix * iy;
  return inter / Math.max(1e-9, a.w * a.h + b.w * b.h - inter);
}

/** NMS over all passes; each kept box counts the SSD detections that agree with it and keeps each detector's best score there. */
export function mergeCandidates(found: Detection[], width: number, height: number): Candidate[] {
  return mergeDetections(found, width, height).map((k) => {
    const agree = found.filter((d) => iou(d.box, k.box) > 0.4);
    const ssd = agree.filter((d) => d.source !== 'finder'), finder = agree.filter((d) => d.source === 'finder');
    return {
      ...k,
      support: ssd.length,
      ssdScore: Math.max(0, ...ssd.map((d) => d.score)),
      finderScore: Math.max(0, ...finder.map((d) => d.score)),
    };
  });
}

/** Every pass of the face finder's pyramid over `img`, faces from `minFace` px up. */
async function finderSearch(model: LoadedModel, img: RgbImage, minFace: number, tick: () => Promise<void>): Promise<Detection[]> {
  const found: Detection[] = [];
  for (const pass of finderPasses(img.width, img.height, minFace)) {
    found.push(...(await runFinderPass(model, img, pass, FINDER_CANDIDATE)));
    await tick();
  }
  return found;
}

/** A detection at or above this in the whole-photo pass is a face the search is sure of. */
const SURE_SCORE = 0.9;
/** Faces under this share of the smallest sure face are not looked for. */
const SMALLEST_SHARE = 0.25;

/** The smallest face the search looks for: a quarter of the smallest sure face of the whole-photo pass, or the plan's. */
function smallestFace(wholeFound: Detection[], opts: SearchPlanOptions): number {
  const sure = wholeFound.filter((d) => d.score >= SURE_SCORE).map((d) => Math.min(d.box.w, d.box.h));
  return sure.length ? Math.max(opts.minFace ?? 16, SMALLEST_SHARE * Math.min(...sure)) : (opts.minFace ?? 16);
}

/**
 * The passes after the whole-photo one: the full plan's finer levels, or, when
 * that pass found faces it is sure of, those of a plan that looks for faces
 * down to a quarter of the smallest of them.
 */
export function finerPasses(full: SearchPass[], wholeFound: Detection[], width: number, height: number, opts: SearchPlanOptions): SearchPass[] {
  const minFace = smallestFace(wholeFound, opts);
  const plan = minFace !== (opts.minFace ?? 16) ? planSearch(width, height, { ...opts, minFace }) : full;
  const last = plan.at(-1)!.level;
  // Every plan ends with the whole photo in one pass, already seen.
  return plan.filter((p) => p.level !== last);
}

export async function findAllFaces(img: RgbImage, opts: FindFacesOptions = {}): Promise<Face[]> {
  const { width, height } = img;
  if (width < 16 || height < 16) return [];
  const detector = await createFaceDetector();
  const full = planSearch(width, height, opts);
  const mode = opts.restoredPass ?? 'off';
  const second = mode === 'always' || (mode === 'auto' && heavilyDegraded(img));
  const finder = opts.finder ? await opts.finder() : null;
  const finderCount = (minFace: number) => (finder ? finderPasses(width, height, minFace).length : 0);
  let total = (full.length + finderCount(opts.minFace ?? 16)) * (second ? 2 : 1);
  let done = 0;
  const tick = async () => {
    done++;
    await opts.onPass?.(done, total);
  };
  // The whole photo first (the plan's coarsest level, one pass); then only the levels for faces it could have missed.
  const whole = full.filter((p) => p.level === full.at(-1)!.level);
  const wholeFound = await searchPasses(detector, img, whole, tick);
  const rest = finerPasses(full, wholeFound, width, height, opts);
  const minFace = smallestFace(wholeFound, opts);
  total = (whole.length + rest.length + finderCount(minFace)) * (second ? 2 : 1);
  const found = [...(await searchPasses(detector, img, rest, tick)), ...wholeFound];
  const plan = [...rest, ...whole];
  if (finder) found.push(...(await finderSearch(finder, img, minFace, tick)));
  let clearest = img;
  if (second) {
    clearest = opts.restore ? await opts.restore(img) : denoiseCopy(img);
    found.push(...(await searchPasses(detector, clearest, plan, tick)));
    if (finder) found.push(...(await finderSearch(finder, clearest, minFace, tick)));
  }
  const candidates = mergeCandidates(found, width, height);
  // Landmarks from the clearest copy, stretched as the detector saw it; they are given in the photo's pixels either way.
  const faces = await detector.landmarks({ ...clearest, rgb: contrastStretch(clearest.rgb) }, candidates);
  const accepted = faces.map((f, i) => acceptFace({ ...f, score: candidates[i]!.ssdScore }, candidates[i]!.support, candidates[i]!.finderScore));
  opts.onCandidates?.(faces.map((face, i) => ({ face, support: candidates[i]!.support, finderScore: candidates[i]!.finderScore, ssdScore: candidates[i]!.ssdScore, accepted: accepted[i]! })));
  return faces
    .map((f, i) => ({ ...f, score: Math.max(candidates[i]!.ssdScore, candidates[i]!.finderScore) }))
    .filter((_, i) => accepted[i])
    .sort((a, b) => b.score - a.score)
    .slice(0, opts.maxFaces ?? 200);
}
