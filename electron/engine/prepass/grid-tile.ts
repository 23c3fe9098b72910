/**
 * Pre-passes: small fully convolutional models that run on each tile of the photo before the restorer
 * (the JPEG artefact remover, the detail restorer). Each reads the photo in cells of `grid` pixels (its
 * pixel-unshuffle factor), so every tile it is given must measure a multiple of the grid; a model that reads
 * the photo's own cells (JPEG's 8×8 blocks) also needs the tile to start on the photo's grid. A tile that
 * does not is padded (edge pixels repeated) before and after, and the padding is cut off again.
 */
import { ort } from '../ort.js';
import { RestoraError } from '../../shared/errors.js';
import type { LoadedModel } from '../session-cache.js';
import type { TileRestorer } from '../types.js';

/**
 * One HWC RGB tile (0..1) whose top-left pixel is at (x0, y0) in the photo, through the model (input
 * `image`, output `restored`, NCHW). The model sees it padded onto the grid; the result has the tile's own
 * size, and a non-finite output pixel keeps the input's value.
 */
export async function runGridTile(model: LoadedModel, grid: number, rgb: Float32Array, w: number, h: number, x0: number, y0: number): Promise<Float32Array> {
  const left = ((x0 % grid) + grid) % grid, top = ((y0 % grid) + grid) % grid;
  const W = Math.ceil((left + w) / grid) * grid, H = Math.ceil((top + h) / grid) * grid;
  const plane = W * H;
  const chw = new Float32Array(3 * plane);
  for (let y = 0; y < H; y++) {
    const sy = Math.min(h - 1, Math.max(0, y - top));
    for (let x = 0; x < W; x++) {
      const s = (sy * w + Math.min(w - 1, Math.max(0, x - left))) * 3;
      const q = y * W + x;
      chw[q] = rgb[s]!;
      chw[plane + q] = rgb[s + 1]!;
      chw[2 * plane + q] = rgb[s + 2]!;
    }
  }
  const result = await model.session.run({ image: new ort.Tensor('float32', chw, [1, 3, H, W]) });
  const out = result.restored;
  if (!out || out.dims.join('x') !== `1x3x${H}x${W}`) {
    throw new RestoraError('Internal', `${model.model.id} returned ${out?.dims.join('×')} for a ${W}×${H} tile`);
  }
  const o = out.data as Float32Array;
  const rgbOut = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const q = (y + top) * W + x + left, d = (y * w + x) * 3;
      for (let c = 0; c < 3; c++) {
        const v = o[c * plane + q]!;
        rgbOut[d + c] = Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : rgb[d + c]!;
      }
    }
  }
  return rgbOut;
}

/**
 * A restorer whose tiles go through `pass` first; the pass's model is named in the recipe. `origin`: where
 * the restored image starts in the photo (a region's corner), so tiles land on the photo's grid.
 */
export function withPrePass<T extends TileRestorer>(
  inner: T,
  model: LoadedModel,
  pass: (model: LoadedModel, rgb: Float32Array, w: number, h: number, x0: number, y0: number) => Promise<Float32Array>,
  origin = { x: 0, y: 0 },
): T {
  const m = model.model.manifest!;
  return {
    ...inner,
    models: [...inner.models, { id: m.id, version: m.version, sha256: m.sha256 }],
    async restoreTile(rgb, w, h, call) {
      const before = await pass(model, rgb, w, h, origin.x + (call?.x ?? 0), origin.y + (call?.y ?? 0));
      return inner.restoreTile(before, w, h, call);
    },
  };
}
