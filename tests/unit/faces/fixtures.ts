/**
 * Real test faces: Face Research Lab London portraits (1350², frontal,
 * neutral) with their 189-point .tem annotations, and damaged historical
 * photos. The .tem points used as ground truth for the 5 landmarks:
 *   0, 1     left and right pupil (the template has no eye-contour centre;
 *            the pupil is where a frontal eye's contour centre lies)
 *   87, 93   left and right mouth corner
 *   nose     mean of 61, 66 (nostril tops) and 179, 182 (nostril bases
 *            beside the columella): the template has no pronasale point, and
 *            iBUG point 30 sits between those rows on a frontal face
 */
import path from 'node:path';
import fs from 'node:fs';
import { decodeImage } from '../../../electron/engine/pipeline/image-io.js';
import type { Point, RgbImage } from '../../../electron/engine/types.js';
import { cropResize } from '../../../electron/engine/faces/resample.js';
import { sharedDataDir } from '../../../devkit/shared-data.js';

export const DATA = sharedDataDir();
export const PORTRAITS = path.join(DATA, 'faces-flr', 'neutral_front');
export const OLD_PHOTOS = path.join(DATA, 'old-photos');

export function readTem(id: string): Point[] {
  const lines = fs.readFileSync(path.join(PORTRAITS, `${id}_03.tem`), 'utf8').trim().split(/\r?\n/);
  const n = Number(lines[0]);
  return lines.slice(1, n + 1).map((l) => {
    const [x, y] = l.trim().split(/\s+/).map(Number);
    return [x!, y!] as Point;
  });
}

export function temFivePoints(t: Point[]): Point[] {
  const mean = (...ix: number[]): Point => [ix.reduce((s, i) => s + t[i]![0], 0) / ix.length, ix.reduce((s, i) => s + t[i]![1], 0) / ix.length];
  return [t[0]!, t[1]!, mean(61, 66, 179, 182), t[87]!, t[93]!];
}

const cache = new Map<string, Promise<RgbImage>>();

/** Any photo as HWC RGB floats in 0..1 (the face modules' input); cached per test process, so do not modify it. */
export function loadPhoto(file: string): Promise<RgbImage> {
  let p = cache.get(file);
  if (!p) {
    p = decodeImage(file).then((d) => {
      const rgb = new Float32Array(d.rgb8.length);
      for (let i = 0; i < rgb.length; i++) rgb[i] = d.rgb8[i]! / 255;
      return { rgb, width: d.width, height: d.height };
    });
    cache.set(file, p);
  }
  return p;
}

export function loadPortrait(id: string): Promise<RgbImage> {
  return loadPhoto(path.join(PORTRAITS, `${id}_03.jpg`));
}

export function blank(width: number, height: number, value = 0.5): RgbImage {
  return { rgb: new Float32Array(width * height * 3).fill(value), width, height };
}

/** Pastes `src` scaled to `size`×`size` with its top-left at (x, y), clipped to the canvas. */
export function pasteScaled(canvas: RgbImage, src: RgbImage, x: number, y: number, size: number): void {
  const small = cropResize(src, { x: 0, y: 0, w: src.width, h: src.height }, size, size);
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const cx = x + i, cy = y + j;
      if (cx < 0 || cy < 0 || cx >= canvas.width || cy >= canvas.height) continue;
      for (let c = 0; c < 3; c++) canvas.rgb[(cy * canvas.width + cx) * 3 + c] = small[(j * size + i) * 3 + c]!;
    }
  }
}

export function psnr(a: Float32Array, b: Float32Array, weight?: Float32Array): number {
  let se = 0, n = 0;
  for (let p = 0; p < a.length / 3; p++) {
    const w = weight ? weight[p]! : 1;
    if (w <= 0) continue;
    for (let c = 0; c < 3; c++) se += w * (a[p * 3 + c]! - b[p * 3 + c]!) ** 2;
    n += 3 * w;
  }
  return 10 * Math.log10(1 / Math.max(1e-12, se / n));
}
