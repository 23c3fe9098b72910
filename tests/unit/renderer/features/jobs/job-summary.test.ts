import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startedAt, summarizeResult } from '../../../../../renderer/features/jobs/job-summary.js';
import { jobLabel, methods, type MethodName } from '../../../../../electron/shared/contract/index.js';

test('what a job made, in one line', () => {
  assert.deepEqual(summarizeResult({ method: 'restore.photo', state: 'done', result: { photoId: 4, versionId: 9 } }), { text: 'New version 9 of photo 4', photoIds: [4] });
  assert.equal(
    summarizeResult({ method: 'library.export', state: 'done', result: { written: [{ kind: 'photo', id: 1, path: '/out/a.jpg' }, { kind: 'photo', id: 2, path: '/out/b.jpg' }], skipped: [{ path: 'x', reason: 'y' }] } })!.text,
    '2 files written to /out, 1 skipped',
  );
  const batch = summarizeResult({ method: 'restore.folder', state: 'done', result: { items: [{ state: 'done', output: '/r/a.png', name: 'a' }, { state: 'failed', name: 'b' }] } })!;
  assert.equal(batch.text, '1 photo restored in /r, 1 not');
  assert.equal(summarizeResult({ method: 'library.import', state: 'done', result: { imported: 3, duplicates: 1, skippedCount: 0, photoIds: [1, 2, 3] } })!.text, '3 imported, 1 already in the library');
  assert.equal(summarizeResult({ method: 'restore.photo', state: 'failed' }), null);
});

test('start times: the time today, the date otherwise', () => {
  const now = new Date(2026, 11, 5, 14, 0, 0).getTime();
  assert.equal(startedAt(new Date(2026, 11, 5, 9, 3, 7).getTime(), now), '09:03:07');
  assert.match(startedAt(new Date(2026, 11, 3, 9, 3, 7).getTime(), now), /^3 Dec,? 09:03$/);
});

test('every job has a human name, never its method name', () => {
  for (const [name, spec] of Object.entries(methods)) {
    if (!spec.job) continue;
    assert.ok(spec.label, `${name} has a label`);
  }
  assert.equal(jobLabel('library.checkFiles' as MethodName, {}), 'Check the originals are in place');
});
