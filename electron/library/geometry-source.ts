/**
 * A photo with its recipe's crop, quarter turns and straightening applied:
 * the picture the engine restores (and the Restore panel previews) when the
 * user cropped or straightened it. The original is never touched; the result
 * is a lossless PNG in the cache, named by content hash and geometry, so the
 * same request is rendered once.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import sharp, { type OutputInfo, type Sharp } from 'sharp';
import { RestoraError } from '../shared/errors.js';
import { Geometry, checkGeometry, cropPixels, straightenedSize, type ResolvedGeometry } from '../shared/geometry.js';
import { MEDIA_SIZE_PX } from '../shared/media.js';
import type { Library } from './library.js';
import { photoSource } from './media.js';
import { exists, openImage } from './thumbnails.js';
import { writeFileAtomic } from '../node/atomic-write.js';

export interface GeometrySource {
  path: string;
  width: number;
  height: number;
}

function geometryKey(g: ResolvedGeometry): string {
  return createHash('sha256').update(JSON.stringify([g.rotate, g.straighten, g.crop ?? null])).digest('hex').slice(0, 16);
}

/** Renders the upright photo at `file` through the geometry, as raw pixels. */
async function render(file: string, g: ResolvedGeometry): Promise<{ data: Buffer; width: number; height: number; channels: 3 | 4 }> {
  const raw = (img: Sharp) => img.raw().toBuffer({ resolveWithObject: true });
  const asImage = (r: { data: Buffer; info: OutputInfo }) => sharp(r.data, { raw: { width: r.info.width, height: r.info.height, channels: r.info.channels as 3 | 4 } });
  // Quarter turns are exact (no resampling); straightening resamples once; the crop only cuts.
  let cur = await raw(openImage(file).autoOrient().toColourspace('srgb').rotate(g.rotate));
  const turned = { width: cur.info.width, height: cur.info.height };
  if (Math.abs(g.straighten) >= 0.01) {
    // `turned` is already turned: only the straightening is left to size.
    const target = straightenedSize(turned, { rotate: 0, straighten: g.straighten });
    const rotated = await raw(asImage(cur).rotate(g.straighten, { background: { r: 255, g: 255, b: 255, alpha: 1 } }));
    const left = Math.max(0, Math.round((rotated.info.width - target.width) / 2));
    const top = Math.max(0, Math.round((rotated.info.height - target.height) / 2));
    cur = await raw(asImage(rotated).extract({ left, top, width: Math.min(target.width, rotated.info.width - left), height: Math.min(target.height, rotated.info.height - top) }));
  }
  if (g.crop) {
    const c = cropPixels({ width: cur.info.width, height: cur.info.height }, g.crop);
    cur = await raw(asImage(cur).extract(c));
  }
  return { data: cur.data, width: cur.info.width, height: cur.info.height, channels: cur.info.channels as 3 | 4 };
}

async function writeAtomic(target: string, data: Buffer): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  await writeFileAtomic(target, data);
}

/** An image file outside the library (folder batches): its upright size and a hash of its bytes. */
async function fileSource(file: string): Promise<{ path: string; width: number; height: number; sha256: string }> {
  let meta;
  try {
    meta = await openImage(file).metadata();
  } catch (err) {
    throw new RestoraError('CorruptInput', `${path.basename(file)} could not be read: ${String((err as Error).message).split('\n')[0]}`);
  }
  const swap = (meta.orientation ?? 1) >= 5;
  const sha256 = createHash('sha256').update(await fs.readFile(file)).digest('hex');
  return { path: file, width: swap ? meta.height! : meta.width!, height: swap ? meta.width! : meta.height!, sha256 };
}

/** The geometry-applied picture of a photo (or an image file), full size (for the engine) or preview size (for the Restore panel). */
export async function geometrySource(lib: Library, photo: { photoId?: number | undefined; file?: string | undefined }, geometry: unknown, size: 'full' | 'preview' = 'full'): Promise<GeometrySource> {
  const parsed = Geometry.safeParse(geometry);
  if (!parsed.success) throw new RestoraError('BadRequest', parsed.error.issues[0]?.message ?? 'Invalid crop or rotation');
  const g = parsed.data;
  const source = photo.photoId !== undefined ? await photoSource(lib, photo.photoId) : await fileSource(photo.file!);
  try {
    checkGeometry({ width: source.width, height: source.height }, g);
  } catch (err) {
    throw new RestoraError('BadRequest', (err as Error).message);
  }
  const dir = path.join(lib.paths.cache, 'sources');
  const target = path.join(dir, `${source.sha256}-${geometryKey(g)}-${size}.${size === 'full' ? 'png' : 'jpg'}`);
  if (await exists(target)) {
    const meta = await sharp(target).metadata();
    return { path: target, width: meta.width!, height: meta.height! };
  }
  let img;
  try {
    img = await render(source.path, g);
  } catch (err) {
    if (err instanceof RestoraError) throw err;
    throw new RestoraError('CorruptInput', `Could not crop or turn this photo: ${String((err as Error).message).split('\n')[0]}`);
  }
  let encoded = sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels } });
  let dims = { width: img.width, height: img.height };
  if (size === 'preview') {
    const long = MEDIA_SIZE_PX.preview;
    const k = Math.min(1, long / Math.max(img.width, img.height));
    dims = { width: Math.max(1, Math.round(img.width * k)), height: Math.max(1, Math.round(img.height * k)) };
    encoded = encoded.resize(dims.width, dims.height).flatten({ background: '#ffffff' }).jpeg({ quality: 88 });
  } else encoded = encoded.png({ compressionLevel: 3 });
  await writeAtomic(target, await encoded.toBuffer());
  return { path: target, ...dims };
}

/** A preview-size sRGB JPEG of any image file, in the cache (named by the file's path and modification time). */
export async function previewFile(lib: Library, file: string): Promise<{ path: string }> {
  const st = await fs.stat(file).catch(() => null);
  if (!st) throw new RestoraError('NotFound', `${path.basename(file)} does not exist`);
  const key = createHash('sha256').update(`${file}\u0000${st.mtimeMs}\u0000${st.size}`).digest('hex').slice(0, 24);
  const target = path.join(lib.paths.cache, 'previews', `file-${key}.jpg`);
  if (!(await exists(target))) {
    const long = MEDIA_SIZE_PX.preview;
    const data = await openImage(file)
      .autoOrient()
      .resize(long, long, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .jpeg({ quality: 85 })
      .toBuffer()
      .catch((err: Error) => {
        throw new RestoraError('CorruptInput', `${path.basename(file)} could not be shown: ${err.message.split('\n')[0]}`);
      });
    await writeAtomic(target, data);
  }
  return { path: target };
}
