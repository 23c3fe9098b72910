/** A re-run that repeats a version's repair mask: the engine is given the mask file the version's recipe names, from that photo's versions folder only; a version without one, a missing file or a name that is not a plain mask name is refused with the reason. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { restorePhoto, type RestorePhotoDeps } from '../../../electron/broker/restore-photo.js';
import { RestoreSettings } from '../../../electron/shared/recipe.js';
import { RestoraError } from '../../../electron/shared/errors.js';

/** The library's answers for photo 5 with the given versions, and the engine's calls recorded. */
function deps(dataDir: string, versions: { id: number; recipe: { settings: Record<string, unknown> } }[]) {
  const engineCalls: Record<string, unknown>[] = [];
  let n = 0;
  const d: RestorePhotoDeps = {
    dataDir,
    path,
    newFileName: () => `v${++n}`,
    emitChanged: () => undefined,
    invoke: (async (m: string) => {
      if (m === 'library.photoSource') return { path: '/photos/a.jpg', width: 4, height: 4, sha256: 'x' };
      if (m === 'library.getPhoto') return { versions };
      if (m === 'library.addVersion') return { versionId: 99 };
      throw new Error(`unexpected ${m}`);
    }) as unknown as RestorePhotoDeps['invoke'],
    runChild: (async (_m: string, p: Record<string, unknown>) => {
      engineCalls.push(p);
      fs.writeFileSync(p.output as string, 'png');
      return { output: p.output, recipe: { settings: {} } };
    }) as unknown as RestorePhotoDeps['runChild'],
  };
  return { d, engineCalls };
}

const ctx = { signal: new AbortController().signal, progress: () => undefined, relabel: () => undefined };
const settings = RestoreSettings.parse({ instruction: 'remove the scratches' });

test('repeatMaskOf hands the engine the mask the version kept, from the photo’s versions folder', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-repeat-'));
  const dir = path.join(dataDir, 'versions', '5');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'old.mask.png'), 'mask');
  const { d, engineCalls } = deps(dataDir, [{ id: 3, recipe: { settings: { damage: { mask: 'old.mask.png' } } } }]);
  await restorePhoto({ photoId: 5, settings, repeatMaskOf: 3 } as never, ctx, d);
  assert.equal(engineCalls.length, 1);
  assert.equal(engineCalls[0]!.mask, path.join(dir, 'old.mask.png'));
  // Without repeatMaskOf the engine detects afresh: no mask is given.
  await restorePhoto({ photoId: 5, settings } as never, ctx, d);
  assert.equal(engineCalls[1]!.mask, undefined);
});

test('repeatMaskOf refuses a version without a mask, a missing mask file, an unknown version and a name that leaves the folder', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-repeat-'));
  fs.mkdirSync(path.join(dataDir, 'versions', '5'), { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'outside.mask.png'), 'mask');
  const { d, engineCalls } = deps(dataDir, [
    { id: 1, recipe: { settings: {} } },
    { id: 2, recipe: { settings: { damage: { mask: 'gone.mask.png' } } } },
    { id: 4, recipe: { settings: { damage: { mask: '../../outside.mask.png' } } } },
  ]);
  const refused = (versionId: number, re: RegExp) =>
    assert.rejects(restorePhoto({ photoId: 5, settings, repeatMaskOf: versionId } as never, ctx, d), (e: RestoraError) => e.code === 'NotFound' && re.test(e.message));
  await refused(1, /Version 1 has no repair mask/);
  await refused(2, /repair mask of version 2 \(gone\.mask\.png\) is missing/);
  await refused(7, /Photo 5 has no version 7/);
  await refused(4, /Version 4 has no repair mask/);
  assert.equal(engineCalls.length, 0, 'the engine never ran');
});
