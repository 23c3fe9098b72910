/**
 * What the grid shows: the sidebar's scope, the search text (searched once
 * typing pauses), the filters and the sort, and the page store that fetches
 * the photos they select. A new query is a new store.
 */
import { useEffect, useMemo, useState, type Dispatch, type SetStateAction } from 'react';
import { useApi } from '../../api/context.js';
import { buildQuery, isNarrowed, NO_FILTERS, type Filters, type SortField } from './filters.js';
import { usePhotoPages, type PageStore } from './photo-pages.js';
import type { Scope } from './scope.js';

export type SortDirection = 'asc' | 'desc' | undefined;

export interface LibraryQuery {
  scope: Scope;
  setScope(scope: Scope): void;
  /** What is typed in the search box. */
  text: string;
  setText(text: string): void;
  /** What is searched for: `text` once typing pauses. */
  searchText: string;
  filters: Filters;
  setFilters: Dispatch<SetStateAction<Filters>>;
  sort: SortField;
  setSort(sort: SortField): void;
  direction: SortDirection;
  setDirection(direction: SortDirection): void;
  store: PageStore;
  /** Whether a scope, search or filter narrows the grid. */
  narrowed: boolean;
  /** Back to every photo: no scope, search or filter. */
  showAll(): void;
}

const SEARCH_PAUSE_MS = 180;

export function useLibraryQuery(onError: (e: unknown) => void): LibraryQuery {
  const api = useApi();
  const [scope, setScope] = useState<Scope>({ kind: 'all' });
  const [text, setText] = useState('');
  const [searchText, setSearchText] = useState('');
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [sort, setSort] = useState<SortField>('relevance');
  const [direction, setDirection] = useState<SortDirection>();

  // Typing searches after a short pause, not on every keystroke.
  useEffect(() => {
    const t = setTimeout(() => setSearchText(text), SEARCH_PAUSE_MS);
    return () => clearTimeout(t);
  }, [text]);

  const query = useMemo(() => buildQuery(scope, searchText, filters, sort, direction), [scope, searchText, filters, sort, direction]);
  const store = usePhotoPages(api, query);
  useEffect(() => {
    if (store.error) onError(store.error);
  }, [store.error, onError]);

  return {
    scope,
    setScope,
    text,
    setText,
    searchText,
    filters,
    setFilters,
    sort,
    setSort,
    direction,
    setDirection,
    store,
    narrowed: isNarrowed(scope, searchText, filters),
    showAll: () => {
      setText('');
      setFilters(NO_FILTERS);
      setScope({ kind: 'all' });
    },
  };
}
