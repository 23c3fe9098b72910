/**
 * The tile size Settings chose (RESTORA_TILE_SIZE, set by the broker when it
 * starts the engine) laid over a model's own tile: rounded down to the
 * multiple the model needs, with the model's overlap kept at most a quarter
 * of the tile. 0 or nothing means the model's own tile.
 */
export interface TileSpec {
  size: number;
  overlap: number;
  multiple: number;
}

export function chosenTile(model: TileSpec, setting: string | number | undefined = process.env.RESTORA_TILE_SIZE): TileSpec {
  const n = Math.floor(Number(setting));
  if (!Number.isFinite(n) || n <= 0) return model;
  const multiple = Math.max(1, model.multiple);
  const size = Math.max(multiple, Math.floor(n / multiple) * multiple);
  return { size, overlap: Math.min(model.overlap, Math.floor(size / 4)), multiple };
}
