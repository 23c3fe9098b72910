/**
 * The learned face finder (a model of task 'face-finder', used when one is installed; none ships yet: the one
 * trained so far, models/notes/faces.md, finds composed aged faces but not real ones): a small centre-point
 * detector meant for the small, faded, blurred and shadowed faces that SSD MobileNet gives no candidate for.
 * It reads the photo's luminance; one pass finds faces of about 10-80 px at its input (the manifest's
 * `semantics.faceRange`), so it runs on a short pyramid of its own (`finderPasses`): the finest level puts the
 * smallest face looked for at about 12 px, each next level is 5× coarser, until the whole photo is one small
 * pass. Its boxes are candidates of the face search (find-faces.ts), marked as the finder's, and judged there.
 */
import { ort } from '../ort.js';
import { RestoraError } from '../../shared/errors.js';
import type { RegisteredModel } from '../../node/model-registry.js';
import type { LoadedModel } from '../session-cache.js';
import type { Rect, RgbImage } from '../types.js';
import type { Detection } from './detection-merge.js';
import { cropResize } from './resample.js';
import { tileStarts } from './search-plan.js';

/** The face finder to use: the user's own when it is usable, else the shipped one. */
export function findFaceFinder(models: RegisteredModel[]): RegisteredModel | null {
  const usable = models.filter((m) => m.ok && m.manifest?.task === 'face-finder');
  return usable.find((m) => m.source === 'user') ?? usable[0] ?? null;
}

export interface FinderPass {
  /** Finder-input pixels per photo pixel. */
  zoom: number;
  /** The region of the photo this pass sees (the whole photo, or a tile of a big level). */
  region: Rect;
}

/** Faces this wide at the finder's input are at the bottom of its range. */
const FINEST_FACE = 12;
/** Zoom between levels: the range's top over its bottom, with overlap. */
const LEVEL_STEP = 5;
/** A level bigger than this many input pixels is cut into tiles. */
const MAX_PIXELS = 2_400_000;
/** Tiles of a big level overlap by this many input pixels (more than the largest face of the range). */
const TILE_OVERLAP = 128;
/** The finest level enlarges a small photo at most this much. */
const MAX_ZOOM = 2;

function tiles(width: number, height: number, zoom: number): Rect[] {
  const iw = width * zoom, ih = height * zoom;
  if (iw * ih <= MAX_PIXELS) return [{ x: 0, y: 0, w: width, h: height }];
  const side = Math.sqrt(MAX_PIXELS) / zoom, step = side - TILE_OVERLAP / zoom;
  const tw = Math.min(width, Math.round(side)), th = Math.min(height, Math.round(side));
  const out: Rect[] = [];
  for (const y of tileStarts(height, side, step)) for (const x of tileStarts(width, side, step)) out.push({ x, y, w: tw, h: th });
  return out;
}

/** The finder's pyramid for a width × height photo, faces from `minFace` photo pixels up, finest first. */
export function finderPasses(width: number, height: number, minFace = 16): FinderPass[] {
  const out: FinderPass[] = [];
  for (let zoom = Math.min(MAX_ZOOM, FINEST_FACE / minFace); ; zoom /= LEVEL_STEP) {
    for (const region of tiles(width, height, zoom)) out.push({ zoom, region });
    // The last level: the photo's short side is within a few faces of the range's top.
    if (Math.min(width, height) * zoom <= 160) return out;
  }
}

/** Luminance of an HWC RGB image, edge-padded to W × H (multiples of 16). */
function lumaPadded(rgb: Float32Array, w: number, h: number, W: number, H: number): Float32Array {
  const out = new Float32Array(W * H);
  for (let y = 0; y < H; y++) {
    const sy = Math.min(h - 1, y);
    for (let x = 0; x < W; x++) {
      const s = (sy * w + Math.min(w - 1, x)) * 3;
      out[y * W + x] = 0.299 * rgb[s]! + 0.587 * rgb[s + 1]! + 0.114 * rgb[s + 2]!;
    }
  }
  return out;
}

/** Peaks of the heat map (3×3 local maxima at or above `threshold`) as boxes in input pixels. */
export function decodeFinder(heat: Float32Array, size: Float32Array, offset: Float32Array, gw: number, gh: number, stride: number, threshold: number): Array<{ box: Rect; score: number }> {
  const plane = gw * gh;
  const out: Array<{ box: Rect; score: number }> = [];
  for (let y = 0; y < gh; y++) {
    for (let x = 0; x < gw; x++) {
      const p = heat[y * gw + x]!;
      if (!(p >= threshold)) continue;
      let peak = true;
      for (let dy = -1; dy <= 1 && peak; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const yy = y + dy, xx = x + dx;
          if ((dx || dy) && yy >= 0 && yy < gh && xx >= 0 && xx < gw && heat[yy * gw + xx]! > p) {
            peak = false;
            break;
          }
        }
      }
      if (!peak) continue;
      const i = y * gw + x;
      const bw = size[i]!, bh = size[plane + i]!;
      const cx = (x + offset[i]!) * stride, cy = (y + offset[plane + i]!) * stride;
      if (!(bw > 0 && bh > 0) || !Number.isFinite(cx + cy)) continue;
      out.push({ box: { x: cx - bw / 2, y: cy - bh / 2, w: bw, h: bh }, score: p });
    }
  }
  return out;
}

/** One finder pass: boxes in the photo's pixels, scores in 0..1, each marked as the finder's. */
export async function runFinderPass(model: LoadedModel, img: RgbImage, pass: FinderPass, threshold: number): Promise<Detection[]> {
  const sem = (model.model.manifest?.semantics ?? {}) as { stride?: number; multiple?: number };
  const stride = sem.stride ?? 4, multiple = sem.multiple ?? 16;
  const { region, zoom } = pass;
  const w = Math.max(1, Math.round(region.w * zoom)), h = Math.max(1, Math.round(region.h * zoom));
  if (w < 32 || h < 32) return [];
  const W = Math.ceil(w / multiple) * multiple, H = Math.ceil(h / multiple) * multiple;
  const luma = lumaPadded(cropResize(img, region, w, h), w, h, W, H);
  const result = await model.session.run({ luma: new ort.Tensor('float32', luma, [1, 1, H, W]) });
  const gw = W / stride, gh = H / stride;
  const heat = result.heat, size = result.size, offset = result.offset;
  if (!heat || !size || !offset || heat.dims.join('x') !== `1x1x${gh}x${gw}` || size.dims.join('x') !== `1x2x${gh}x${gw}`) {
    throw new RestoraError('Internal', `Face finder ${model.model.id} returned ${heat?.dims.join('×')} for a ${W}×${H} input`);
  }
  const kx = region.w / w, ky = region.h / h;
  return decodeFinder(heat.data as Float32Array, size.data as Float32Array, offset.data as Float32Array, gw, gh, stride, threshold)
    // Peaks in the padding are not in the photo.
    .filter((d) => d.box.x + d.box.w / 2 < w && d.box.y + d.box.h / 2 < h)
    .map((d) => ({
      score: d.score,
      box: { x: region.x + d.box.x * kx, y: region.y + d.box.y * ky, w: d.box.w * kx, h: d.box.h * ky },
      tile: region.w === img.width && region.h === img.height ? undefined : region,
      source: 'finder' as const,
    }));
}
