/**
 * The photo as a geometry shapes it (turned, straightened, cropped), at
 * preview size, from restore.sourcePreview; the plain preview when the
 * geometry changes nothing. Quick changes (a straighten slider) are settled
 * for a moment before asking, and an older answer never replaces a newer one.
 */
import { useEffect, useMemo, useState } from 'react';
import { useApi } from '../../api/context.js';
import { isIdentity, type Geometry } from '../../../electron/shared/geometry.js';

export interface ShapedPreview {
  src: string;
  /** Pixel size of the preview (proportions of the shaped photo). */
  width: number;
  height: number;
}

export function useShapedPreview(photoId: number | undefined, geometry: Geometry | null, base: { width: number; height: number } | null, onError: (e: unknown) => void): ShapedPreview | null {
  const api = useApi();
  const [shaped, setShaped] = useState<ShapedPreview | null>(null);
  const key = JSON.stringify(geometry ?? null);
  useEffect(() => {
    if (photoId === undefined) return;
    const g = JSON.parse(key) as Geometry | null;
    if (!g || isIdentity(g)) {
      setShaped(base ? { src: api.mediaUrl({ kind: 'photo', id: photoId, size: 'preview' }), width: base.width, height: base.height } : null);
      return;
    }
    let alive = true;
    const t = setTimeout(() => {
      api
        .call('restore.sourcePreview', { photoId, geometry: g })
        .then((r) => alive && setShaped({ src: api.mediaUrl({ kind: 'preview', id: r.previewId, size: 'full' }), width: r.width, height: r.height }))
        .catch((e: unknown) => alive && onError(e));
    }, 200);
    return () => {
      alive = false;
      clearTimeout(t);
    };
  }, [api, photoId, key, base, onError]);
  return shaped;
}

/** A library photo's display size (after EXIF orientation), or null until known. */
export function usePhotoSize(photoId: number | undefined): { width: number; height: number } | null {
  const api = useApi();
  const [size, setSize] = useState<{ id: number; width: number; height: number } | null>(null);
  useEffect(() => {
    if (photoId === undefined) return;
    let alive = true;
    api
      .call('library.getPhoto', { photoId })
      .then((r) => alive && setSize({ id: photoId, width: r.photo.width, height: r.photo.height }))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [api, photoId]);
  return useMemo(() => (size && size.id === photoId ? { width: size.width, height: size.height } : null), [size, photoId]);
}
