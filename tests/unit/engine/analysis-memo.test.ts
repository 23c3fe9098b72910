/** The engine remembers a photo's analysis by content and model set: asked again, it answers at once; a failed part is tried again. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AnalysisMemo } from '../../../electron/engine/analysis-memo.js';
import type { Result } from '../../../electron/shared/contract/index.js';

const analysis = (notes: string[] = [], facesDetected = true): Result<'engine.analyze'> => ({ width: 10, height: 10, severity: {}, source: 'heuristic', suggestions: [], faces: [], facesDetected, notes, seconds: 1 });

test('one analysis per photo content and model set; answers with a failed part are not kept', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-memo-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const a = path.join(dir, 'a.jpg'), copy = path.join(dir, 'copy of a.jpg'), b = path.join(dir, 'b.jpg');
  fs.writeFileSync(a, 'photo a');
  fs.writeFileSync(copy, 'photo a');
  fs.writeFileSync(b, 'photo b');
  const memo = new AnalysisMemo();
  let runs = 0;
  const run = (notes: string[] = [], detected = true) => async () => (runs++, await new Promise((r) => setTimeout(r, 10)), analysis(notes, detected));
  await Promise.all([memo.get(a, 'm1', run()), memo.get(a, 'm1', run())]);
  await memo.get(copy, 'm1', run());
  assert.equal(runs, 1, 'asked twice at once, then for a copy: one analysis');
  await memo.get(a, 'm2', run());
  await memo.get(b, 'm1', run());
  assert.equal(runs, 3, 'other models or another photo: analysed again');
  await memo.get(b, 'm3', run(['The damage model could not run (out of memory); using the classical estimate.']));
  await memo.get(b, 'm3', run());
  await memo.get(b, 'm4', run([], false));
  await memo.get(b, 'm4', run());
  assert.equal(runs, 7, 'a failed part is tried again next time');
});
