/**
 * The library: import (path or drag and drop), a sidebar of folders, albums
 * and tags, the photos area (search, filters, sort, a virtualised grid with
 * multi-select and bulk actions), keyboard shortcuts, and the photo view on
 * top of the grid (the grid stays mounted underneath so its scroll position
 * survives). The parts live in the hooks and panes it puts together here.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ErrorNotice } from '../../components/ui/Notice.js';
import { useConfirm } from '../../components/ui/ConfirmDialog.js';
import { PhotoView } from '../photo/PhotoView.js';
import { LibrarySidebar } from './LibrarySidebar.js';
import { PhotosPane } from './PhotosPane.js';
import { ImportForm, ImportStatus } from './ImportPanel.js';
import type { BulkDialog } from './SelectionBar.js';
import { ShortcutsOverlay } from './ShortcutsOverlay.js';
import { RelinkDialog } from './RelinkDialog.js';
import { useImport } from './use-import.js';
import { useLibraryKeys } from './use-library-keys.js';
import { useLibraryQuery } from './use-library-query.js';
import { useGridSelection } from './use-grid-selection.js';
import { useBulkActions } from './use-bulk-actions.js';
import { useOpenPhoto } from './use-open-photo.js';
import { useNotice } from './use-notice.js';
import './library.css';

/** Photos to show, asked for from outside (the Jobs panel's link to what a job made, People's link to a person's photos). */
export type ShowPhotos = { ids: number[]; label: string } | { personId: number; name: string | null };

export function LibraryView({ onRestore, show, onShown }: { onRestore(ids: number[]): void; show?: ShowPhotos | null; onShown?(): void }) {
  const root = useRef<HTMLDivElement>(null);
  const searchBox = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useNotice();
  const [columns, setColumns] = useState(1);
  const [dialog, setDialog] = useState<BulkDialog>(null);
  const [help, setHelp] = useState(false);
  const [relink, setRelink] = useState<string | null>(null);
  const [confirmDialog, confirm] = useConfirm();

  const onError = useCallback((e: unknown) => setError(e), []);
  const imp = useImport(onError);
  // One banner at a time: a new notice replaces the import's report, and a new report replaces the notice.
  const dismissImport = useRef(imp.dismiss);
  dismissImport.current = imp.dismiss;
  const say = useCallback(
    (message: string | null) => {
      if (message) dismissImport.current();
      setNotice(message);
    },
    [setNotice],
  );
  useEffect(() => {
    if (imp.report || imp.message) setNotice(null);
  }, [imp.report, imp.message, setNotice]);
  const query = useLibraryQuery(onError);
  const { setScope } = query;
  useEffect(() => {
    if (!show) return;
    setScope('personId' in show ? { kind: 'person', personId: show.personId, name: show.name } : { kind: 'ids', ids: show.ids, label: show.label });
    onShown?.();
  }, [show, setScope, onShown]);
  const { store } = query;
  const total = store.total ?? 0;
  const selection = useGridSelection(store, columns, say, onError);
  const opened = useOpenPhoto(store);
  const actions = useBulkActions({
    store,
    confirm,
    say,
    onError,
    onRemoved: () => {
      selection.clear();
      opened.close();
    },
    onMissing: () => query.setFilters((f) => ({ ...f, missing: true })),
  });
  const { sel, selectedIds, targetIds } = selection;

  useLibraryKeys({
    enabled: opened.index === null && !dialog && !help && relink === null && !confirmDialog,
    root: root.current,
    move: selection.move,
    open: () => {
      const i = sel.focus ?? (selectedIds.length ? store.indexOf(selectedIds[0]!) : -1);
      if (i >= 0 && i < total) opened.open(i);
    },
    selectAll: () => void selection.selectAll(),
    clear: selection.clear,
    rate: (n) => void actions.rate(targetIds(), n),
    toggleFavorite: () => void actions.favorite(targetIds()),
    tag: () => targetIds().length && setDialog('tag'),
    restore: () => targetIds().length && onRestore(targetIds()),
    remove: () => void actions.remove(targetIds()),
    search: () => searchBox.current?.querySelector('input')?.focus(),
    help: () => setHelp(true),
  });

  /** Back to the grid with the photo that was open selected, and the keyboard in the grid. */
  const closePhoto = () => {
    if (opened.index !== null && opened.photo) selection.selectOne(opened.photo.id, opened.index);
    opened.close();
    requestAnimationFrame(() => root.current?.querySelector<HTMLElement>('.grid-scroller')?.focus());
  };

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
        <LibrarySidebar scope={query.scope} onScope={query.setScope} onError={onError} confirm={confirm} onRelink={() => setRelink('')} onCheckFiles={() => void actions.checkFiles()} />
        <PhotosPane
          query={query}
          selection={selection}
          actions={actions}
          imp={imp}
          dialog={dialog}
          onDialog={setDialog}
          searchBox={searchBox}
          onColumns={setColumns}
          onOpen={opened.open}
          onRelink={() => setRelink('')}
          onError={onError}
          say={say}
        />
      </div>
      {opened.index !== null && (
        <PhotoView
          photoId={opened.photo?.id ?? null}
          position={{ index: opened.index, total }}
          onClose={closePhoto}
          onPrev={opened.prev}
          onNext={opened.next}
          onRestore={(id) => onRestore([id])}
          onRemove={(id) => void actions.remove([id])}
          onRelink={(folder) => setRelink(folder)}
          selectedIds={selection.selectedIds}
        />
      )}
      {help && <ShortcutsOverlay onClose={() => setHelp(false)} />}
      {relink !== null && <RelinkDialog initialFolder={relink} onClose={() => setRelink(null)} />}
      {confirmDialog}
    </div>
  );
}
