/**
 * The damage mask as the editor keeps it: the detector's mask (the base) and
 * the user's strokes on top, replayed in order, so undo is "drop the last
 * stroke and replay" and no full-size copy is kept per step. Pure geometry
 * on a 2D context, free of React, so it can be tested alone.
 */

export type StrokeMode = 'add' | 'erase';

export interface Stroke {
  mode: StrokeMode | 'clear';
  /** Brush radius in mask pixels. */
  radius: number;
  /** Points in mask pixels. */
  points: Array<{ x: number; y: number }>;
}

/** The part of CanvasRenderingContext2D the strokes need (a real canvas in the app, a recorder in tests). */
export interface MaskContext {
  globalCompositeOperation: string;
  fillStyle: string | CanvasGradient | CanvasPattern;
  strokeStyle: string | CanvasGradient | CanvasPattern;
  lineWidth: number;
  lineCap: CanvasLineCap;
  lineJoin: CanvasLineJoin;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  arc(x: number, y: number, r: number, a0: number, a1: number): void;
  fill(): void;
  stroke(): void;
  clearRect(x: number, y: number, w: number, h: number): void;
}

/** Paints one stroke (or the part of it from point `from` on): white where it adds, cut out where it erases. */
export function paintStroke(ctx: MaskContext, s: Stroke, width: number, height: number, from = 0): void {
  if (s.mode === 'clear') {
    ctx.clearRect(0, 0, width, height);
    return;
  }
  ctx.globalCompositeOperation = s.mode === 'erase' ? 'destination-out' : 'source-over';
  ctx.fillStyle = '#ffffff';
  ctx.strokeStyle = '#ffffff';
  const pts = s.points.slice(Math.max(0, from - 1));
  if (pts.length === 1) {
    ctx.beginPath();
    ctx.arc(pts[0]!.x, pts[0]!.y, s.radius, 0, 2 * Math.PI);
    ctx.fill();
  } else if (pts.length > 1) {
    ctx.lineWidth = 2 * s.radius;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(pts[0]!.x, pts[0]!.y);
    for (const p of pts.slice(1)) ctx.lineTo(p.x, p.y);
    ctx.stroke();
  }
  ctx.globalCompositeOperation = 'source-over';
}

/** A pointer position on the shown image (CSS pixels within its box) in mask pixels, clamped inside. */
export function toMaskPoint(offsetX: number, offsetY: number, shownWidth: number, shownHeight: number, width: number, height: number): { x: number; y: number } {
  const x = (offsetX / Math.max(1, shownWidth)) * width;
  const y = (offsetY / Math.max(1, shownHeight)) * height;
  return { x: Math.max(0, Math.min(width, x)), y: Math.max(0, Math.min(height, y)) };
}

/** A greyscale mask image's pixels (RGBA, as drawn from the detector's PNG) made white where marked and transparent elsewhere, in place. */
export function greyToAlpha(rgba: Uint8ClampedArray): number {
  let marked = 0;
  for (let i = 0; i < rgba.length; i += 4) {
    const on = rgba[i]! >= 128;
    rgba[i] = rgba[i + 1] = rgba[i + 2] = 255;
    rgba[i + 3] = on ? 255 : 0;
    if (on) marked++;
  }
  return marked;
}

/** Share of pixels a white-on-transparent mask marks (alpha ≥ 128, as the engine reads it). */
export function markedShare(rgba: Uint8ClampedArray): number {
  let marked = 0;
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i]! >= 128) marked++;
  return marked / Math.max(1, rgba.length / 4);
}

/** Base64 of bytes, in parts of at most `partChars` characters (a multiple of 4, so each part decodes alone). */
export function base64Parts(bytes: Uint8Array, partChars = 600_000): string[] {
  const chunk = (partChars / 4) * 3;
  const parts: string[] = [];
  for (let i = 0; i < bytes.length || parts.length === 0; i += chunk) {
    let bin = '';
    const slice = bytes.subarray(i, i + chunk);
    for (let j = 0; j < slice.length; j += 0x8000) bin += String.fromCharCode(...slice.subarray(j, j + 0x8000));
    parts.push(btoa(bin));
    if (i + chunk >= bytes.length) break;
  }
  return parts;
}
