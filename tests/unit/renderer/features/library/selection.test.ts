/** Grid selection as the user drives it: click, Ctrl-click, Shift-click ranges, arrow keys, and photos that leave the library. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EMPTY_SELECTION, moveFocus, selectOnly, span, toggle, withRange, without, type Selection } from '../../../../../renderer/features/library/selection.js';

const ids = (s: Selection) => [...s.ids].sort((a, b) => a - b);

test('a click selects that photo alone and becomes the anchor and focus', () => {
  const s = selectOnly(42, 3);
  assert.deepEqual(ids(s), [42]);
  assert.equal(s.anchor, 3);
  assert.equal(s.focus, 3);
});

test('Ctrl-click adds a photo, and a second Ctrl-click on it takes it out again', () => {
  const two = toggle(selectOnly(1, 0), 5, 4);
  assert.deepEqual(ids(two), [1, 5]);
  assert.equal(two.anchor, 4, 'the next Shift-click extends from the last clicked photo');
  const back = toggle(two, 5, 4);
  assert.deepEqual(ids(back), [1]);
  assert.deepEqual(ids(two), [1, 5], 'the earlier selection is a value and stays as it was');
});

test('Shift-click replaces the selection with the range; with Ctrl it adds the range', () => {
  const start = toggle(selectOnly(10, 0), 99, 7);
  const replaced = withRange({ ...start, anchor: 0 }, [10, 11, 12], 2, false);
  assert.deepEqual(ids(replaced), [10, 11, 12]);
  assert.equal(replaced.anchor, 0, 'the anchor stays where the range started');
  assert.equal(replaced.focus, 2);
  const added = withRange({ ...start, anchor: 0 }, [10, 11, 12], 2, true);
  assert.deepEqual(ids(added), [10, 11, 12, 99]);
});

test('a range with no anchor yet starts at the photo clicked', () => {
  assert.equal(withRange(EMPTY_SELECTION, [7], 5, false).anchor, 5);
});

test('removed photos leave the selection; an unaffected selection is returned as is', () => {
  const s = withRange(EMPTY_SELECTION, [1, 2, 3], 2, false);
  assert.deepEqual(ids(without(s, [2, 8])), [1, 3]);
  assert.equal(without(s, [8, 9]), s);
});

test('arrow keys: the first press focuses the first photo, then moves by one or by a row, never off the grid', () => {
  const columns = 4;
  const total = 10;
  assert.equal(moveFocus(-1, 'down', columns, total), 0);
  assert.equal(moveFocus(0, 'right', columns, total), 1);
  assert.equal(moveFocus(5, 'left', columns, total), 4);
  assert.equal(moveFocus(1, 'down', columns, total), 5);
  assert.equal(moveFocus(5, 'up', columns, total), 1);
  assert.equal(moveFocus(0, 'left', columns, total), 0);
  assert.equal(moveFocus(9, 'right', columns, total), 9);
  assert.equal(moveFocus(7, 'down', columns, total), 9, 'down from the last full row lands on the last photo');
  assert.equal(moveFocus(2, 'up', columns, total), 0, 'up from the first row goes to the first photo');
});

test('a range between two positions is ordered whichever way it was made', () => {
  assert.deepEqual(span(2, 9), [2, 9]);
  assert.deepEqual(span(9, 2), [2, 9]);
  assert.deepEqual(span(4, 4), [4, 4]);
});
