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
import { ort } from '../ort.js';
import { RestoraError } from '../../shared/errors.js';
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
 * The model sees it padded onto the grid; the result has the tile's own size.
 */
export async function removeJpegTile(model: LoadedModel, rgb: Float32Array, w: number, h: number, x0: number, y0: number): Promise<Float32Array> {
  const left = ((x0 % JPEG_GRID) + JPEG_GRID) % JPEG_GRID, top = ((y0 % JPEG_GRID) + JPEG_GRID) % JPEG_GRID;
  const W = Math.ceil((left + w) / JPEG_GRID) * JPEG_GRID, H = Math.ceil((top + h) / JPEG_GRID) * JPEG_GRID;
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
    throw new RestoraError('Internal', `JPEG artefact remover ${model.model.id} returned ${out?.dims.join('×')} for a ${W}×${H} tile`);
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
 * A restorer whose tiles lose their JPEG artefacts first; the model is named in the recipe. `origin`: where
 * the restored image starts in the photo as it was compressed (a region's corner), so tiles land on its grid.
 */
export function withJpegRemover<T extends TileRestorer>(inner: T, model: LoadedModel, origin = { x: 0, y: 0 }): T {
  const m = model.model.manifest!;
  return {
    ...inner,
    models: [...inner.models, { id: m.id, version: m.version, sha256: m.sha256 }],
    async restoreTile(rgb, w, h, call) {
      const clean = await removeJpegTile(model, rgb, w, h, origin.x + (call?.x ?? 0), origin.y + (call?.y ?? 0));
      return inner.restoreTile(clean, w, h, call);
    },
  };
}
