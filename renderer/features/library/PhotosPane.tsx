/**
 * The photos area of the library: search, filters and sort; the bulk-action
 * bar while photos are selected; the grid with its count and scope, or what
 * to do when there is nothing to show. Folders and files dropped here are
 * imported.
 */
import { useState, type DragEvent, type RefObject } from 'react';
import { PhotoGrid } from './PhotoGrid.js';
import { FilterBar } from './FilterBar.js';
import { SelectionBar, type BulkDialog } from './SelectionBar.js';
import { EmptyLibrary } from './EmptyLibrary.js';
import { droppedPaths, type ImportState } from './use-import.js';
import { scopeLabel } from './scope.js';
import type { LibraryQuery } from './use-library-query.js';
import type { GridSelection } from './use-grid-selection.js';
import type { BulkActions } from './use-bulk-actions.js';

export interface PhotosPaneProps {
  query: LibraryQuery;
  selection: GridSelection;
  actions: BulkActions;
  imp: ImportState;
  dialog: BulkDialog;
  onDialog(d: BulkDialog): void;
  /** Wraps the search box, so the "/" key can focus it. */
  searchBox: RefObject<HTMLDivElement | null>;
  onColumns(columns: number): void;
  onOpen(index: number): void;
  onRelink(): void;
  onError(e: unknown): void;
  say(notice: string): void;
}

export function PhotosPane({ query, selection, actions, imp, dialog, onDialog, searchBox, onColumns, onOpen, onRelink, onError, say }: PhotosPaneProps) {
  const [dragging, setDragging] = useState(false);
  const { store, filters } = query;
  const total = store.total ?? 0;
  const { sel, selectedIds } = selection;

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

  return (
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
        <FilterBar
          text={query.text}
          onText={query.setText}
          filters={filters}
          onFilters={query.setFilters}
          sort={query.sort}
          onSort={query.setSort}
          direction={query.direction}
          onDirection={query.setDirection}
        />
      </div>
      {sel.ids.size > 0 && (
        <SelectionBar
          ids={selectedIds}
          dialog={dialog}
          onDialog={onDialog}
          onRate={(r) => void actions.rate(selectedIds, r)}
          onFavorite={(f) => void actions.favorite(selectedIds, f)}
          onRemove={() => void actions.remove(selectedIds)}
          onClear={selection.clear}
          onError={onError}
          onDone={say}
        />
      )}
      {store.total === 0 && !imp.jobId ? (
        <EmptyLibrary narrowed={query.narrowed} scope={query.scope} searchText={query.searchText} filters={filters} onShowAll={query.showAll} />
      ) : (
        <>
          <div className="library-status">
            <span className="muted" data-testid="photo-count">
              {store.total === null ? 'Loading…' : `${total} photo${total === 1 ? '' : 's'}`}
            </span>
            <span className="muted scope-label">{scopeLabel(query.scope)}</span>
            {filters.missing && total > 0 && (
              <button className="secondary small" onClick={onRelink}>
                Relink folder…
              </button>
            )}
            {dragging && <span className="drop-hint">Drop to import</span>}
          </div>
          <PhotoGrid store={store} total={total} selected={sel.ids} focusIndex={sel.focus} onCellClick={selection.onCellClick} onOpen={onOpen} onColumns={onColumns} />
        </>
      )}
    </section>
  );
}
