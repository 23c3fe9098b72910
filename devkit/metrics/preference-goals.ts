/**
 * The goals of the generative-alignment issue (#27, "Measured"), judged on the
 * means bench:preference measures: the candidate refiner (the aligned one, or
 * the shipped base refiner when no aligned one is given) against fast mode and
 * against the base refiner, per photo set and severity.
 */

/** Means of one restoration variant over one photo set at one severity. */
export interface VariantMeans {
  psnr: number;
  ssim: number;
  /** No-reference quality; lower is more natural. */
  niqe: number;
  /** Face descriptor distance to the clean photo's face (null on sets without faces). */
  identity: number | null;
  /** Outputs in which the detector found at least one face, of `facesTotal` (null on sets without faces). */
  facesFound: number | null;
  facesTotal: number | null;
  /** Mean per-pixel standard deviation over seeds, 0..255 (null for fast mode, which has no seed). */
  entropy: number | null;
  /** Mean absolute difference from fast mode's output, 0..255: how much the refiner acts at all (null for fast mode itself). */
  fromFast: number | null;
  secondsPerMp: number;
}

export type Variant = 'fast' | 'base' | 'aligned';

export interface Cell {
  set: string;
  severity: string;
  /** Whether the set is of face photos (identity and faces found apply). */
  faces: boolean;
  variants: Partial<Record<Variant, VariantMeans>>;
}

export type Goal = { target: string; value: number; pass: boolean } | { skipped: string };

/** How far PSNR may fall below fast mode at medium. */
export const PSNR_MARGIN_DB = 1.0;
/** Share of severe face outputs in which a face must be found (8 of 10). */
export const FACES_FOUND_SHARE = 0.8;

const r4 = (v: number) => Number(v.toFixed(4));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * Evaluates the goals for the aligned refiner when it was measured, otherwise for the base
 * refiner (and says so). A goal whose cells are missing is skipped with the reason, never passed.
 * Each value is the worst case over the cells it covers: the smallest margin by which the goal holds
 * (negative when it fails), except facesFound (the share found) and entropy (candidate − base).
 */
export function preferenceGoals(cells: Cell[]): { candidate: Variant; evaluatedFor: string; goals: Record<string, Goal> } {
  const aligned = cells.some((c) => c.variants.aligned);
  const candidate: Variant = aligned ? 'aligned' : 'base';
  const evaluatedFor = aligned ? 'the aligned refiner (--aligned)' : 'the base refiner: no aligned refiner was given (--aligned DIR)';
  const pairs = (pred: (c: Cell) => boolean) =>
    cells.filter(pred).flatMap((c) => (c.variants[candidate] && c.variants.fast ? [{ c, cand: c.variants[candidate]!, fast: c.variants.fast }] : []));
  const worst = (target: string, margins: number[], what: string): Goal =>
    margins.length ? { target, value: r4(Math.min(...margins)), pass: margins.every((m) => m > 0) } : { skipped: `no ${what} measured` };
  const goals: Record<string, Goal> = {};

  const severe = pairs((c) => c.severity === 'severe');
  goals.niqeBeatsFastAtSevere = worst('NIQE lower than fast mode at severe, every set (value: fast − candidate, worst set)', severe.filter((p) => Number.isFinite(p.cand.niqe) && Number.isFinite(p.fast.niqe)).map((p) => p.fast.niqe - p.cand.niqe), 'severe cells with NIQE');
  const ids = severe.filter((p) => p.c.faces && p.cand.identity !== null && p.fast.identity !== null);
  goals.identityBeatsFastAtSevere = worst('identity distance lower than fast mode at severe (value: fast − candidate)', ids.map((p) => p.fast.identity! - p.cand.identity!), 'severe face cells with identity');

  const medium = pairs((c) => c.severity === 'medium').filter((p) => Number.isFinite(p.cand.psnr) && Number.isFinite(p.fast.psnr));
  goals.psnrWithinMarginAtMedium = medium.length
    ? { target: `PSNR ≥ fast − ${PSNR_MARGIN_DB} dB at medium, every set (value: candidate − fast, worst set)`, value: r4(Math.min(...medium.map((p) => p.cand.psnr - p.fast.psnr))), pass: medium.every((p) => p.cand.psnr - p.fast.psnr >= -PSNR_MARGIN_DB) }
    : { skipped: 'no medium cells measured' };

  const found = cells.filter((c) => c.faces && c.severity === 'severe' && c.variants[candidate]?.facesTotal);
  if (found.length) {
    const hit = found.reduce((s, c) => s + c.variants[candidate]!.facesFound!, 0);
    const total = found.reduce((s, c) => s + c.variants[candidate]!.facesTotal!, 0);
    goals.facesFoundAtSevere = { target: `a face found in ≥ ${FACES_FOUND_SHARE * 100}% of severe face outputs (value: share found, ${hit}/${total})`, value: r4(hit / total), pass: hit / total >= FACES_FOUND_SHARE };
  } else goals.facesFoundAtSevere = { skipped: 'no severe face photos measured' };

  if (!aligned) goals.entropyBelowBase = { skipped: 'no aligned refiner: the base refiner is the entropy baseline itself' };
  else {
    const both = cells.map((c) => [c.variants.aligned?.entropy, c.variants.base?.entropy]).filter((e): e is [number, number] => typeof e[0] === 'number' && typeof e[1] === 'number');
    goals.entropyBelowBase = both.length
      ? { target: 'solution entropy lower than the base refiner, mean over cells (value: aligned − base, 0..255)', value: r4(mean(both.map(([a, b]) => a - b))), pass: mean(both.map(([a, b]) => a - b)) < 0 }
      : { skipped: 'entropy was not measured for both refiners' };
  }
  return { candidate, evaluatedFor, goals };
}
