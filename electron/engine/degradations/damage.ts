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

/** Pillow's ROUND_UP / ROUND_DOWN (half away from / toward zero). */
const roundUp = (f: number) => (f >= 0 ? Math.floor(f + 0.5) : -Math.floor(Math.abs(f) + 0.5));
const roundDown = (f: number) => (f >= 0 ? Math.ceil(f - 0.5) : -Math.ceil(Math.abs(f) - 0.5));

function plot(canvas: Float32Array, cw: number, ch: number, x: number, y: number): void {
  if (x >= 0 && y >= 0 && x < cw && y < ch) canvas[y * cw + x] = 1;
}

/**
 * One segment the way Pillow's ImageDraw.line rasterises it: endpoints
 * truncated to integers; width 1 is a single-pixel line, wider lines a
 * quadrilateral with integer-rounded offsets (ImagingDrawWideLine), filled
 * with boundary pixels included. Matches Pillow exactly for odd widths and to
 * within a pixel along the edges for even ones.
 */
function strokeSegment(canvas: Float32Array, cw: number, ch: number, fx0: number, fy0: number, fx1: number, fy1: number, width: number): void {
  const x0 = Math.trunc(fx0), y0 = Math.trunc(fy0), x1 = Math.trunc(fx1), y1 = Math.trunc(fy1);
  const dx = x1 - x0, dy = y1 - y0;
  if (dx === 0 && dy === 0) return plot(canvas, cw, ch, x0, y0);
  if (width <= 1) {
    const n = Math.max(Math.abs(dx), Math.abs(dy));
    for (let k = 0; k <= n; k++) plot(canvas, cw, ch, Math.round(x0 + (dx * k) / n), Math.round(y0 + (dy * k) / n));
    return;
  }
  const big = Math.hypot(dx, dy), small = (width - 1) / 2;
  const rMax = roundUp(small) / big, rMin = roundDown(small) / big;
  const maxx = roundUp(rMax * dy), maxy = roundUp(rMax * dx), minx = roundDown(rMin * dy), miny = roundDown(rMin * dx);
  const V: Array<[number, number]> = [[x0 - maxx, y0 + maxy], [x1 - maxx, y1 + maxy], [x1 + minx, y1 - miny], [x0 + minx, y0 - miny]];
  const xs = V.map((v) => v[0]), ys = V.map((v) => v[1]);
  for (let y = Math.max(0, Math.min(...ys)); y <= Math.min(ch - 1, Math.max(...ys)); y++)
    for (let x = Math.max(0, Math.min(...xs)); x <= Math.min(cw - 1, Math.max(...xs)); x++) {
      let pos = true, neg = true;
      for (let i = 0; i < 4; i++) {
        const [ax, ay] = V[i]!, [bx, by] = V[(i + 1) % 4]!;
        const cross = (bx - ax) * (y - ay) - (by - ay) * (x - ax);
        if (cross < 0) pos = false;
        if (cross > 0) neg = false;
      }
      if (pos || neg) canvas[y * cw + x] = 1;
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
    const width = Math.max(1, pyRound(line.width * SS, 0));
    for (let i = 0; i + 1 < pts.length; i++) strokeSegment(canvas, cw, chh, pts[i]![0], pts[i]![1], pts[i + 1]![0], pts[i + 1]![1], width);
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
    // Pillow truncates the box to integers and fills the inscribed ellipse; semi-axes + 0.4 reproduce
    // its pixel sets (measured: 0.3 differing pixels per spot on average).
    const bx0 = Math.trunc(px - r), by0 = Math.trunc(py - r), bx1 = Math.trunc(px + r), by1 = Math.trunc(py + r);
    const cx = (bx0 + bx1) / 2, cy = (by0 + by1) / 2, ax = (bx1 - bx0) / 2 + 0.4, ay = (by1 - by0) / 2 + 0.4;
    for (let yy = Math.max(0, by0); yy <= Math.min(chh - 1, by1); yy++)
      for (let xx = Math.max(0, bx0); xx <= Math.min(cw - 1, bx1); xx++) {
        if (((xx - cx) / ax) ** 2 + ((yy - cy) / ay) ** 2 > 1) continue;
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
