import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { makePhotoFolder } from '../../../devkit/make-images.js';
import { contractHandlers, freshLibrary, rmAfter, tempDir, testContext } from './helpers.js';
import { createLibrary, type Library } from '../../../electron/library/library.js';
import { photoThumbPaths } from '../../../electron/library/thumbnails.js';
import { RestoraError } from '../../../electron/shared/errors.js';

const here = path.dirname(fileURLToPath(import.meta.url));

function photoCount(lib: Library): number {
  return (lib.db.prepare('SELECT count(*) AS n FROM photos').get() as { n: number }).n;
}

/** Every row has both thumbnails: no half-imported photo. */
function assertNoHalfRows(lib: Library): void {
  for (const r of lib.db.prepare('SELECT sha256 FROM photos').all() as Array<{ sha256: string }>) {
    const tp = photoThumbPaths(lib.paths.thumbnails, r.sha256);
    assert.ok(fs.existsSync(tp.thumb) && fs.existsSync(tp.preview), `thumbnails of ${r.sha256}`);
  }
}

test('re-importing the same files (or a copy under another name) adds nothing', async (t) => {
  const { lib } = freshLibrary(t);
  const dir = rmAfter(t, tempDir());
  const files = await makePhotoFolder(dir, 4);
  fs.copyFileSync(files[0]!, path.join(dir, 'copy of first.jpg'));
  const h = contractHandlers(lib);
  const first = await h['library.import']({ paths: [dir] }, testContext());
  assert.equal(first.imported, 4);
  assert.equal(first.duplicates, 1);
  const again = await h['library.import']({ paths: [dir, files[1]!] }, testContext());
  assert.deepEqual([again.imported, again.duplicates, again.skipped.length], [0, 5, 0]);
  assert.equal(photoCount(lib), 4);
});

test('two copies of one file imported side by side (in flight together) give one photo and one duplicate', async (t) => {
  const { lib } = freshLibrary(t);
  const dir = rmAfter(t, tempDir());
  const [file] = await makePhotoFolder(dir, 1);
  for (const name of ['a.jpg', 'b.jpg', 'c.jpg']) fs.copyFileSync(file!, path.join(dir, name));
  fs.rmSync(file!);
  const res = await contractHandlers(lib)['library.import']({ paths: [dir] }, testContext());
  assert.deepEqual([res.imported, res.duplicates, res.skipped.length], [1, 2, 0]);
  assert.equal(photoCount(lib), 1);
});

test('a cancelled import stops between files, keeps what it did, and resumes without duplicates', async (t) => {
  const { lib } = freshLibrary(t);
  const dir = rmAfter(t, tempDir());
  await makePhotoFolder(dir, 8);
  const h = contractHandlers(lib);
  const ctx = testContext();
  const origProgress = ctx.progress.bind(ctx);
  ctx.progress = (u) => {
    origProgress(u);
    if (u.data?.done === 3) ctx.controller.abort();
  };
  await assert.rejects(async () => h['library.import']({ paths: [dir] }, ctx), (err: unknown) => err instanceof RestoraError && err.code === 'Cancelled');
  const afterCancel = photoCount(lib);
  assert.ok(afterCancel >= 3 && afterCancel < 8, `imported before the cancel: ${afterCancel}`);
  const runs = await h['library.importRuns']({}, testContext()) as { runs: Array<{ id: number; state: string; pending: number }> };
  assert.equal(runs.runs[0]!.state, 'cancelled');
  assert.equal(runs.runs[0]!.pending, 8 - afterCancel);

  const resumed = await h['library.resumeImport']({ runId: runs.runs[0]!.id }, testContext());
  assert.equal(resumed.imported, 8 - afterCancel);
  assert.equal(photoCount(lib), 8);
  const after = await h['library.importRuns']({}, testContext()) as { runs: Array<{ state: string; pending: number }> };
  assert.deepEqual([after.runs[0]!.state, after.runs[0]!.pending], ['done', 0]);
  assertNoHalfRows(lib);
});

test('an import killed with SIGKILL leaves no half rows and resumes to a complete library', async (t) => {
  const home = rmAfter(t, tempDir('restora-home-'));
  const dir = rmAfter(t, tempDir());
  await makePhotoFolder(dir, 24);
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'import-child.ts'), home, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  let finished = false;
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (/done (\d+)\n/.test(out) && Number([...out.matchAll(/done (\d+)/g)].at(-1)![1]) >= 6) child.kill('SIGKILL');
    });
    child.on('exit', () => resolve());
    child.on('error', reject);
  });
  finished = out.includes('finished');
  assert.equal(finished, false, 'the child should have been killed mid-import');

  const lib = createLibrary(home);
  t.after(() => lib.close());
  const before = photoCount(lib);
  assert.ok(before >= 5 && before < 24, `photos committed before the kill: ${before}`);
  assertNoHalfRows(lib);
  const h = contractHandlers(lib);
  const runs = (await h['library.importRuns']({}, testContext()) as { runs: Array<{ id: number; state: string; pending: number }> }).runs;
  assert.equal(runs[0]!.state, 'interrupted');
  assert.equal(runs[0]!.pending, 24 - before);
  const resumed = await h['library.resumeImport']({ runId: runs[0]!.id }, testContext());
  assert.equal(resumed.imported + resumed.duplicates, 24 - before);
  assert.equal(photoCount(lib), 24);
  assertNoHalfRows(lib);
  // Importing the whole folder again finds everything already there.
  const again = await h['library.import']({ paths: [dir] }, testContext());
  assert.deepEqual([again.imported, again.duplicates], [0, 24]);
});

test('an import that fills the disk stops with one sentence, is left interrupted, and resumes once there is room (simulated: test-only quota)', async (t) => {
  const { lib } = freshLibrary(t);
  const dir = rmAfter(t, tempDir());
  await makePhotoFolder(dir, 8);
  const h = contractHandlers(lib);
  // RESTORA_TEST_FREE_BYTES: what this process sees as free, less what its writers have written
  // since. The import keeps 16 MiB in hand, so this leaves room for a photo or two.
  process.env.RESTORA_TEST_FREE_BYTES = String(16 * 2 ** 20 + 200 * 1024);
  let err: RestoraError | undefined;
  try {
    await h['library.import']({ paths: [dir] }, testContext());
  } catch (e) {
    err = e as RestoraError;
  } finally {
    delete process.env.RESTORA_TEST_FREE_BYTES;
  }
  assert.equal(err?.code, 'DiskFull');
  assert.match(err!.message, /^Import stopped after \d of 8 photos: the disk holding the Restora data folder \(.+\) is full\. Free some space, then resume it \(restora import --resume, or Resume in the Import panel\)\.$/);
  const stoppedAt = photoCount(lib);
  assert.ok(stoppedAt < 8);
  assertNoHalfRows(lib);
  const runs = (await h['library.importRuns']({}, testContext())).runs;
  assert.deepEqual([runs[0]!.state, runs[0]!.pending], ['interrupted', 8 - stoppedAt]);
  const resumed = await h['library.resumeImport']({ runId: runs[0]!.id }, testContext());
  assert.equal(resumed.imported, 8 - stoppedAt);
  assert.equal(photoCount(lib), 8);
  assertNoHalfRows(lib);
});
