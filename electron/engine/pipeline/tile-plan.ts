/**
 * Splits an image into overlapping tiles and blends results back without
 * seams: each tile's contribution ramps linearly to zero across the overlap,
 * so neighbouring tiles cross-fade. Pure functions over plain arrays.
 */

export interface Tile {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Tile origins along one axis: evenly spread, each `size` long, overlapping by at least `overlap`. */
function axis(length: number, size: number, overlap: number): number[] {
  if (length <= size) return [0];
  const step = Math.max(1, size - overlap);
  const count = Math.ceil((length - size) / step) + 1;
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(Math.round((i * (length - size)) / (count - 1)));
  return out;
}

export function planTiles(width: number, height: number, size: number, overlap: number): Tile[] {
  if (width < 1 || height < 1) return [];
  const o = Math.min(overlap, Math.floor(size / 2));
  const tiles: Tile[] = [];
  for (const y of axis(height, size, o)) {
    for (const x of axis(width, size, o)) tiles.push({ x, y, w: Math.min(size, width - x), h: Math.min(size, height - y) });
  }
  return tiles;
}

/** Weight of a pixel at offset `i` in a tile of length `n` whose edges are interior (ramped) or at the image border. */
function ramp(i: number, n: number, ramp: number, startIsEdge: boolean, endIsEdge: boolean): number {
  let w = 1;
  if (!startIsEdge && ramp > 0) w = Math.min(w, (i + 0.5) / ramp);
  if (!endIsEdge && ramp > 0) w = Math.min(w, (n - i - 0.5) / ramp);
  return Math.max(1e-3, Math.min(1, w));
}

/**
 * Accumulates tile outputs (HWC float, `channels` per pixel) into a full image
 * and normalises by the summed weights at the end.
 */
export class TileBlender {
  readonly sum: Float32Array;
  readonly weight: Float32Array;

  private readonly top: number;
  private readonly fullHeight: number;

  /**
   * `frame` lets a blender cover only a horizontal band of a taller image
   * (rows top .. top+height of an image fullHeight tall); tiles stay in image coordinates.
   */
  constructor(readonly width: number, readonly height: number, readonly channels: number, readonly overlap: number, frame?: { top: number; fullHeight: number }) {
    this.sum = new Float32Array(width * height * channels);
    this.weight = new Float32Array(width * height);
    this.top = frame?.top ?? 0;
    this.fullHeight = frame?.fullHeight ?? height;
  }

  add(tile: Tile, data: Float32Array): void {
    const { width, channels, overlap, top } = this;
    const height = this.fullHeight;
    const rx = Math.min(overlap, Math.floor(tile.w / 2));
    const ry = Math.min(overlap, Math.floor(tile.h / 2));
    for (let ty = 0; ty < tile.h; ty++) {
      const wy = ramp(ty, tile.h, ry, tile.y === 0, tile.y + tile.h >= height);
      for (let tx = 0; tx < tile.w; tx++) {
        const w = wy * ramp(tx, tile.w, rx, tile.x === 0, tile.x + tile.w >= width);
        const p = (tile.y - top + ty) * width + tile.x + tx;
        const src = (ty * tile.w + tx) * channels;
        this.weight[p]! += w;
        for (let c = 0; c < channels; c++) this.sum[p * channels + c]! += w * data[src + c]!;
      }
    }
  }

  result(): Float32Array {
    const out = new Float32Array(this.sum.length);
    for (let p = 0; p < this.weight.length; p++) {
      const w = this.weight[p]! || 1;
      for (let c = 0; c < this.channels; c++) out[p * this.channels + c] = this.sum[p * this.channels + c]! / w;
    }
    return out;
  }
}

/** Copies a tile out of an HWC image. */
export function cropTile(img: Float32Array, width: number, channels: number, t: Tile): Float32Array {
  const out = new Float32Array(t.w * t.h * channels);
  for (let y = 0; y < t.h; y++) {
    const from = ((t.y + y) * width + t.x) * channels;
    out.set(img.subarray(from, from + t.w * channels), y * t.w * channels);
  }
  return out;
}
