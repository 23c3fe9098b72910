/**
 * Stage 6, restore: the global pass over the whole photo, in place, in rows
 * of overlapping tiles, reporting each tile (and each sampler step in
 * generative mode) and letting a cancel in between them. Skipped when the
 * instruction asks for the faces only.
 */
import type { StageContext, TileRestorer } from '../types.js';
import type { DecodedImage } from '../pipeline/image-io.js';
import type { Understood } from './understand.js';
import { restoreInBands } from '../pipeline/band-restore.js';
import { planTiles } from '../pipeline/tile-plan.js';

export async function restore(image: DecodedImage, restorer: TileRestorer, scope: Understood['scope'], ctx: StageContext): Promise<void> {
  if (scope === 'faces') return;
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
