/**
 * Renders a degradation recipe onto a clean image: ops in recipe order, the
 * image clamped to [0, 1] after each, a downsampled image resized back to the
 * original size at the very end. With `keep`, only the named ops are applied —
 * the component images instruction targets need (e.g. clean + the same grain).
 * Pixels are close to, not identical with, the Python renderer (JPEG goes
 * through sharp/libjpeg-turbo rather than PIL, rasterisers differ).
 */
import sharp from 'sharp';
import type { DegradationOp, DegradationRecipe, OpName } from './recipe.js';
import { blur, cast, clamp01, fade, grain, mono, noise } from './ops.js';
import { drawDust, drawScratches } from './damage.js';
import { resample } from './resample.js';
import { pyRound } from './prng.js';
import type { RgbImage } from '../types.js';


/** Round-trips through an 8-bit 4:2:0 JPEG at `quality`. */
export async function jpegRoundTrip(x: Float32Array, w: number, h: number, quality: number): Promise<Float32Array> {
  const buf = Buffer.alloc(w * h * 3);
  for (let i = 0; i < buf.length; i++) buf[i] = Math.floor(Math.min(1, Math.max(0, x[i]!)) * 255 + 0.5);
  const jpg = await sharp(buf, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality, chromaSubsampling: '4:2:0' }).toBuffer();
  const { data, info } = await sharp(jpg).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const out = new Float32Array(w * h * 3);
  for (let p = 0; p < w * h; p++) for (let c = 0; c < 3; c++) out[p * 3 + c] = data[p * info.channels + Math.min(c, info.channels - 1)]! / 255;
  return out;
}

/** One op at the image's current size (which differs from the original after a downsample). */
async function applyOp(x: Float32Array, w: number, h: number, op: DegradationOp): Promise<Float32Array> {
  switch (op.op) {
    case 'grain': return grain(x, w, h, op.amount, op.size, op.seed);
    case 'blur': return blur(x, w, h, op.sigma_x, op.sigma_y, op.theta);
    case 'fade': return fade(x, op.amount);
    case 'mono': return mono(x);
    case 'cast': return cast(x, op.kind, op.strength, op.gains);
    case 'scratches': return drawScratches(x, w, h, op.lines);
    case 'dust': return drawDust(x, w, h, op.count, op.seed);
    case 'noise': return noise(x, w, h, op.sigma, op.gray, op.seed);
    case 'jpeg': return jpegRoundTrip(x, w, h, op.quality);
    case 'downsample': throw new Error('downsample changes the size; handled by applyRecipe');
  }
}

export async function applyRecipe(img: RgbImage, recipe: DegradationRecipe, opts: { keep?: Iterable<OpName> } = {}): Promise<RgbImage> {
  const { width: W, height: H } = img;
  if (img.rgb.length !== W * H * 3) throw new Error(`applyRecipe: ${W}×${H} RGB needs ${W * H * 3} values, got ${img.rgb.length}`);
  const keep = opts.keep ? new Set(opts.keep) : null;
  let x: Float32Array = img.rgb.slice();
  let w = W, h = H;
  for (const op of recipe.ops) {
    if (keep && !keep.has(op.op)) continue;
    if (op.op === 'downsample') {
      const nw = Math.max(1, pyRound(W / op.r, 0)), nh = Math.max(1, pyRound(H / op.r, 0));
      x = resample(x, w, h, 3, nw, nh, 'bilinear');
      w = nw;
      h = nh;
    } else {
      x = await applyOp(x, w, h, op);
    }
    clamp01(x);
  }
  if (w !== W || h !== H) x = clamp01(resample(x, w, h, 3, W, H, 'bilinear'));
  return { width: W, height: H, rgb: x };
}
