/** The virtualised grid's geometry: columns that fit, the rows on screen, and scrolling a focused photo into view. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CAPTION_HEIGHT, GRID_GAP, gridLayout, scrollToReveal, visibleRange } from '../../../../../renderer/features/library/grid-layout.js';

test('as many columns of at least the minimum cell as the width holds, the cells sharing what is left', () => {
  const l = gridLayout(1000, 100);
  assert.equal(l.columns, 5, '5 × (160 + 8) fits in 992 px, 6 do not');
  assert.equal(l.cell, Math.floor(992 / 5) - GRID_GAP);
  assert.ok(l.columns * (l.cell + l.gap) <= 1000 - GRID_GAP);
  assert.equal(l.rowHeight, l.cell + CAPTION_HEIGHT + GRID_GAP);
  assert.equal(l.rows, 20);
  assert.equal(l.totalHeight, 20 * l.rowHeight + GRID_GAP);
});

test('a narrow or unmeasured window still shows one column of usable cells', () => {
  for (const width of [0, 50, 120]) {
    const l = gridLayout(width, 3);
    assert.equal(l.columns, 1);
    assert.ok(l.cell >= 48, `cell ${l.cell} at width ${width}`);
    assert.equal(l.rows, 3);
  }
});

test('a partly filled last row still counts as a row', () => {
  assert.equal(gridLayout(1000, 101).rows, 21);
  assert.equal(gridLayout(1000, 0).rows, 0);
});

test('only the rows on screen, plus a few above and below, are built', () => {
  const l = gridLayout(1000, 100_000);
  const top = 500 * l.rowHeight + 10;
  const r = visibleRange(l, 100_000, top, 800, 3);
  assert.equal(r.firstRow, 497);
  assert.equal(r.lastRow, Math.ceil((top + 800) / l.rowHeight) + 3);
  assert.equal(r.start, 497 * l.columns);
  assert.equal(r.end, (r.lastRow + 1) * l.columns);
  assert.ok(r.end - r.start < 100, 'a few dozen cells, not a hundred thousand');
});

test('at the ends of the grid the range stops at the first and the last photo', () => {
  const l = gridLayout(1000, 12);
  const r = visibleRange(l, 12, 0, 5000);
  assert.deepEqual([r.firstRow, r.lastRow, r.start, r.end], [0, 2, 0, 12]);
  const none = visibleRange(gridLayout(1000, 0), 0, 0, 800);
  assert.equal(none.end - none.start, 0);
});

test('revealing a photo scrolls only as far as needed, and not at all when it is in view', () => {
  const l = gridLayout(1000, 500);
  const view = 3 * l.rowHeight;
  const at = 10 * l.rowHeight;
  assert.equal(scrollToReveal(l, 11 * l.columns, at, view), at, 'already on screen');
  assert.equal(scrollToReveal(l, 2 * l.columns, at, view), 2 * l.rowHeight, 'above: its row comes to the top');
  const below = scrollToReveal(l, 20 * l.columns + 1, at, view);
  assert.equal(below, 21 * l.rowHeight + l.gap - view, 'below: its row comes to the bottom edge');
});
