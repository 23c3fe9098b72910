/**
 * The learned JPEG artefact remover (a model of task 'jpeg-remover', restora-dejpeg in models/zoo). JPEG
 * quantises each 8×8 block of the photo on its own, and the model reads the photo block by block, so every
 * tile it is given must start on the photo's 8-pixel grid and measure a multiple of 8: a tile that does not is
 * padded (edge pixels repeated) before and after, and the padding is cut off again. Tiles of the restore
 * stage start anywhere; this is where they are put back on the grid.
 *
 * In the pipeline it runs first on each tile of the whole photo, before the restorer and the explicit
 * operations (`withJpegRemover`), when the plan says to fix JPEG artefacts; it then stands in for the explicit
 * deblocking filter. Face crops are aligned and scaled, not on the grid, and keep the filter.
 */
import { runGridTile, withPrePass } from '../prepass/grid-tile.js';
import type { RegisteredModel } from '../../node/model-registry.js';
import type { LoadedModel } from '../session-cache.js';
import type { TileRestorer } from '../types.js';

export const JPEG_GRID = 8;

/** The JPEG artefact remover to use: the user's own when it is usable, else the shipped one. */
export function findJpegRemover(models: RegisteredModel[]): RegisteredModel | null {
  const usable = models.filter((m) => m.ok && m.manifest?.task === 'jpeg-remover');
  return usable.find((m) => m.source === 'user') ?? usable[0] ?? null;
}

/**
 * One HWC RGB tile (0..1) whose top-left pixel is at (x0, y0) in the photo, without its JPEG artefacts.
 * The model sees it padded onto the photo's 8-pixel grid; the result has the tile's own size.
 */
export function removeJpegTile(model: LoadedModel, rgb: Float32Array, w: number, h: number, x0: number, y0: number): Promise<Float32Array> {
  return runGridTile(model, JPEG_GRID, rgb, w, h, x0, y0);
}

/**
 * A restorer whose tiles lose their JPEG artefacts first; the model is named in the recipe. `origin`: where
 * the restored image starts in the photo as it was compressed (a region's corner), so tiles land on its grid.
 */
export function withJpegRemover<T extends TileRestorer>(inner: T, model: LoadedModel, origin = { x: 0, y: 0 }): T {
  return withPrePass(inner, model, removeJpegTile, origin);
}
