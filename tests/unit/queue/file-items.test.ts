/** Results of a plain-file batch land under their planned names, and never over a file another run put there meanwhile. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileHooks, planFileItems } from '../../../electron/queue/file-items.js';
import type { QueueJobResult } from '../../../electron/shared/queue-job.js';

// summary() reads only these fields of a worker's result.
const result = { recipe: { totalSeconds: 1, mode: 'fast', seed: null, settings: {} }, worker: { name: 'w1', seconds: 1 } } as unknown as QueueJobResult;

test('a file that appeared under the planned name is kept, the result takes the next free name, and a reattached batch does not write twice', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-file-items-'));
  const [item] = planFileItems([path.join(dir, 'in', 'a.jpg')], path.join(dir, 'out'));
  assert.equal(item!.source.kind === 'file' && item!.source.output, path.join(dir, 'out', 'a-restored.png'));
  fs.mkdirSync(path.join(dir, 'out'));
  fs.writeFileSync(path.join(dir, 'out', 'a-restored.png'), 'another run wrote this');
  const png = Buffer.from('the restored photo');
  const first = await fileHooks.collect(item!, result, png);
  assert.equal(first.output, path.join(dir, 'out', 'a-restored (2).png'));
  assert.equal(fs.readFileSync(path.join(dir, 'out', 'a-restored.png'), 'utf8'), 'another run wrote this');
  assert.equal(fs.readFileSync(first.output!, 'utf8'), 'the restored photo');

  const [again] = planFileItems([path.join(dir, 'in', 'b.jpg')], path.join(dir, 'out'));
  const once = await fileHooks.collect(again!, result, png);
  const twice = await fileHooks.collect(again!, result, png);
  assert.equal(twice.output, once.output);
  assert.deepEqual(fs.readdirSync(path.join(dir, 'out')).sort(), ['a-restored (2).png', 'a-restored.png', 'b-restored.png']);
});
