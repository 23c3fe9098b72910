/**
 * The virtualised thumbnail grid: only the rows on screen (plus a few above
 * and below) exist in the DOM, cells are fixed squares computed from the
 * container's width (ResizeObserver), and the pages behind them are fetched as
 * the user scrolls. Smooth with 100,000 photos because the DOM stays at a few
 * hundred nodes whatever the library size. During a fling (faster than
 * FLING_PX_PER_MS, when a row is on screen for a few frames at most) the rows
 * passing by are not built at all: the scroller's background shows, and the
 * cells (and the pages and thumbnails behind them) come back SETTLE_MS after
 * the scroll slows down. Skeleton rows or squares in their place were tried
 * and cost 5-15 fps in the benchmark's wheel-fling mode on a loaded 2-core
 * machine: building and rastering what they draw is most of a cell's cost.
 */
import { memo, useEffect, useLayoutEffect, useRef, useState, type MouseEvent } from 'react';
import { useApi } from '../../api/context.js';
import type { PhotoSummary } from '../../../electron/shared/contract/library.js';
import { CAPTION_HEIGHT, gridLayout, scrollToReveal, visibleRange } from './grid-layout.js';
import { PAGE_SIZE, usePageVersion, type PageStore } from './photo-pages.js';

export interface GridProps {
  store: PageStore;
  total: number;
  selected: ReadonlySet<number>;
  focusIndex: number | null;
  onCellClick(index: number, photo: PhotoSummary, e: MouseEvent): void;
  onOpen(index: number): void;
  onColumns(columns: number): void;
}

/** Scroll speed (px/ms) that starts a fling: 5,000 px/s, about two screens a second. */
const FLING_PX_PER_MS = 5;
/** A fling lasts until this long after its last scroll event faster than SETTLE_PX_PER_MS. */
const SETTLE_PX_PER_MS = 2;
const SETTLE_MS = 120;
/** Scroll events further apart than this are separate moves (a jump to a position), not one fast scroll. */
const SAME_GESTURE_MS = 100;

/** Whether the grid is being flung; call `track(scrollTop)` from every scroll event. */
function useFling(): { fling: boolean; track(top: number): void } {
  const [fling, setFling] = useState(false);
  const state = useRef({ top: 0, time: -Infinity, fling: false, timer: null as ReturnType<typeof setTimeout> | null });
  useEffect(() => () => {
    if (state.current.timer) clearTimeout(state.current.timer);
  }, []);
  const track = (top: number) => {
    const s = state.current;
    const now = performance.now();
    const dt = now - s.time;
    const speed = Math.abs(top - s.top) / Math.max(1, dt);
    s.top = top;
    s.time = now;
    // A lone jump (scrollTop set, End key) is not a fling; a long frame in the middle of one does not end it.
    const fast = s.fling ? speed > SETTLE_PX_PER_MS : speed > FLING_PX_PER_MS && dt <= SAME_GESTURE_MS;
    if (!fast) return;
    if (!s.fling) setFling((s.fling = true));
    // The fling ends SETTLE_MS after its last fast scroll event, so slow tails between flicks do not rebuild every cell.
    if (s.timer) clearTimeout(s.timer);
    s.timer = setTimeout(() => {
      s.timer = null;
      setFling((s.fling = false));
    }, SETTLE_MS);
  };
  return { fling, track };
}

export function PhotoGrid({ store, total, selected, focusIndex, onCellClick, onOpen, onColumns }: GridProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [scrollTop, setScrollTop] = useState(0);
  const { fling, track } = useFling();

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => {
      // A hidden grid (photo view open on top) measures 0: keep the last layout.
      if (el.clientWidth > 0) setSize({ width: el.clientWidth, height: el.clientHeight });
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const layout = gridLayout(size.width, total);
  const range = visibleRange(layout, total, scrollTop, size.height || 800);

  useEffect(() => onColumns(layout.columns), [layout.columns, onColumns]);
  usePageVersion(store);
  // Ask for half a page beyond each edge, so the next page is usually there before its rows scroll in (not for rows flung past).
  useEffect(() => {
    if (!fling && range.end > range.start) store.ensure(Math.max(0, range.start - PAGE_SIZE / 2), Math.min(total, range.end + PAGE_SIZE / 2));
  }, [store, range.start, range.end, total, fling]);

  // A new query starts at the top.
  useEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
    setScrollTop(0);
  }, [store]);

  useEffect(() => {
    const el = scroller.current;
    if (focusIndex === null || !el || size.height === 0) return;
    const next = scrollToReveal(layout, focusIndex, el.scrollTop, el.clientHeight);
    if (next !== el.scrollTop) el.scrollTop = next;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusIndex, layout.columns, layout.rowHeight]);

  const cells = [];
  // Mid-fling nothing is built: no cells made, styled, painted, fetched or decoded for rows gone a frame later.
  const built = fling ? range.start : range.end;
  for (let i = range.start; i < built; i++) {
    const row = Math.floor(i / layout.columns);
    const col = i % layout.columns;
    const photo = store.get(i);
    cells.push(
      <GridCell
        key={i}
        index={i}
        photo={photo}
        top={layout.gap + row * layout.rowHeight}
        left={layout.gap + col * (layout.cell + layout.gap)}
        size={layout.cell}
        selected={!!photo && selected.has(photo.id)}
        focused={focusIndex === i}
        onCellClick={onCellClick}
        onOpen={onOpen}
      />,
    );
  }

  return (
    <div
      className="grid-scroller"
      ref={scroller}
      data-testid="grid-scroller"
      tabIndex={0}
      onScroll={(e) => {
        const top = e.currentTarget.scrollTop;
        track(top);
        // Re-render only when the first visible row changes, not on every scrolled pixel.
        if (Math.floor(top / layout.rowHeight) !== Math.floor(scrollTop / layout.rowHeight)) setScrollTop(top);
      }}
    >
      <div className="grid photo-grid" role="listbox" aria-multiselectable="true" aria-label="Photos" style={{ height: layout.totalHeight }}>
        {cells}
      </div>
    </div>
  );
}

interface CellProps {
  index: number;
  photo: PhotoSummary | undefined;
  top: number;
  left: number;
  size: number;
  selected: boolean;
  focused: boolean;
  onCellClick(index: number, photo: PhotoSummary, e: MouseEvent): void;
  onOpen(index: number): void;
}

const GridCell = memo(function GridCell({ index, photo, top, left, size, selected, focused, onCellClick, onOpen }: CellProps) {
  const api = useApi();
  const style = { transform: `translate(${left}px, ${top}px)`, width: size, height: size + CAPTION_HEIGHT };
  if (!photo) return <div className="cell placeholder" style={style} aria-hidden="true"><div className="cell-thumb" style={{ height: size }} /></div>;
  const cls = ['cell', selected && 'selected', focused && 'focused', photo.missing && 'missing'].filter(Boolean).join(' ');
  return (
    <div className={cls} style={style} role="option" aria-selected={selected} data-photo-id={photo.id} data-index={index}>
      <button
        className="cell-button"
        tabIndex={-1}
        title={`${photo.fileName}\n${photo.folder}`}
        onClick={(e) => onCellClick(index, photo, e)}
        onDoubleClick={() => onOpen(index)}
      >
        <img
          src={api.mediaUrl(photo.preferredVersionId !== null ? { kind: 'version', id: photo.preferredVersionId, size: 'thumb' } : { kind: 'photo', id: photo.id, size: 'thumb' })}
          alt={photo.fileName}
          decoding="async"
          draggable={false}
        />
        <span className="cell-name">{photo.fileName}</span>
        <span className="cell-badges">
          {photo.favorite && <span className="badge fav" title="Favourite">♥</span>}
          {photo.rating > 0 && <span className="badge stars" title={`${photo.rating} stars`}>{'★'.repeat(photo.rating)}</span>}
          {photo.versionCount > 0 && <span className="badge versions" title={`${photo.versionCount} restored version(s)`}>{photo.versionCount}</span>}
          {photo.missing && <span className="badge warn" title="The original file was not found">missing</span>}
        </span>
      </button>
    </div>
  );
});
