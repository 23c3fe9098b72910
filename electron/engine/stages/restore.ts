/**
 * Stage 6, restore: the global pass over the whole photo, in place, in rows
 * of overlapping tiles, reporting each tile (and each sampler step in
 * generative mode) and letting a cancel in between them. Skipped when the
 * instruction asks for the faces only — except for faces too small for the
 * face pass: then only their areas are restored, and blended in with a soft edge.
 */
import type { Face, Rect, StageContext, TileRestorer } from '../types.js';
import type { DecodedImage } from '../pipeline/image-io.js';
import type { Understood } from './understand.js';
import { restoreInBands } from '../pipeline/band-restore.js';
import { planTiles } from '../pipeline/tile-plan.js';
import { clampRect, copyRegion8 } from '../pipeline/image-buffer.js';

export async function restore(image: DecodedImage, restorer: TileRestorer, scope: Understood['scope'], ctx: StageContext, faceAreas: Face[] = []): Promise<void> {
  if (scope === 'faces') {
    if (faceAreas.length) await restoreFaceAreas(image, restorer, faceAreas, ctx);
    return;
  }
  const tiles = planTiles(image.width, image.height, restorer.tileSize, restorer.overlap).length;
  const steps = restorer.stepsPerTile ?? 0;
  let tilesDone = 0;
  const report = async (stepsDone: number) => {
    ctx.throwIfCancelled();
    const fraction = (tilesDone + (steps ? stepsDone / (steps + 1) : 0)) / tiles;
    const message = steps && stepsDone ? `Tile ${tilesDone + 1} of ${tiles}, step ${stepsDone} of ${steps}` : `Tile ${tilesDone} of ${tiles}`;
    ctx.progress({ stage: 'restore', fraction: 0.05 + 0.75 * fraction, message, data: { tile: tilesDone, tiles, ...(steps ? { step: stepsDone, steps } : {}) } });
    // Let cancel messages in between tiles and sampler steps.
    await new Promise((r) => setImmediate(r));
  };
  await restoreInBands(image.rgb8, image.width, image.height, {
    tileSize: restorer.tileSize,
    overlap: restorer.overlap,
    restoreTile: (tile, w, h, at) => restorer.restoreTile(tile, w, h, { x: at.x, y: at.y, onStep: (done) => report(done) }),
    onTile: async (done) => {
      tilesDone = done;
      await report(0);
    },
  });
}

/** How far a face's area reaches beyond its box (hair, chin, ears), as a share of the box's larger side. */
export const FACE_AREA_MARGIN = 0.35;

/**
 * "Only the faces" for faces the face pass cannot take: each face's area (its box grown by FACE_AREA_MARGIN)
 * restored by the whole photo's restorer from a crop with a tile overlap of context around it, and blended
 * into the photo with a feathered edge; every pixel outside the areas stays exactly as it was. All crops are
 * read from the photo before any is written, so neighbouring faces do not restore each other twice.
 */
export async function restoreFaceAreas(image: DecodedImage, restorer: TileRestorer, faces: Face[], ctx: StageContext): Promise<void> {
  const { width, height, rgb8 } = image;
  // The faces are those lying mostly inside the photo (facesInRegion), so every area is at least a pixel.
  const jobs = faces.map((f) => {
    const area = faceArea(f, width, height), c = restorer.overlap;
    const at = clampRect({ x: area.x - c, y: area.y - c, w: area.w + 2 * c, h: area.h + 2 * c }, width, height);
    return { area, crop: { ...at, rgb: copyRegion8(rgb8, width, at) } };
  });
  let done = 0;
  for (const { crop } of jobs) {
    await restoreInBands(crop.rgb, crop.w, crop.h, {
      tileSize: restorer.tileSize,
      overlap: restorer.overlap,
      restoreTile: (tile, w, h, at) => restorer.restoreTile(tile, w, h, { x: crop.x + at.x, y: crop.y + at.y }),
      onTile: async () => {
        ctx.throwIfCancelled();
        await new Promise((r) => setImmediate(r));
      },
    });
    ctx.progress({ stage: 'restore', fraction: 0.05 + (0.75 * ++done) / jobs.length, message: `Face area ${done} of ${jobs.length}` });
  }
  for (const { area, crop } of jobs) blendArea(rgb8, width, area, crop);
}

/** A face's area: its box grown by FACE_AREA_MARGIN of its larger side, inside the photo. */
export function faceArea(f: Face, width: number, height: number): Rect {
  const m = FACE_AREA_MARGIN * Math.max(f.box.w, f.box.h);
  return clampRect({ x: f.box.x - m, y: f.box.y - m, w: f.box.w + 2 * m, h: f.box.h + 2 * m }, width, height);
}

/** Blends `src` (a crop of the photo at src.x, src.y that covers `area`) into the photo over `area`: weight 1 inside, falling linearly to 0 over its outer quarter. */
function blendArea(rgb8: Uint8Array, width: number, area: Rect, src: Rect & { rgb: Uint8Array }): void {
  const x1 = area.x + area.w, y1 = area.y + area.h;
  const feather = Math.max(2, Math.round(0.25 * Math.min(area.w, area.h)));
  for (let y = area.y; y < y1; y++) {
    const wy = Math.min(1, (y - area.y + 0.5) / feather, (y1 - y - 0.5) / feather);
    for (let x = area.x; x < x1; x++) {
      const a = Math.min(wy, (x - area.x + 0.5) / feather, (x1 - x - 0.5) / feather);
      if (a <= 0) continue;
      const p = (y * width + x) * 3, q = ((y - src.y) * src.w + (x - src.x)) * 3;
      for (let k = 0; k < 3; k++) rgb8[p + k] = Math.round(rgb8[p + k]! + a * (src.rgb[q + k]! - rgb8[p + k]!));
    }
  }
}

/**
 * Faces too small for the face pass that the words keep as they were ("keep the faces exactly as they are",
 * "only the background"): their areas' original pixels, read now; the function returned puts them back,
 * with the same feathered edge, once the photo is restored.
 */
export function keepFaceAreas(image: DecodedImage, faces: Face[]): () => void {
  const { width, height, rgb8 } = image;
  const saved = faces.map((f) => {
    const area = faceArea(f, width, height);
    return { area, crop: { ...area, rgb: copyRegion8(rgb8, width, area) } };
  });
  return () => {
    for (const { area, crop } of saved) blendArea(image.rgb8, width, area, crop);
  };
}
