/** The filter bar's state and how it becomes library.listPhotos parameters. */
import type { PhotoFilter } from '../../../electron/shared/contract/library.js';
import { scopeFilter, type Scope } from './scope.js';
import type { PhotoQuery } from './photo-pages.js';

export type Tri = '' | 'yes' | 'no';
/** 'relevance': best match first while searching, newest import otherwise. */
export type SortField = 'relevance' | 'imported' | 'taken' | 'name' | 'rating';

export interface Filters {
  from: string;
  to: string;
  minRating: number;
  favorite: boolean;
  restored: Tri;
  faces: Tri;
  duplicates: boolean;
  missing: boolean;
  /** Camera (EXIF make and model) as library.listCameras lists it; '' for any. */
  camera: string;
}

export const NO_FILTERS: Filters = { from: '', to: '', minRating: 0, favorite: false, restored: '', faces: '', duplicates: false, missing: false, camera: '' };

export function activeFilterCount(f: Filters): number {
  return [f.from, f.to, f.minRating > 0, f.favorite, f.restored, f.faces, f.duplicates, f.missing, f.camera].filter(Boolean).length;
}

/** Whether a scope, search or filter narrows the grid (so "nothing matches" rather than "the library is empty"). */
export function isNarrowed(scope: Scope, text: string, f: Filters): boolean {
  return scope.kind !== 'all' || text.trim() !== '' || activeFilterCount(f) > 0;
}

const tri = (t: Tri): boolean | undefined => (t === '' ? undefined : t === 'yes');

export function buildQuery(scope: Scope, text: string, f: Filters, sort: SortField, direction: 'asc' | 'desc' | undefined): PhotoQuery {
  const filter: PhotoFilter = { ...scopeFilter(scope) };
  if (f.from) filter.from = f.from;
  if (f.to) filter.to = f.to;
  if (f.minRating > 0) filter.minRating = f.minRating;
  if (f.favorite) filter.favorite = true;
  if (tri(f.restored) !== undefined) filter.restored = tri(f.restored)!;
  if (tri(f.faces) !== undefined) filter.hasFaces = tri(f.faces)!;
  if (f.duplicates) filter.duplicates = true;
  if (f.missing) filter.missing = true;
  if (f.camera) filter.camera = f.camera;
  return { query: text.trim(), filter, sort, ...(direction ? { direction } : {}) };
}
