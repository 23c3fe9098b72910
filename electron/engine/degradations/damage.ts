/**
 * Physical damage drawn onto the photo: scratches/creases (bent polylines)
 * and dust spots (discs). Both are rasterised on a 2× canvas and shrunk with
 * the antialiasing resampler for soft edges, as the Python reference does with
 * PIL's ImageDraw (the rasterisers differ in detail, so edges match only
 * approximately).
 */
import { pyRound, uniformBlock } from './prng.js';
import { resample } from './resample.js';
import type { ScratchLine } from './recipe.js';

const SS = 2;

/** Marks canvas pixels (centres at integer coordinates) within `half` of segment a–b. */
function strokeSegment(canvas: Float32Array, cw: number, ch: number, ax: number, ay: number, bx: number, by: number, half: number): void {
  const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - half)), x1 = Math.min(cw - 1, Math.ceil(Math.max(ax, bx) + half));
  const y0 = Math.max(0, Math.floor(Math.min(ay, by) - half)), y1 = Math.min(ch - 1, Math.ceil(Math.max(ay, by) + half));
  const dx = bx - ax, dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const h2 = half * half;
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++) {
      const t = len2 > 0 ? Math.min(1, Math.max(0, ((x - ax) * dx + (y - ay) * dy) / len2)) : 0;
      const ex = ax + t * dx - x, ey = ay + t * dy - y;
      if (ex * ex + ey * ey <= h2) canvas[y * cw + x] = 1;
    }
}

/** The 17-point polyline of one scratch, in supersampled canvas coordinates. */
export function scratchPolyline(line: ScratchLine, w: number, h: number): Array<[number, number]> {
  const cx = line.x * w, cy = line.y * h;
  const L = line.length * Math.max(w, h);
  const dx = Math.cos(line.angle), dy = Math.sin(line.angle);
  const pts: Array<[number, number]> = [];
  for (let i = 0; i < 17; i++) {
    const t = i / 16 - 0.5;
    const off = line.bend * L * (1 - 4 * t * t); // parabola: a crease that bows
    pts.push([(cx + dx * t * L - dy * off) * SS, (cy + dy * t * L + dx * off) * SS]);
  }
  return pts;
}

/** Blends each scratch toward 0.95 (bright) or 0.08 (dark) with its opacity. */
export function drawScratches(x: Float32Array, w: number, h: number, lines: ScratchLine[]): Float32Array {
  const out = x.slice();
  const cw = w * SS, chh = h * SS;
  for (const line of lines) {
    const canvas = new Float32Array(cw * chh);
    const pts = scratchPolyline(line, w, h);
    const half = Math.max(1, pyRound(line.width * SS, 0)) / 2;
    for (let i = 0; i + 1 < pts.length; i++) strokeSegment(canvas, cw, chh, pts[i]![0], pts[i]![1], pts[i + 1]![0], pts[i + 1]![1], half);
    const mask = resample(canvas, cw, chh, 1, w, h, 'bilinear');
    const tone = line.bright ? 0.95 : 0.08;
    for (let p = 0; p < w * h; p++) {
      const m = mask[p]! * line.opacity;
      if (m === 0) continue;
      for (let c = 0; c < 3; c++) out[p * 3 + c] = out[p * 3 + c]! * (1 - m) + tone * m;
    }
  }
  return out;
}

/** `count` dust discs from uniform_block(seed): rows (x, y, radius, tone); bright when tone < 0.6. */
export function drawDust(x: Float32Array, w: number, h: number, count: number, seed: number): Float32Array {
  const u = uniformBlock(seed, 4 * count);
  const cw = w * SS, chh = h * SS;
  const mask = new Float32Array(cw * chh);
  const toneCanvas = new Float32Array(cw * chh);
  const unit = Math.max(1, Math.max(h, w) / 256);
  for (let i = 0; i < count; i++) {
    const ux = u[4 * i]!, uy = u[4 * i + 1]!, ur = u[4 * i + 2]!, ub = u[4 * i + 3]!;
    const r = (0.4 + 2.6 * ur ** 3) * unit * SS;
    const px = ux * w * SS, py = uy * h * SS;
    const bright = ub < 0.6 ? 1 : 0;
    for (let yy = Math.max(0, Math.floor(py - r)); yy <= Math.min(chh - 1, Math.ceil(py + r)); yy++)
      for (let xx = Math.max(0, Math.floor(px - r)); xx <= Math.min(cw - 1, Math.ceil(px + r)); xx++) {
        if ((xx - px) ** 2 + (yy - py) ** 2 > r * r) continue;
        mask[yy * cw + xx] = 1;
        toneCanvas[yy * cw + xx] = bright; // a later spot covers an earlier one
      }
  }
  const m = resample(mask, cw, chh, 1, w, h, 'bilinear');
  const t = resample(toneCanvas, cw, chh, 1, w, h, 'bilinear');
  const out = x.slice();
  for (let p = 0; p < w * h; p++) {
    const a = m[p]!;
    if (a === 0) continue;
    const tone = 0.08 + 0.87 * t[p]!;
    for (let c = 0; c < 3; c++) out[p * 3 + c] = out[p * 3 + c]! * (1 - a) + tone * a;
  }
  return out;
}
