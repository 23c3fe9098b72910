/** The filter bar and the sidebar's scope as library.listPhotos parameters, and when the grid counts as narrowed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activeFilterCount, buildQuery, isNarrowed, NO_FILTERS } from '../../../../../renderer/features/library/filters.js';

test('no filters: every photo in the scope, the search text trimmed, the natural sort direction', () => {
  assert.deepEqual(buildQuery({ kind: 'all' }, '  harbour ', NO_FILTERS, 'imported', undefined), { query: 'harbour', filter: {}, sort: 'imported' });
  assert.deepEqual(buildQuery({ kind: 'folder', folder: '/scans' }, '', NO_FILTERS, 'name', 'desc'), {
    query: '',
    filter: { folder: '/scans', recursive: true },
    sort: 'name',
    direction: 'desc',
  });
});

test('each filter the user sets becomes one condition; unset ones send nothing', () => {
  const q = buildQuery({ kind: 'album', albumId: 3, name: 'Summer' }, '', { ...NO_FILTERS, from: '1980-01-01', to: '1989-12-31', minRating: 4, favorite: true, restored: 'no', faces: 'yes', duplicates: true, missing: true }, 'taken', undefined);
  assert.deepEqual(q.filter, { albumId: 3, from: '1980-01-01', to: '1989-12-31', minRating: 4, favorite: true, restored: false, hasFaces: true, duplicates: true, missing: true });
  const tag = buildQuery({ kind: 'tag', tag: 'lighthouse' }, '', { ...NO_FILTERS, restored: 'yes' }, 'rating', undefined);
  assert.deepEqual(tag.filter, { tag: 'lighthouse', restored: true });
});

test('the filter count shown on the bar counts what narrows the grid', () => {
  assert.equal(activeFilterCount(NO_FILTERS), 0);
  assert.equal(activeFilterCount({ ...NO_FILTERS, minRating: 3, faces: 'no', missing: true }), 3);
  assert.equal(activeFilterCount({ ...NO_FILTERS, minRating: 0, restored: '' }), 0);
});

test('the grid is narrowed by a scope, a search or a filter, and not by blank search text', () => {
  assert.equal(isNarrowed({ kind: 'all' }, '', NO_FILTERS), false);
  assert.equal(isNarrowed({ kind: 'all' }, '   ', NO_FILTERS), false);
  assert.equal(isNarrowed({ kind: 'all' }, 'wedding', NO_FILTERS), true);
  assert.equal(isNarrowed({ kind: 'tag', tag: 'x' }, '', NO_FILTERS), true);
  assert.equal(isNarrowed({ kind: 'all' }, '', { ...NO_FILTERS, favorite: true }), true);
});

test('the camera filter and best-match sort go to the query as given', () => {
  const q = buildQuery({ kind: 'all' }, 'family', { ...NO_FILTERS, camera: 'Epson V600' }, 'relevance', undefined);
  assert.deepEqual(q, { query: 'family', filter: { camera: 'Epson V600' }, sort: 'relevance' });
  assert.equal(activeFilterCount({ ...NO_FILTERS, camera: 'Epson V600' }), 1);
});
