/**
 * The global pass over the whole photo in rows of overlapping tiles, with
 * memory bounded by one row of tiles: each tile row accumulates into a band
 * buffer, and the rows that no later tile touches are written back into the
 * 8-bit image in place (no later tile reads them either). Blending is the
 * cross-fade of tile-plan.ts, so there are no seams.
 */
import { planTiles, TileBlender, type Tile } from './tile-plan.js';
import { readRegion, writeRegion } from './image-buffer.js';

export interface BandOptions {
  tileSize: number;
  overlap: number;
  /** `tile` says where the tile lies in the photo (position-dependent noise in generative mode). */
  restoreTile(rgb: Float32Array, w: number, h: number, tile: Tile): Promise<Float32Array>;
  onTile?(done: number, total: number): Promise<void> | void;
}

export async function restoreInBands(rgb8: Uint8Array, width: number, height: number, opts: BandOptions): Promise<void> {
  const tiles = planTiles(width, height, opts.tileSize, opts.overlap);
  const rows = new Map<number, Tile[]>();
  for (const t of tiles) rows.set(t.y, [...(rows.get(t.y) ?? []), t]);
  const rowStarts = [...rows.keys()].sort((a, b) => a - b);
  let done = 0;
  // The band holds rows [bandTop, bandTop + band.height) of the image being accumulated.
  let bandTop = 0;
  let band: TileBlender | null = null;
  let carry: { sum: Float32Array; weight: Float32Array; rows: number } | null = null;

  for (let r = 0; r < rowStarts.length; r++) {
    const y = rowStarts[r]!;
    const rowTiles = rows.get(y)!;
    const rowBottom = Math.max(...rowTiles.map((t) => t.y + t.h));
    // A blender spanning from the first unfinished row to the bottom of this tile row.
    band = new TileBlender(width, rowBottom - bandTop, 3, opts.overlap, { top: bandTop, fullHeight: height });
    if (carry) {
      band.sum.set(carry.sum);
      band.weight.set(carry.weight);
    }
    for (const t of rowTiles) {
      const input = readRegion(rgb8, width, t);
      const out = await opts.restoreTile(input, t.w, t.h, t);
      band.add(t, out);
      await opts.onTile?.(++done, tiles.length);
    }
    // Rows above the next tile row are final: nothing later adds to them or reads them.
    const nextY = r + 1 < rowStarts.length ? rowStarts[r + 1]! : height;
    const finalRows = nextY - bandTop;
    const result = band.result();
    writeRegion(rgb8, width, { x: 0, y: bandTop, w: width, h: finalRows }, result.subarray(0, finalRows * width * 3));
    const keep = band.height - finalRows;
    carry = keep > 0 ? { sum: band.sum.slice(finalRows * width * 3), weight: band.weight.slice(finalRows * width), rows: keep } : null;
    bandTop = nextY;
  }
}
