/**
 * Which photo the photo view shows over the grid, by its index in the grid's
 * order (so previous/next follow the grid), loading the pages around it and
 * re-rendering when the one it needs arrives.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { PhotoSummary } from '../../../electron/shared/contract/library.js';
import type { PageStore } from './photo-pages.js';

export interface OpenPhoto {
  /** Grid index of the open photo; null while the grid is shown. */
  index: number | null;
  /** The open photo, once its page is loaded. */
  photo: PhotoSummary | undefined;
  open(index: number): void;
  close(): void;
  prev(): void;
  next(): void;
}

export function useOpenPhoto(store: PageStore): OpenPhoto {
  const [index, setIndex] = useState<number | null>(null);
  const total = store.total ?? 0;
  // While the photo view is open, follow page arrivals so the photo it needs shows up.
  useSyncExternalStore(store.subscribe, () => (index !== null ? store.version : -1));
  useEffect(() => {
    if (index !== null) store.ensure(Math.max(0, index - 1), index + 2);
  }, [index, store]);
  return {
    index,
    photo: index !== null ? store.get(index) : undefined,
    open: setIndex,
    close: () => setIndex(null),
    prev: () => setIndex((i) => (i !== null && i > 0 ? i - 1 : i)),
    next: () => setIndex((i) => (i !== null && i < total - 1 ? i + 1 : i)),
  };
}
