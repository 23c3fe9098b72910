/**
 * The learned detail restorer (a model of task 'detail-restorer', restora-detail in models/zoo): a small
 * fully convolutional network trained on blind degradations (blur, downscaling in random modes, noise, JPEG,
 * once or twice) that gives back some of the detail they took, and leaves a photo that lost none nearly as it
 * was. It reads the photo in cells of `semantics.grid` pixels (its pixel-unshuffle factor), so each tile is
 * padded to a multiple of that; unlike JPEG blocks the cells are not the photo's own, so where a tile starts
 * does not matter.
 *
 * In the pipeline it runs on each tile of the whole photo before the restorer (after the JPEG artefact remover
 * when both run), when the blur is to be fixed: the words ask for it or for crisp detail, or they say nothing of
 * blur or sharpness and the integrator reads blur in the photo (stage: restore-file.ts `detailRestorerFor`).
 */
import type { RegisteredModel } from '../../node/model-registry.js';
import type { LoadedModel } from '../session-cache.js';
import type { TileRestorer } from '../types.js';
import { runGridTile, withPrePass } from '../prepass/grid-tile.js';

/** The detail restorer to use: the user's own when it is usable, else the shipped one. */
export function findDetailRestorer(models: RegisteredModel[]): RegisteredModel | null {
  const usable = models.filter((m) => m.ok && m.manifest?.task === 'detail-restorer');
  return usable.find((m) => m.source === 'user') ?? usable[0] ?? null;
}

/** The model's cell size: its manifest's `semantics.grid` (4 for restora-detail 1.x). */
export function detailGrid(model: LoadedModel): number {
  const g = Number((model.model.manifest?.semantics as { grid?: unknown } | undefined)?.grid ?? 4);
  return Number.isInteger(g) && g >= 1 && g <= 16 ? g : 4;
}

/** One HWC RGB tile (0..1) with its lost detail restored; the result has the tile's own size. */
export function restoreDetailTile(model: LoadedModel, rgb: Float32Array, w: number, h: number): Promise<Float32Array> {
  return runGridTile(model, detailGrid(model), rgb, w, h, 0, 0);
}

/** A restorer whose tiles get their detail back first; the model is named in the recipe. */
export function withDetailRestorer<T extends TileRestorer>(inner: T, model: LoadedModel): T {
  return withPrePass(inner, model, restoreDetailTile);
}
