/**
 * JPEG deblocking as an explicit operation: across every 8-pixel block boundary of the photo's grid,
 * where the step between the two blocks is small and both sides are flat (a block edge, not a real
 * edge), the step is spread over four pixels as a ramp. Real edges (a large step, or detail on either
 * side) are left alone.
 */

/** Deblocks an HWC RGB tile whose top-left pixel is at (x0, y0) in the photo. */
export function deblock(rgb: Float32Array, w: number, h: number, x0: number, y0: number, amount: number): number {
  const alpha = 0.08 * amount, beta = 0.025 * amount;
  let edges = 0;
  const smooth = (i0: number, i1: number, i2: number, i3: number) => {
    // p1 p0 | q0 q1, per channel; decided on the mean of the channels.
    let d = 0, dp = 0, dq = 0;
    for (let c = 0; c < 3; c++) {
      d += rgb[i2 * 3 + c]! - rgb[i1 * 3 + c]!;
      dp += Math.abs(rgb[i1 * 3 + c]! - rgb[i0 * 3 + c]!);
      dq += Math.abs(rgb[i3 * 3 + c]! - rgb[i2 * 3 + c]!);
    }
    if (Math.abs(d / 3) >= alpha || dp / 3 >= beta || dq / 3 >= beta) return;
    for (let c = 0; c < 3; c++) {
      const step = rgb[i2 * 3 + c]! - rgb[i1 * 3 + c]!;
      rgb[i0 * 3 + c]! += step / 8;
      rgb[i1 * 3 + c]! += (3 * step) / 8;
      rgb[i2 * 3 + c]! -= (3 * step) / 8;
      rgb[i3 * 3 + c]! -= step / 8;
    }
    edges++;
  };
  // Vertical boundaries: between photo columns 8k−1 and 8k.
  for (let x = (8 - (x0 % 8)) % 8; x < w; x += 8) {
    if (x < 2 || x > w - 2) continue;
    for (let y = 0; y < h; y++) smooth(y * w + x - 2, y * w + x - 1, y * w + x, y * w + x + 1);
  }
  for (let y = (8 - (y0 % 8)) % 8; y < h; y += 8) {
    if (y < 2 || y > h - 2) continue;
    for (let x = 0; x < w; x++) smooth((y - 2) * w + x, (y - 1) * w + x, y * w + x, (y + 1) * w + x);
  }
  return edges;
}
