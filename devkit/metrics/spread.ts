/**
 * Solution spread ("solution entropy" in the preference-optimisation papers):
 * how far the results of one input wander across sampling seeds. Zero for a
 * deterministic restorer; a generative one that only repaints noise scores high.
 */

/** Mean over pixels and channels of the (population) standard deviation across samples, in the samples' own units. */
export function pixelSpread(samples: Float32Array[]): number {
  if (samples.length < 2) throw new Error('pixelSpread needs at least two samples');
  const n = samples[0]!.length, k = samples.length;
  if (samples.some((x) => x.length !== n)) throw new Error('pixelSpread: samples differ in size');
  let total = 0;
  for (let i = 0; i < n; i++) {
    let s = 0, s2 = 0;
    for (const x of samples) {
      s += x[i]!;
      s2 += x[i]! * x[i]!;
    }
    const mean = s / k;
    total += Math.sqrt(Math.max(0, s2 / k - mean * mean));
  }
  return total / n;
}

/** The spread of 0..1 images on the 0..255 scale people read pixel differences in. */
export function solutionEntropy255(samples: Float32Array[]): number {
  return 255 * pixelSpread(samples);
}
