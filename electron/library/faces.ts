/**
 * The faces the engine found in each photo (migration 009): stored per face
 * with its identity descriptor (a Float32 BLOB) so the photo view can show
 * them and people.ts can group them, counted in photos.faces for the Faces
 * filter. Storing replaces what an earlier analysis found; a new face where
 * an old one was (boxes overlapping by more than half) keeps the old one's
 * person and pin (and its descriptor when it brings none), so analysing a
 * photo again never undoes the user's naming.
 */
import type { FaceBox } from '../shared/contract/engine.js';
import { DESCRIPTOR_LENGTH } from '../shared/contract/engine.js';
import { RestoraError } from '../shared/errors.js';
import type { Library } from './library.js';

interface FaceRow {
  id: number;
  x: number;
  y: number;
  w: number;
  h: number;
  score: number;
  landmarks: string | null;
  person_id: number | null;
  person_name: string | null;
}

/** A descriptor as stored: 128 little-endian float32s. */
export function descriptorBlob(d: readonly number[]): Buffer {
  return Buffer.from(Float32Array.from(d).buffer);
}

/** A stored descriptor back as floats; null when the blob is not one. */
export function blobDescriptor(blob: Buffer | null): Float32Array | null {
  if (!blob || blob.byteLength !== DESCRIPTOR_LENGTH * 4) return null;
  const copy = new Uint8Array(blob.byteLength);
  copy.set(blob);
  return new Float32Array(copy.buffer);
}

function requirePhoto(lib: Library, photoId: number): { width: number; height: number; faces: number | null } {
  const row = lib.db.prepare('SELECT width, height, faces FROM photos WHERE id = ?').get(photoId) as { width: number; height: number; faces: number | null } | undefined;
  if (!row) throw new RestoraError('NotFound', `No photo ${photoId}`);
  return row;
}

type Box = Pick<FaceBox, 'x' | 'y' | 'w' | 'h'>;

function overlap(a: Box, b: Box): number {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  const inter = ix * iy;
  return inter / Math.max(1e-9, a.w * a.h + b.w * b.h - inter);
}

export function storeFaces(lib: Library, photoId: number, faces: readonly FaceBox[], now = new Date()): void {
  lib.db.transaction(() => {
    requirePhoto(lib, photoId);
    const before = lib.db.prepare('SELECT x, y, w, h, person_id, pinned, descriptor FROM faces WHERE photo_id = ?').all(photoId) as Array<Box & { person_id: number | null; pinned: number; descriptor: Buffer | null }>;
    lib.db.prepare('DELETE FROM faces WHERE photo_id = ?').run(photoId);
    const insert = lib.db.prepare('INSERT INTO faces(photo_id, x, y, w, h, score, landmarks, descriptor, person_id, pinned, found_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const f of faces) {
      let kept: (typeof before)[number] | null = null;
      for (const old of before) if (overlap(old, f) > 0.5 && (!kept || overlap(old, f) > overlap(kept, f))) kept = old;
      if (kept) before.splice(before.indexOf(kept), 1);
      // A face kept from before (outside a crop analysed now) comes without its descriptor: it keeps the stored one.
      const descriptor = f.descriptor ? descriptorBlob(f.descriptor) : (kept?.descriptor ?? null);
      insert.run(photoId, f.x, f.y, f.w, f.h, f.score, f.landmarks ? JSON.stringify(f.landmarks) : null, descriptor, kept?.person_id ?? null, kept?.pinned ?? 0, now.toISOString());
    }
    lib.db.prepare('UPDATE photos SET faces = ? WHERE id = ?').run(faces.length, photoId);
  })();
}

/** The stored faces, largest first, with who they are; null when the photo was never analysed (a count set without boxes gives []). */
export function photoFaces(lib: Library, photoId: number) {
  const photo = requirePhoto(lib, photoId);
  if (photo.faces === null) return { photoId, width: photo.width, height: photo.height, faces: null };
  const rows = lib.db
    .prepare('SELECT f.id, f.x, f.y, f.w, f.h, f.score, f.landmarks, f.person_id, pe.name AS person_name FROM faces f LEFT JOIN people pe ON pe.id = f.person_id WHERE f.photo_id = ? ORDER BY f.w * f.h DESC, f.id')
    .all(photoId) as FaceRow[];
  return {
    photoId,
    width: photo.width,
    height: photo.height,
    faces: rows.map((r) => ({
      faceId: r.id,
      x: r.x,
      y: r.y,
      w: r.w,
      h: r.h,
      score: r.score,
      ...(r.landmarks ? { landmarks: JSON.parse(r.landmarks) as FaceBox['landmarks'] } : {}),
      personId: r.person_id,
      personName: r.person_name,
    })),
  };
}
