/**
 * The faces the engine found in each photo (migration 009): stored per face
 * so the photo view can show them, counted in photos.faces for the Faces
 * filter. Storing replaces what an earlier analysis found.
 */
import type { FaceBox } from '../shared/contract/engine.js';
import { RestoraError } from '../shared/errors.js';
import type { Library } from './library.js';

interface FaceRow {
  x: number;
  y: number;
  w: number;
  h: number;
  score: number;
  landmarks: string | null;
}

function requirePhoto(lib: Library, photoId: number): { width: number; height: number; faces: number | null } {
  const row = lib.db.prepare('SELECT width, height, faces FROM photos WHERE id = ?').get(photoId) as { width: number; height: number; faces: number | null } | undefined;
  if (!row) throw new RestoraError('NotFound', `No photo ${photoId}`);
  return row;
}

export function storeFaces(lib: Library, photoId: number, faces: readonly FaceBox[], now = new Date()): void {
  lib.db.transaction(() => {
    requirePhoto(lib, photoId);
    lib.db.prepare('DELETE FROM faces WHERE photo_id = ?').run(photoId);
    const insert = lib.db.prepare('INSERT INTO faces(photo_id, x, y, w, h, score, landmarks, found_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (const f of faces) insert.run(photoId, f.x, f.y, f.w, f.h, f.score, f.landmarks ? JSON.stringify(f.landmarks) : null, now.toISOString());
    lib.db.prepare('UPDATE photos SET faces = ? WHERE id = ?').run(faces.length, photoId);
  })();
}

/** The stored faces, largest first; null when the photo was never analysed (a count set without boxes gives []). */
export function photoFaces(lib: Library, photoId: number): { photoId: number; width: number; height: number; faces: FaceBox[] | null } {
  const photo = requirePhoto(lib, photoId);
  if (photo.faces === null) return { photoId, width: photo.width, height: photo.height, faces: null };
  const rows = lib.db.prepare('SELECT x, y, w, h, score, landmarks FROM faces WHERE photo_id = ? ORDER BY w * h DESC, id').all(photoId) as FaceRow[];
  return {
    photoId,
    width: photo.width,
    height: photo.height,
    faces: rows.map((r) => ({ x: r.x, y: r.y, w: r.w, h: r.h, score: r.score, ...(r.landmarks ? { landmarks: JSON.parse(r.landmarks) as FaceBox['landmarks'] } : {}) })),
  };
}
