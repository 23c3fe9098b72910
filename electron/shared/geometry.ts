/**
 * Crop, rotate and straighten as a photo's recipe records them: applied to
 * the upright original before restoration, in this order: quarter turns,
 * straighten by a small angle (keeping the largest upright rectangle of the
 * photo's proportions inside the turned picture, so no empty corners), then
 * the crop, relative to what the first two steps give. Relative coordinates
 * let one recipe fit photos of other sizes. Pure maths, shared by the
 * library (which renders it with sharp), the broker and the crop editor.
 */
import { z } from 'zod';

export const QuarterTurn = z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]);

/** Straightening beyond this is not straightening; 45° would keep half the picture. */
export const MAX_STRAIGHTEN_DEGREES = 45;

/** Crop ratios offered by the editor; 'free' and 'original' have no fixed numbers. */
export const CROP_RATIOS = ['free', 'original', '1:1', '4:3', '3:2', '5:4', '16:9', '3:4', '2:3', '4:5', '9:16'] as const;
export type CropRatio = (typeof CROP_RATIOS)[number];

const unit = (what: string) => z.number({ error: `${what} must be a number from 0 to 1` }).min(0, `${what} must be from 0 to 1`).max(1, `${what} must be from 0 to 1`);
const size = (what: string) => z.number({ error: `${what} must be a number above 0` }).gt(0, `The crop ${what} must be above 0 (the crop is empty)`).max(1, `The crop ${what} must be at most 1 (the whole photo)`);

/** A crop in relative coordinates of the turned and straightened photo; it must lie inside it. */
export const CropBox = z
  .object({ x: unit('The crop’s left edge'), y: unit('The crop’s top edge'), w: size('width'), h: size('height') })
  .strict()
  .refine((c) => c.x + c.w <= 1.0001 && c.y + c.h <= 1.0001, 'The crop must lie inside the photo (x + width and y + height at most 1)');
export type CropBox = z.infer<typeof CropBox>;

export const Geometry = z
  .object({
    /** Clockwise quarter turns, in degrees. */
    rotate: QuarterTurn.default(0),
    /** Clockwise degrees, applied after the quarter turns. */
    straighten: z
      .number({ error: 'Straighten must be a number of degrees' })
      .min(-MAX_STRAIGHTEN_DEGREES, `Straighten by at most ${MAX_STRAIGHTEN_DEGREES}° either way`)
      .max(MAX_STRAIGHTEN_DEGREES, `Straighten by at most ${MAX_STRAIGHTEN_DEGREES}° either way`)
      .default(0),
    crop: CropBox.optional(),
    /** The ratio the crop was drawn with, so it is kept when the recipe meets a photo of other proportions. */
    ratio: z.enum(CROP_RATIOS).default('free'),
  })
  .strict();
export type Geometry = z.input<typeof Geometry>;
export type ResolvedGeometry = z.output<typeof Geometry>;

export interface Size {
  width: number;
  height: number;
}

/** Smallest side, in pixels, a crop may leave: less is not a photo to restore. */
export const MIN_CROP_PX = 16;

export function isIdentity(g: Geometry | undefined | null): boolean {
  if (!g) return true;
  const c = g.crop;
  const fullCrop = !c || (c.x <= 0 && c.y <= 0 && c.w >= 1 && c.h >= 1);
  return (g.rotate ?? 0) === 0 && Math.abs(g.straighten ?? 0) < 0.01 && fullCrop;
}

/** Size after the quarter turns. */
export function turnedSize(s: Size, rotate: number): Size {
  return rotate === 90 || rotate === 270 ? { width: s.height, height: s.width } : { ...s };
}

/**
 * The scale (≤ 1) of the largest rectangle of the same proportions, centred,
 * that fits inside a w×h picture turned by `degrees`.
 */
export function straightenScale(w: number, h: number, degrees: number): number {
  const a = Math.abs((degrees * Math.PI) / 180);
  const c = Math.cos(a);
  const s = Math.sin(a);
  return Math.min(w / (w * c + h * s), h / (w * s + h * c));
}

/** Size after the quarter turns and the straightening (before the crop). */
export function straightenedSize(s: Size, g: Pick<ResolvedGeometry, 'rotate' | 'straighten'>): Size {
  const t = turnedSize(s, g.rotate);
  const k = straightenScale(t.width, t.height, g.straighten);
  return { width: Math.max(1, Math.floor(t.width * k)), height: Math.max(1, Math.floor(t.height * k)) };
}

/** The crop in pixels of the straightened picture (whole picture without a crop). */
export function cropPixels(s: Size, crop: CropBox | undefined): { left: number; top: number; width: number; height: number } {
  if (!crop) return { left: 0, top: 0, width: s.width, height: s.height };
  const left = Math.min(s.width - 1, Math.max(0, Math.round(crop.x * s.width)));
  const top = Math.min(s.height - 1, Math.max(0, Math.round(crop.y * s.height)));
  const width = Math.max(1, Math.min(s.width - left, Math.round(crop.w * s.width)));
  const height = Math.max(1, Math.min(s.height - top, Math.round(crop.h * s.height)));
  return { left, top, width, height };
}

/** Final size of a photo of size `s` after the whole geometry. */
export function outputSize(s: Size, g: ResolvedGeometry): Size {
  const c = cropPixels(straightenedSize(s, g), g.crop);
  return { width: c.width, height: c.height };
}

/** Width over height of a fixed ratio, or null for free; 'original' is the photo's own (after the turns). */
export function ratioValue(ratio: CropRatio, turned: Size): number | null {
  if (ratio === 'free') return null;
  if (ratio === 'original') return turned.width / turned.height;
  const [a, b] = ratio.split(':').map(Number) as [number, number];
  return a / b;
}

/**
 * A relative crop box with width/height in pixels equal to `ratio`, as large
 * as possible around the centre of `box` and inside the picture.
 */
export function fitRatio(box: CropBox, ratio: number, s: Size): CropBox {
  const cx = box.x + box.w / 2;
  const cy = box.y + box.h / 2;
  // In pixels: keep the area's larger side, derive the other from the ratio.
  let wPx = box.w * s.width;
  let hPx = wPx / ratio;
  if (hPx > box.h * s.height) {
    hPx = box.h * s.height;
    wPx = hPx * ratio;
  }
  if (wPx > s.width) {
    wPx = s.width;
    hPx = wPx / ratio;
  }
  if (hPx > s.height) {
    hPx = s.height;
    wPx = hPx * ratio;
  }
  const w = wPx / s.width;
  const h = hPx / s.height;
  const x = Math.min(1 - w, Math.max(0, cx - w / 2));
  const y = Math.min(1 - h, Math.max(0, cy - h / 2));
  return { x, y, w, h };
}

/**
 * A recipe's geometry for another photo: turns and straightening as they
 * were, the crop at the same relative place, refitted to its ratio when the
 * proportions differ. Returns the geometry and what was adjusted, for the user.
 */
export function geometryForPhoto(g: ResolvedGeometry, from: Size | null, to: Size): { geometry: ResolvedGeometry; notes: string[] } {
  const notes: string[] = [];
  if (!g.crop || !from || (from.width === to.width && from.height === to.height)) return { geometry: g, notes };
  const base = straightenedSize(to, g);
  const r = ratioValue(g.ratio, turnedSize(to, g.rotate));
  let crop: CropBox = g.crop;
  if (r !== null) crop = fitRatio(g.crop, r, base);
  notes.push(`The crop was drawn on a ${from.width}×${from.height} photo; it was placed at the same relative position on this ${to.width}×${to.height} one${r !== null ? `, keeping its ${g.ratio} ratio` : ''}.`);
  return { geometry: { ...g, crop }, notes };
}

/** Throws a plain-language error when the geometry leaves too little of a photo of size `s`. */
export function checkGeometry(s: Size, g: ResolvedGeometry): Size {
  const out = outputSize(s, g);
  if (out.width < MIN_CROP_PX || out.height < MIN_CROP_PX) {
    throw new Error(`The crop leaves ${out.width}×${out.height} pixels of this ${s.width}×${s.height} photo; make it at least ${MIN_CROP_PX}×${MIN_CROP_PX}.`);
  }
  return out;
}

/** One line for the recipe view, e.g. "Turned 90°, straightened −1.5°, cropped to 80 % × 60 % (4:3)". */
export function describeGeometry(g: Geometry | undefined | null): string | null {
  if (!g || isIdentity(g)) return null;
  const parts: string[] = [];
  if (g.rotate) parts.push(`turned ${g.rotate}° clockwise`);
  if (g.straighten && Math.abs(g.straighten) >= 0.01) parts.push(`straightened ${g.straighten > 0 ? '' : '−'}${Math.abs(g.straighten).toFixed(1)}°`);
  if (g.crop && !(g.crop.x <= 0 && g.crop.y <= 0 && g.crop.w >= 1 && g.crop.h >= 1)) {
    parts.push(`cropped to ${Math.round(g.crop.w * 100)} % × ${Math.round(g.crop.h * 100)} %${g.ratio && g.ratio !== 'free' ? ` (${g.ratio})` : ''}`);
  }
  const text = parts.join(', ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The angle (degrees) that makes a line drawn from a to b level: draw along a horizon that should be flat. */
export function levelAngle(a: { x: number; y: number }, b: { x: number; y: number }): number {
  let deg = (Math.atan2(b.y - a.y, b.x - a.x) * 180) / Math.PI;
  // A line drawn right to left means the same horizon.
  if (deg > 90) deg -= 180;
  if (deg < -90) deg += 180;
  // Screen y grows downwards: a line falling to the right needs an anticlockwise turn.
  return -deg;
}

/**
 * A point of the picture the geometry gives (crop of the straightened,
 * turned photo) in the upright original's pixels: the steps undone in
 * reverse order. What is found on a cropped or turned picture (faces) is
 * kept in the original's pixels, which do not change when the crop does.
 */
export function originalPoint(s: Size, g: ResolvedGeometry, p: { x: number; y: number }): { x: number; y: number } {
  const turned = turnedSize(s, g.rotate);
  const straight = straightenedSize(s, g);
  const c = cropPixels(straight, g.crop);
  // The straightened picture is the centre of the turned one, turned clockwise by `straighten`.
  const dx = p.x + c.left - straight.width / 2;
  const dy = p.y + c.top - straight.height / 2;
  const a = (g.straighten * Math.PI) / 180;
  const tx = turned.width / 2 + dx * Math.cos(a) + dy * Math.sin(a);
  const ty = turned.height / 2 - dx * Math.sin(a) + dy * Math.cos(a);
  switch (g.rotate) {
    case 90:
      return { x: ty, y: s.height - tx };
    case 180:
      return { x: s.width - tx, y: s.height - ty };
    case 270:
      return { x: s.width - ty, y: tx };
    default:
      return { x: tx, y: ty };
  }
}

/** A box of the geometry's picture as the smallest box holding it in the original's pixels. */
export function originalBox(s: Size, g: ResolvedGeometry, b: { x: number; y: number; w: number; h: number }): { x: number; y: number; w: number; h: number } {
  const [x0, y0, x1, y1] = cornersThrough(b, (p) => originalPoint(s, g, p));
  const x = Math.max(0, x0);
  const y = Math.max(0, y0);
  return { x, y, w: Math.min(s.width, x1) - x, h: Math.min(s.height, y1) - y };
}

/** The smallest box [left, top, right, bottom] holding a box's four corners, each taken through `map`. */
function cornersThrough(b: { x: number; y: number; w: number; h: number }, map: (p: { x: number; y: number }) => { x: number; y: number }): [number, number, number, number] {
  const corners = [
    { x: b.x, y: b.y },
    { x: b.x + b.w, y: b.y },
    { x: b.x, y: b.y + b.h },
    { x: b.x + b.w, y: b.y + b.h },
  ].map(map);
  const xs = corners.map((p) => p.x);
  const ys = corners.map((p) => p.y);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/** Where a point of the upright original lands in the geometry's picture: `originalPoint` the other way. */
export function shapedPoint(s: Size, g: ResolvedGeometry, p: { x: number; y: number }): { x: number; y: number } {
  const turned = turnedSize(s, g.rotate);
  const straight = straightenedSize(s, g);
  const c = cropPixels(straight, g.crop);
  const [tx, ty] = g.rotate === 90 ? [s.height - p.y, p.x] : g.rotate === 180 ? [s.width - p.x, s.height - p.y] : g.rotate === 270 ? [p.y, s.width - p.x] : [p.x, p.y];
  const u = tx - turned.width / 2;
  const v = ty - turned.height / 2;
  const a = (g.straighten * Math.PI) / 180;
  const dx = u * Math.cos(a) - v * Math.sin(a);
  const dy = u * Math.sin(a) + v * Math.cos(a);
  return { x: dx + straight.width / 2 - c.left, y: dy + straight.height / 2 - c.top };
}

/**
 * A box of the original (a face found on the whole photo) as the smallest box
 * holding it in the geometry's picture, cut to that picture; null when less
 * than half of it is left inside (cropped away).
 */
export function shapedBox(s: Size, g: ResolvedGeometry, b: { x: number; y: number; w: number; h: number }): { x: number; y: number; w: number; h: number } | null {
  const out = outputSize(s, g);
  const [x0, y0, x1, y1] = cornersThrough(b, (p) => shapedPoint(s, g, p));
  const [cx0, cy0, cx1, cy1] = [Math.max(0, x0), Math.max(0, y0), Math.min(out.width, x1), Math.min(out.height, y1)];
  if (cx1 <= cx0 || cy1 <= cy0 || (cx1 - cx0) * (cy1 - cy0) < 0.5 * (x1 - x0) * (y1 - y0)) return null;
  return { x: cx0, y: cy0, w: cx1 - cx0, h: cy1 - cy0 };
}
