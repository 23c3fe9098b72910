/** The sidebar's scope: its filter, its label, and folders shown as an indented tree. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { folderTree, sameScope, scopeFilter, scopeLabel } from '../../../../../renderer/features/library/scope.js';

test('each scope narrows the grid to what its label says', () => {
  assert.deepEqual(scopeFilter({ kind: 'all' }), {});
  assert.deepEqual(scopeFilter({ kind: 'folder', folder: '/p/Family' }), { folder: '/p/Family', recursive: true });
  assert.deepEqual(scopeFilter({ kind: 'album', albumId: 2, name: 'Summer' }), { albumId: 2 });
  assert.deepEqual(scopeFilter({ kind: 'tag', tag: '1930s' }), { tag: '1930s' });
  assert.equal(scopeLabel({ kind: 'all' }), 'All photos');
  assert.equal(scopeLabel({ kind: 'album', albumId: 2, name: 'Summer' }), 'Album “Summer”');
  assert.equal(scopeLabel({ kind: 'tag', tag: '1930s' }), 'Tag “1930s”');
  // What a job made (the Jobs panel's link): those photos, at most as many as a filter takes.
  assert.deepEqual(scopeFilter({ kind: 'ids', ids: [3, 9], label: 'What “Restore 2 photos” made' }), { ids: [3, 9] });
  assert.equal(scopeFilter({ kind: 'ids', ids: Array.from({ length: 12_000 }, (_, i) => i + 1), label: '' }).ids!.length, 10_000);
  assert.equal(scopeLabel({ kind: 'ids', ids: [3], label: 'What “Restore 1 photo” made' }), 'What “Restore 1 photo” made');
  assert.ok(sameScope({ kind: 'tag', tag: 'a' }, { kind: 'tag', tag: 'a' }));
  assert.ok(!sameScope({ kind: 'tag', tag: 'a' }, { kind: 'all' }));
});

test('folders are labelled from their nearest listed parent and indented under it', () => {
  const tree = folderTree(['/home/me/Pictures/Family', '/home/me/Pictures/Family/1987', '/home/me/Pictures/Harbour']);
  assert.deepEqual(tree, [
    { folder: '/home/me/Pictures/Family', label: 'Family', depth: 0 },
    { folder: '/home/me/Pictures/Family/1987', label: '1987', depth: 1 },
    { folder: '/home/me/Pictures/Harbour', label: 'Harbour', depth: 0 },
  ]);
});

test('Windows folders split on backslashes; a single folder shows its own name', () => {
  assert.deepEqual(folderTree(['C:\\Scans\\A', 'C:\\Scans\\B']).map((f) => f.label), ['A', 'B']);
  assert.deepEqual(folderTree(['/scans']), [{ folder: '/scans', label: 'scans', depth: 0 }]);
  assert.deepEqual(folderTree([]), []);
});
