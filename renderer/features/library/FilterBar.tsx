/** Search box, filters (date, rating, favourites, restored, faces, look-alikes, missing) and sort. */
import { useEffect, useState } from 'react';
import { useApi } from '../../api/context.js';
import { activeFilterCount, NO_FILTERS, type Filters, type SortField, type Tri } from './filters.js';

export interface FilterBarProps {
  text: string;
  onText(t: string): void;
  filters: Filters;
  onFilters(f: Filters): void;
  sort: SortField;
  onSort(s: SortField): void;
  direction: 'asc' | 'desc' | undefined;
  onDirection(d: 'asc' | 'desc' | undefined): void;
}

const NATURAL: Record<SortField, 'asc' | 'desc'> = { relevance: 'desc', imported: 'desc', taken: 'desc', name: 'asc', rating: 'desc' };

export function FilterBar({ text, onText, filters, onFilters, sort, onSort, direction, onDirection }: FilterBarProps) {
  const set = <K extends keyof Filters>(k: K, v: Filters[K]) => onFilters({ ...filters, [k]: v });
  const dir = direction ?? NATURAL[sort];
  const active = activeFilterCount(filters);
  const cameras = useCameras();
  return (
    <div className="filter-bar">
      <input
        className="search"
        type="search"
        aria-label="Search photos"
        placeholder="Search names, folders, tags, albums, captions, authors…  ( / )"
        value={text}
        onChange={(e) => onText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && text) {
            e.stopPropagation();
            onText('');
          }
        }}
      />
      <label className="filter">
        <span>From</span>
        <input type="date" aria-label="Taken from" value={filters.from} onChange={(e) => set('from', e.target.value)} />
      </label>
      <label className="filter">
        <span>To</span>
        <input type="date" aria-label="Taken until" value={filters.to} onChange={(e) => set('to', e.target.value)} />
      </label>
      <label className="filter">
        <span>Rating</span>
        <select aria-label="Minimum rating" value={filters.minRating} onChange={(e) => set('minRating', Number(e.target.value))}>
          <option value={0}>any</option>
          {[1, 2, 3, 4, 5].map((n) => (
            <option key={n} value={n}>
              {'★'.repeat(n)}
              {n < 5 ? ' or more' : ''}
            </option>
          ))}
        </select>
      </label>
      {cameras.length > 0 && (
        <label className="filter">
          <span>Camera</span>
          <select aria-label="Camera" value={filters.camera} onChange={(e) => set('camera', e.target.value)}>
            <option value="">any</option>
            {cameras.map((c) => (
              <option key={c.camera} value={c.camera}>
                {c.camera} ({c.count})
              </option>
            ))}
          </select>
        </label>
      )}
      <TriSelect label="Restored" value={filters.restored} onChange={(v) => set('restored', v)} yes="restored" no="not restored" />
      <TriSelect label="Faces" value={filters.faces} onChange={(v) => set('faces', v)} yes="with faces" no="no faces" />
      <label className="filter check">
        <input type="checkbox" aria-label="Favourites only" checked={filters.favorite} onChange={(e) => set('favorite', e.target.checked)} />
        <span>♥ Favourites</span>
      </label>
      <label className="filter check">
        <input type="checkbox" aria-label="Look-alikes only" checked={filters.duplicates} onChange={(e) => set('duplicates', e.target.checked)} />
        <span>Look-alikes</span>
      </label>
      <label className="filter check">
        <input type="checkbox" aria-label="Missing files only" checked={filters.missing} onChange={(e) => set('missing', e.target.checked)} />
        <span>Missing</span>
      </label>
      {active > 0 && (
        <button className="link small" onClick={() => onFilters(NO_FILTERS)}>
          Clear {active} filter{active === 1 ? '' : 's'}
        </button>
      )}
      <span className="spacer" />
      <label className="filter">
        <span>Sort</span>
        <select
          aria-label="Sort by"
          value={sort}
          onChange={(e) => {
            onSort(e.target.value as SortField);
            onDirection(undefined);
          }}
        >
          <option value="relevance">Best match (else newest)</option>
          <option value="imported">Date imported</option>
          <option value="taken">Date taken</option>
          <option value="name">File name</option>
          <option value="rating">Rating</option>
        </select>
      </label>
      {!(sort === 'relevance' && text.trim()) && <button
        className="secondary small"
        aria-label={dir === 'asc' ? 'Ascending (click for descending)' : 'Descending (click for ascending)'}
        title={dir === 'asc' ? 'Ascending' : 'Descending'}
        onClick={() => onDirection(dir === 'asc' ? 'desc' : 'asc')}
      >
        {dir === 'asc' ? '↑' : '↓'}
      </button>}
    </div>
  );
}

/** The cameras of the library's photos, for the camera filter (read again when the catalog changes). */
function useCameras(): Array<{ camera: string; count: number }> {
  const api = useApi();
  const [cameras, setCameras] = useState<Array<{ camera: string; count: number }>>([]);
  useEffect(() => {
    let alive = true;
    const load = () => void api.call('library.listCameras', {}).then((r) => alive && setCameras(r.cameras)).catch(() => undefined);
    load();
    const off = api.on('library.changed', (c) => {
      if (c.entity === 'photos' || c.entity === 'all') load();
    });
    return () => {
      alive = false;
      off();
    };
  }, [api]);
  return cameras;
}

function TriSelect({ label, value, onChange, yes, no }: { label: string; value: Tri; onChange(v: Tri): void; yes: string; no: string }) {
  return (
    <label className="filter">
      <span>{label}</span>
      <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value as Tri)}>
        <option value="">any</option>
        <option value="yes">{yes}</option>
        <option value="no">{no}</option>
      </select>
    </label>
  );
}
