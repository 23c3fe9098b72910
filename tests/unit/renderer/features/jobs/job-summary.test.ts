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

test('a find-people run says what it looked at and how many people there are now', () => {
  const result = { photos: 40, faces: 57, failed: 1, errors: [], clustered: { assigned: 57, created: 9, people: 12 } };
  assert.equal(summarizeResult({ method: 'people.find', state: 'done', result })?.text, '40 photos looked at, 57 faces; 12 people in the library, 1 unreadable');
  assert.equal(summarizeResult({ method: 'people.find', state: 'done', result: { ...result, photos: 1, faces: 1, failed: 0, clustered: { assigned: 1, created: 1, people: 1 } } })?.text, '1 photo looked at, 1 face; 1 person in the library');
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
