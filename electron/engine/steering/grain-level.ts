/**
 * How strong the photo's grain is, as a function of brightness. Film grain is not one level: it is
 * strongest in the midtones and nearly absent in clipped highlights and deep shadows, so a single
 * figure from the flattest blocks (often a white border or a blank sky) under-reads it several
 * times over, and "remove the grain" then leaves most of it. The level function is measured once
 * per photo: for each eighth of the luma range, the spread of the finest band in its flattest 8×8
 * blocks (the 10th percentile of their deviations, over 0.84, as for the photo's noise), leaving out
 * blocks that touch black or white. Eighths with too few blocks take the level of the whole photo.
 */

export const GRAIN_BINS = 8;
/** Fewer blocks than this in an eighth of the range: its level is the whole photo's. */
const MIN_BLOCKS = 8;
/** Blocks reaching below or above these have clipped grain and say nothing about it. */
const CLIP_LO = 0.02, CLIP_HI = 0.98;

const lowPercentile = (a: number[]) => {
  a.sort((x, y) => x - y);
  return a[Math.floor(0.1 * (a.length - 1))]! / 0.84;
};

/** The grain level per eighth of the luma range; `y` is the luma (0..1), `band` its finest band. */
export function grainLevelFunction(y: Float32Array, band: Float32Array, w: number, h: number): number[] {
  const perBin: number[][] = Array.from({ length: GRAIN_BINS }, () => []);
  for (let by = 0; by + 8 <= h; by += 8)
    for (let bx = 0; bx + 8 <= w; bx += 8) {
      let s = 0, s2 = 0, mean = 0, lo = 1, hi = 0;
      for (let dy = 0; dy < 8; dy++)
        for (let dx = 0; dx < 8; dx++) {
          const i = (by + dy) * w + bx + dx;
          const v = band[i]!, l = y[i]!;
          s += v;
          s2 += v * v;
          mean += l;
          if (l < lo) lo = l;
          if (l > hi) hi = l;
        }
      if (lo <= CLIP_LO || hi >= CLIP_HI) continue;
      const bin = Math.min(GRAIN_BINS - 1, Math.max(0, Math.floor((mean / 64) * GRAIN_BINS)));
      perBin[bin]!.push(Math.sqrt(Math.max(0, s2 / 64 - (s / 64) ** 2)));
    }
  const all = perBin.flat();
  const whole = all.length ? lowPercentile(all) : 0;
  return perBin.map((a) => (a.length >= MIN_BLOCKS ? lowPercentile(a) : whole));
}

/** The grain level at luma `l`: the level function interpolated between the centres of its eighths. */
export function grainLevelAt(curve: readonly number[], l: number): number {
  const c = l * curve.length - 0.5;
  const i0 = Math.min(curve.length - 1, Math.max(0, Math.floor(c)));
  const i1 = Math.min(curve.length - 1, i0 + 1);
  const f = Math.min(1, Math.max(0, c - i0));
  return (1 - f) * curve[i0]! + f * curve[i1]!;
}
