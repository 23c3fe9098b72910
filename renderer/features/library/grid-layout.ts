/**
 * Pure geometry of the virtualised photo grid: how many columns fit, how big
 * each cell is, and which rows are on screen. Kept free of React and the DOM
 * so it can be reasoned about (and tested) as plain arithmetic.
 */

export interface GridLayout {
  columns: number;
  /** Square thumbnail side in px. */
  cell: number;
  /** Cell plus the file-name line plus the gap. */
  rowHeight: number;
  gap: number;
  rows: number;
  totalHeight: number;
}

export const GRID_GAP = 8;
/** Height of the file-name line under each thumbnail. */
export const CAPTION_HEIGHT = 22;

export function gridLayout(width: number, count: number, minCell = 160): GridLayout {
  const gap = GRID_GAP;
  const usable = Math.max(0, width - gap);
  const columns = Math.max(1, Math.floor(usable / (minCell + gap)));
  const cell = Math.max(48, Math.floor(usable / columns) - gap);
  const rowHeight = cell + CAPTION_HEIGHT + gap;
  const rows = Math.ceil(count / columns);
  return { columns, cell, rowHeight, gap, rows, totalHeight: rows * rowHeight + gap };
}

export interface VisibleRange {
  firstRow: number;
  lastRow: number;
  /** Photo indexes [start, end) covered by those rows. */
  start: number;
  end: number;
}

export function visibleRange(layout: GridLayout, count: number, scrollTop: number, viewportHeight: number, overscanRows = 3): VisibleRange {
  if (count === 0 || layout.rows === 0) return { firstRow: 0, lastRow: -1, start: 0, end: 0 };
  const firstRow = Math.max(0, Math.floor(scrollTop / layout.rowHeight) - overscanRows);
  const lastRow = Math.min(layout.rows - 1, Math.ceil((scrollTop + viewportHeight) / layout.rowHeight) + overscanRows);
  return { firstRow, lastRow, start: firstRow * layout.columns, end: Math.min(count, (lastRow + 1) * layout.columns) };
}

/** The scrollTop that brings photo `index` fully into view (unchanged when it already is). */
export function scrollToReveal(layout: GridLayout, index: number, scrollTop: number, viewportHeight: number): number {
  const row = Math.floor(index / layout.columns);
  const top = row * layout.rowHeight;
  const bottom = top + layout.rowHeight + layout.gap;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return bottom - viewportHeight;
  return scrollTop;
}
