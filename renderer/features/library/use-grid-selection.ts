/**
 * Multi-select on the grid (click, Ctrl/Cmd-click, Shift-click, select all,
 * arrow keys with and without Shift) over a page store whose rows may not be
 * loaded yet: a range reaching unloaded rows takes its ids from the catalog.
 * A new query (a new store) starts with nothing selected.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import type { PhotoSummary } from '../../../electron/shared/contract/library.js';
import type { PageStore } from './photo-pages.js';
import { EMPTY_SELECTION, moveFocus, selectOnly, span, toggle, withRange, type Direction, type Selection } from './selection.js';

export interface GridSelection {
  sel: Selection;
  selectedIds: number[];
  /** What an action applies to: the selection, or the photo with keyboard focus. */
  targetIds(): number[];
  onCellClick(index: number, photo: PhotoSummary, e: MouseEvent): void;
  selectAll(): Promise<void>;
  /** Arrow keys: moves the focus (selecting the photo there), or extends the range with Shift. */
  move(dir: Direction, extend: boolean): void;
  /** Selects just this photo, e.g. the one the photo view was showing. */
  selectOne(id: number, index: number): void;
  clear(): void;
}

/** Select-all beyond this many photos says what it is doing. */
const BIG_SELECTION = 5000;

export function useGridSelection(store: PageStore, columns: number, say: (notice: string) => void, onError: (e: unknown) => void): GridSelection {
  const [sel, setSel] = useState<Selection>(EMPTY_SELECTION);
  const total = store.total ?? 0;
  useEffect(() => setSel(EMPTY_SELECTION), [store]);

  const selRef = useRef(sel);
  selRef.current = sel;
  const selectedIds = useMemo(() => [...sel.ids], [sel.ids]);

  const onCellClick = useCallback(
    (index: number, photo: PhotoSummary, e: MouseEvent) => {
      const additive = e.ctrlKey || e.metaKey;
      if (e.shiftKey) {
        const anchor = selRef.current.anchor ?? index;
        const [a, b] = span(anchor, index);
        setSel((prev) => ({ ...prev, anchor, focus: index }));
        store.ids(a, b + 1).then((ids) => setSel((cur) => withRange({ ...cur, anchor }, ids, index, additive)), onError);
      } else if (additive) setSel((prev) => toggle(prev, photo.id, index));
      else setSel(selectOnly(photo.id, index));
    },
    [store, onError],
  );

  const selectAll = async () => {
    if (total === 0) return;
    if (total > BIG_SELECTION) say(`Selecting ${total.toLocaleString()} photos…`);
    try {
      const ids = await store.ids(0, total);
      setSel((prev) => ({ ids: new Set(ids), anchor: prev.anchor ?? 0, focus: prev.focus ?? 0 }));
      if (total > BIG_SELECTION) say(`${ids.length.toLocaleString()} photos selected.`);
    } catch (e) {
      onError(e);
    }
  };

  const move = (dir: Direction, extend: boolean) => {
    if (total === 0) return;
    const from = sel.focus ?? -1;
    const to = moveFocus(from, dir, columns, total);
    store.ensure(Math.max(0, to - columns), to + columns);
    const photo = store.get(to);
    if (!photo) {
      setSel((prev) => ({ ...prev, focus: to }));
      return;
    }
    if (extend) {
      const anchor = sel.anchor ?? Math.max(0, from);
      const [a, b] = span(anchor, to);
      store.ids(a, b + 1).then((ids) => setSel(withRange({ ids: new Set(), anchor, focus: to }, ids, to, false)), onError);
    } else setSel(selectOnly(photo.id, to));
  };

  return {
    sel,
    selectedIds,
    targetIds: () => {
      if (selectedIds.length) return selectedIds;
      const f = sel.focus !== null ? store.get(sel.focus) : undefined;
      return f ? [f.id] : [];
    },
    onCellClick,
    selectAll,
    move,
    selectOne: (id, index) => setSel(selectOnly(id, index)),
    clear: () => setSel(EMPTY_SELECTION),
  };
}
