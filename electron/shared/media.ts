/**
 * Image addressing for the renderer. Images are named by catalog id and size,
 * never by a path: `restora-media://photo/42/thumb` in Electron and
 * `/media/photo/42/thumb` over HTTP in browser mode.
 */
import { z } from 'zod';

/** photo, version and face are catalog ids (a face is its crop, square, thumb size only); preview ids name region previews made during this session. */
export const MediaKind = z.enum(['photo', 'version', 'preview', 'face']);
export const MediaSize = z.enum(['thumb', 'preview', 'full']);
export const MediaRef = z.object({ kind: MediaKind, id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER), size: MediaSize });
export type MediaRef = z.infer<typeof MediaRef>;

/** Pixel bound of each size's long side (full = original resolution). */
export const MEDIA_SIZE_PX = { thumb: 256, preview: 1600, full: Infinity } as const;

export const MEDIA_SCHEME = 'restora-media';

/** Parses `photo/42/thumb` (leading slashes ignored). Returns null for anything else. */
export function parseMediaPath(path: string): MediaRef | null {
  const m = /^\/*(photo|version|preview|face)\/(\d{1,15})\/(thumb|preview|full)\/?$/.exec(path);
  if (!m) return null;
  const parsed = MediaRef.safeParse({ kind: m[1], id: Number(m[2]), size: m[3] });
  return parsed.success ? parsed.data : null;
}

export function mediaPath(ref: MediaRef): string {
  return `${ref.kind}/${ref.id}/${ref.size}`;
}
