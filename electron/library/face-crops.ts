/**
 * A face's picture for the people view: its box (in the original's upright
 * pixels) grown by a third, made square, 160 px, as sRGB JPEG in
 * thumbnails/faces/. Cut from the photo's preview when the face is big
 * enough there, else from the original. Named by face id and the photo's
 * content, so a face found again (a new id) gets a new crop.
 */
import path from 'node:path';
import { RestoraError } from '../shared/errors.js';
import { MEDIA_SIZE_PX } from '../shared/media.js';
import type { Library } from './library.js';
import { exists, openImage, photoThumbPaths, renderThumbnails } from './thumbnails.js';
import { checkOriginal } from './media.js';
import { writeFileAtomic } from '../node/atomic-write.js';
import fs from 'node:fs/promises';

const SIDE = 160;

interface FaceSource {
  x: number;
  y: number;
  w: number;
  h: number;
  photo_id: number;
  path: string;
  missing: number;
  sha256: string;
  width: number;
  height: number;
}

export function faceCropPath(lib: Library, faceId: number, sha256: string): string {
  return path.join(lib.paths.thumbnails, 'faces', `${faceId}-${sha256.slice(0, 16)}.jpg`);
}

export async function faceCrop(lib: Library, faceId: number): Promise<{ path: string; mime: string }> {
  const f = lib.db
    .prepare('SELECT f.x, f.y, f.w, f.h, f.photo_id, p.path, p.missing, p.sha256, p.width, p.height FROM faces f JOIN photos p ON p.id = f.photo_id WHERE f.id = ?')
    .get(faceId) as FaceSource | undefined;
  if (!f) throw new RestoraError('NotFound', `No face ${faceId}`);
  const target = faceCropPath(lib, faceId, f.sha256);
  if (await exists(target)) return { path: target, mime: 'image/jpeg' };
  const side = Math.max(f.w, f.h) * 1.33;
  const cx = f.x + f.w / 2, cy = f.y + f.h / 2;
  const previewScale = Math.min(1, MEDIA_SIZE_PX.preview / Math.max(f.width, f.height));
  const fromPreview = side * previewScale >= SIDE * 0.75;
  let source = f.path;
  let k = 1;
  if (fromPreview) {
    const thumbs = photoThumbPaths(lib.paths.thumbnails, f.sha256);
    if (!(await exists(thumbs.preview))) {
      if (!(await checkOriginal(lib, { id: f.photo_id, path: f.path, missing: f.missing }))) throw new RestoraError('NotFound', `The original of photo ${f.photo_id} is missing`);
      await renderThumbnails(f.path, thumbs);
    }
    source = thumbs.preview;
    k = previewScale;
  } else if (!(await checkOriginal(lib, { id: f.photo_id, path: f.path, missing: f.missing }))) {
    throw new RestoraError('NotFound', `The original of photo ${f.photo_id} is missing`);
  }
  const img = openImage(source).autoOrient();
  const { width = 0, height = 0 } = await openImage(source).autoOrient().metadata().then((m) => ((m.orientation ?? 1) >= 5 ? { width: m.height, height: m.width } : m));
  const left = Math.max(0, Math.round((cx - side / 2) * k)), top = Math.max(0, Math.round((cy - side / 2) * k));
  const w = Math.max(1, Math.min(width - left, Math.round(side * k))), h = Math.max(1, Math.min(height - top, Math.round(side * k)));
  if (left >= width || top >= height) throw new RestoraError('CorruptInput', `Face ${faceId} lies outside its photo`);
  const jpeg = await img.extract({ left, top, width: w, height: h }).resize(SIDE, SIDE, { fit: 'cover' }).toColourspace('srgb').jpeg({ quality: 85 }).toBuffer();
  await fs.mkdir(path.dirname(target), { recursive: true });
  await writeFileAtomic(target, jpeg);
  return { path: target, mime: 'image/jpeg' };
}
