/**
 * The library: import (path or drag and drop), a sidebar of folders, albums
 * and tags, search + filters + sort, a virtualised grid with multi-select and
 * bulk actions, keyboard shortcuts, and the photo view on top of the grid
 * (the grid stays mounted underneath so its scroll position survives).
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type DragEvent, type MouseEvent } from 'react';
import { useApi } from '../../api/context.js';
import { EmptyState, ErrorNotice } from '../../components/ui/Notice.js';
import { useConfirm } from '../../components/ui/ConfirmDialog.js';
import type { PhotoSummary } from '../../../electron/shared/contract/library.js';
import { PhotoView } from '../photo/PhotoView.js';
import { PhotoGrid } from './PhotoGrid.js';
import { LibrarySidebar } from './LibrarySidebar.js';
import { FilterBar } from './FilterBar.js';
import { ImportForm, ImportStatus } from './ImportPanel.js';
import { SelectionBar, type BulkDialog } from './SelectionBar.js';
import { ShortcutsOverlay } from './ShortcutsOverlay.js';
import { RelinkDialog } from './RelinkDialog.js';
import { usePhotoPages } from './photo-pages.js';
import { useImport, droppedPaths } from './use-import.js';
import { useLibraryKeys } from './use-library-keys.js';
import { buildQuery, activeFilterCount, NO_FILTERS, type Filters, type SortField } from './filters.js';
import { scopeLabel, type Scope } from './scope.js';
import { EMPTY_SELECTION, selectOnly, toggle, withRange, type Selection } from './selection.js';
import './library.css';

export function LibraryView({ onRestore }: { onRestore(ids: number[]): void }) {
  const api = useApi();
  const root = useRef<HTMLDivElement>(null);
  const searchBox = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [scope, setScope] = useState<Scope>({ kind: 'all' });
  const [text, setText] = useState('');
  const [searchText, setSearchText] = useState('');
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [sort, setSort] = useState<SortField>('imported');
  const [direction, setDirection] = useState<'asc' | 'desc' | undefined>();
  const [sel, setSel] = useState<Selection>(EMPTY_SELECTION);
  const [columns, setColumns] = useState(1);
  const [openIndex, setOpenIndex] = useState<number | null>(null);
  const [dialog, setDialog] = useState<BulkDialog>(null);
  const [help, setHelp] = useState(false);
  const [relink, setRelink] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [confirmDialog, confirm] = useConfirm();

  const onError = useCallback((e: unknown) => setError(e), []);
  const imp = useImport(onError);

  // Typing searches after a short pause, not on every keystroke.
  useEffect(() => {
    const t = setTimeout(() => setSearchText(text), 180);
    return () => clearTimeout(t);
  }, [text]);

  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => setNotice(null), 5000);
    return () => clearTimeout(t);
  }, [notice]);

  const query = useMemo(() => buildQuery(scope, searchText, filters, sort, direction), [scope, searchText, filters, sort, direction]);
  const store = usePhotoPages(api, query);
  const total = store.total ?? 0;
  useEffect(() => setSel(EMPTY_SELECTION), [store]);
  useEffect(() => {
    if (store.error) setError(store.error);
  }, [store.error]);

  const selRef = useRef(sel);
  selRef.current = sel;
  const selectedIds = useMemo(() => [...sel.ids], [sel.ids]);
  /** What an action applies to: the selection, or the photo with keyboard focus. */
  const targetIds = (): number[] => {
    if (selectedIds.length) return selectedIds;
    const f = sel.focus !== null ? store.get(sel.focus) : undefined;
    return f ? [f.id] : [];
  };

  const onCellClick = useCallback(
    (index: number, photo: PhotoSummary, e: MouseEvent) => {
      const additive = e.ctrlKey || e.metaKey;
      if (e.shiftKey) {
        // The range may reach rows never loaded: their ids come from the catalog.
        const anchor = selRef.current.anchor ?? index;
        const [a, b] = anchor < index ? [anchor, index] : [index, anchor];
        setSel((prev) => ({ ...prev, anchor, focus: index }));
        store.ids(a, b + 1).then((ids) => setSel((cur) => withRange({ ...cur, anchor }, ids, index, additive)), onError);
      } else if (additive) setSel((prev) => toggle(prev, photo.id, index));
      else setSel(selectOnly(photo.id, index));
    },
    [store, onError],
  );
  const onOpen = useCallback((index: number) => setOpenIndex(index), []);

  const selectAll = async () => {
    if (total === 0) return;
    if (total > 5000) setNotice(`Selecting ${total.toLocaleString()} photos…`);
    try {
      const ids = await store.ids(0, total);
      setSel((prev) => ({ ids: new Set(ids), anchor: prev.anchor ?? 0, focus: prev.focus ?? 0 }));
      if (total > 5000) setNotice(`${ids.length.toLocaleString()} photos selected.`);
    } catch (e) {
      setError(e);
    }
  };

  const rate = async (ids: number[], rating: number) => {
    if (!ids.length) return;
    try {
      await api.call('library.setRating', { photoIds: ids, rating });
      setNotice(rating ? `Rated ${ids.length} photo(s) ${'★'.repeat(rating)}` : `Cleared the rating of ${ids.length} photo(s)`);
    } catch (e) {
      setError(e);
    }
  };

  const favorite = async (ids: number[], value?: boolean) => {
    if (!ids.length) return;
    // Toggle: if every loaded target is a favourite, unmark; otherwise mark all.
    const fav = value ?? !ids.every((id) => store.get(store.indexOf(id))?.favorite);
    try {
      await api.call('library.setFavorite', { photoIds: ids, favorite: fav });
      setNotice(`${fav ? 'Marked' : 'Unmarked'} ${ids.length} photo(s) as favourite${ids.length === 1 ? '' : 's'}`);
    } catch (e) {
      setError(e);
    }
  };

  const remove = async (ids: number[]) => {
    if (!ids.length) return;
    const ok = await confirm({
      title: `Remove ${ids.length} photo${ids.length === 1 ? '' : 's'} from the library?`,
      body: 'Their restored versions and thumbnails are deleted from the catalog. The original files on disk are not touched.',
      action: 'Remove from library',
      danger: true,
    });
    if (!ok) return;
    try {
      const r = await api.call('library.removePhotos', { photoIds: ids });
      setSel(EMPTY_SELECTION);
      setOpenIndex(null);
      setNotice(`Removed ${r.removed} photo(s) from the library.`);
    } catch (e) {
      setError(e);
    }
  };

  const checkFiles = async () => {
    try {
      setNotice('Checking that every original is still in place…');
      const r = await api.run('library.checkFiles', {});
      setNotice(`Checked ${r.checked} photo(s): ${r.missing} missing${r.found ? `, ${r.found} found again` : ''}.`);
      if (r.missing > 0) setFilters((f) => ({ ...f, missing: true }));
    } catch (e) {
      setError(e);
    }
  };

  const move = (dir: 'left' | 'right' | 'up' | 'down', extend: boolean) => {
    if (total === 0) return;
    const from = sel.focus ?? -1;
    const step = dir === 'left' ? -1 : dir === 'right' ? 1 : dir === 'up' ? -columns : columns;
    const to = from < 0 ? 0 : Math.min(total - 1, Math.max(0, from + step));
    store.ensure(Math.max(0, to - columns), to + columns);
    const photo = store.get(to);
    if (!photo) {
      setSel((prev) => ({ ...prev, focus: to }));
      return;
    }
    if (extend) {
      const anchor = sel.anchor ?? Math.max(0, from);
      const [a, b] = anchor < to ? [anchor, to] : [to, anchor];
      store.ids(a, b + 1).then((ids) => setSel({ ...withRange({ ids: new Set(), anchor, focus: to }, ids, to, false) }), onError);
    } else setSel(selectOnly(photo.id, to));
  };

  useLibraryKeys({
    enabled: openIndex === null && !dialog && !help && relink === null && !confirmDialog,
    root: root.current,
    move,
    open: () => {
      const i = sel.focus ?? (selectedIds.length ? store.indexOf(selectedIds[0]!) : -1);
      if (i >= 0 && i < total) setOpenIndex(i);
    },
    selectAll: () => void selectAll(),
    clear: () => setSel(EMPTY_SELECTION),
    rate: (n) => void rate(targetIds(), n),
    toggleFavorite: () => void favorite(targetIds()),
    tag: () => targetIds().length && setDialog('tag'),
    restore: () => targetIds().length && onRestore(targetIds()),
    remove: () => void remove(targetIds()),
    search: () => searchBox.current?.querySelector('input')?.focus(),
    help: () => setHelp(true),
  });

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const { paths, files } = droppedPaths(e.dataTransfer);
    if (paths.length) void imp.start(paths);
    else if (files > 0)
      imp.say(
        'This browser does not reveal where dropped files live on disk, so they cannot be imported by dragging here. Type or paste the folder’s path into “Folder or file to import” instead (the desktop app accepts drops).',
      );
  };

  // While the photo view is open, follow page arrivals so the photo it needs shows up.
  useSyncExternalStore(store.subscribe, () => (openIndex !== null ? store.version : -1));
  const openPhoto = openIndex !== null ? store.get(openIndex) : undefined;
  useEffect(() => {
    if (openIndex !== null) store.ensure(Math.max(0, openIndex - 1), openIndex + 2);
  }, [openIndex, store]);
  const closePhoto = () => {
    if (openIndex !== null && openPhoto) setSel(selectOnly(openPhoto.id, openIndex));
    setOpenIndex(null);
    requestAnimationFrame(() => root.current?.querySelector<HTMLElement>('.grid-scroller')?.focus());
  };

  const filtered = scope.kind !== 'all' || searchText.trim() !== '' || activeFilterCount(filters) > 0;
  const showEmpty = store.total === 0 && !imp.jobId;

  return (
    <div className="library" ref={root}>
      <div className="toolbar">
        <ImportForm imp={imp} />
        <button disabled={sel.ids.size === 0} onClick={() => onRestore(selectedIds)} title="R">
          Restore {sel.ids.size > 0 ? `(${sel.ids.size})` : ''}
        </button>
        <button className="link" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={() => setHelp(true)}>
          ?
        </button>
      </div>
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
      <ImportStatus imp={imp} />
      {notice && (
        <div className="banner info" role="status" data-testid="library-notice">
          {notice}
        </div>
      )}
      <div className="library-body">
        <LibrarySidebar scope={scope} onScope={setScope} onError={onError} confirm={confirm} onRelink={() => setRelink('')} onCheckFiles={() => void checkFiles()} />
        <section
          className={dragging ? 'library-main dragging' : 'library-main'}
          aria-label="Photos area"
          onDragOver={(e) => {
            e.preventDefault();
            e.dataTransfer.dropEffect = 'copy';
            if (!dragging) setDragging(true);
          }}
          onDragLeave={(e) => {
            if (e.currentTarget === e.target) setDragging(false);
          }}
          onDrop={onDrop}
        >
          <div ref={searchBox}>
            <FilterBar text={text} onText={setText} filters={filters} onFilters={setFilters} sort={sort} onSort={setSort} direction={direction} onDirection={setDirection} />
          </div>
          {sel.ids.size > 0 && (
            <SelectionBar
              ids={selectedIds}
              dialog={dialog}
              onDialog={setDialog}
              onRate={(r) => void rate(selectedIds, r)}
              onFavorite={(f) => void favorite(selectedIds, f)}
              onRemove={() => void remove(selectedIds)}
              onClear={() => setSel(EMPTY_SELECTION)}
              onError={onError}
              onDone={setNotice}
            />
          )}
          {showEmpty ? (
            filtered ? (
              <EmptyState title="No photos match">
                <p>
                  Nothing in {scopeLabel(scope).toLowerCase()} matches{searchText.trim() ? ` “${searchText.trim()}”` : ''}
                  {activeFilterCount(filters) ? ' with these filters' : ''}.
                </p>
                <button
                  className="secondary"
                  onClick={() => {
                    setText('');
                    setFilters(NO_FILTERS);
                    setScope({ kind: 'all' });
                  }}
                >
                  Show all photos
                </button>
              </EmptyState>
            ) : (
              <EmptyState title="Your library is empty">
                <p>Type the path of a folder with your scans above and press Import, or drag a folder from your file manager onto this window. Originals are never changed.</p>
                <p className="muted">JPEG, PNG, TIFF (8 and 16 bit), WebP, AVIF and GIF are read. Press ? for keyboard shortcuts.</p>
              </EmptyState>
            )
          ) : (
            <>
              <div className="library-status">
                <span className="muted" data-testid="photo-count">
                  {store.total === null ? 'Loading…' : `${total} photo${total === 1 ? '' : 's'}`}
                </span>
                <span className="muted scope-label">{scopeLabel(scope)}</span>
                {filters.missing && total > 0 && (
                  <button className="secondary small" onClick={() => setRelink('')}>
                    Relink folder…
                  </button>
                )}
                {dragging && <span className="drop-hint">Drop to import</span>}
              </div>
              <PhotoGrid store={store} total={total} selected={sel.ids} focusIndex={sel.focus} onCellClick={onCellClick} onOpen={onOpen} onColumns={setColumns} />
            </>
          )}
        </section>
      </div>
      {openIndex !== null && (
        <PhotoView
          photoId={openPhoto?.id ?? null}
          position={{ index: openIndex, total }}
          onClose={closePhoto}
          onPrev={() => setOpenIndex((i) => (i !== null && i > 0 ? i - 1 : i))}
          onNext={() => setOpenIndex((i) => (i !== null && i < total - 1 ? i + 1 : i))}
          onRestore={(id) => onRestore([id])}
          onRemove={(id) => void remove([id])}
          onRelink={(folder) => setRelink(folder)}
        />
      )}
      {help && <ShortcutsOverlay onClose={() => setHelp(false)} />}
      {relink !== null && <RelinkDialog initialFolder={relink} onClose={() => setRelink(null)} />}
      {confirmDialog}
    </div>
  );
}
