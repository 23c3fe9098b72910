/** Output checks and write errors as one sentence; file names that are not UTF-8 or hold control characters. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freeBytes, noteWritten, prepareOutputFolder, writeProblem } from '../../../electron/node/disk-space.js';
import { isUtf8Name, printable, showBytes } from '../../../electron/node/file-names.js';
import type { RestoraError } from '../../../electron/shared/errors.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'restora-disk-'));

test('prepareOutputFolder makes missing folders, leaves nothing behind, and refuses a file in the way or a full disk', (t) => {
  const dir = tmp();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const deep = path.join(dir, 'a', 'b', 'c');
  prepareOutputFolder(deep, 1000);
  assert.deepEqual(fs.readdirSync(deep), []);
  fs.writeFileSync(path.join(dir, 'file'), 'x');
  assert.throws(() => prepareOutputFolder(path.join(dir, 'file')), (e: RestoraError) => e.code === 'Conflict' && /it is a file, not a folder\.$/.test(e.message));
  assert.throws(() => prepareOutputFolder(path.join(dir, 'file', 'sub')), /Cannot create the folder .*: a file is in the way where a folder should be\.$/);
  process.env.RESTORA_TEST_FREE_BYTES = String(10 * 2 ** 20);
  try {
    assert.equal(freeBytes(dir), 10 * 2 ** 20);
    noteWritten(2 ** 20);
    assert.equal(freeBytes(dir), 9 * 2 ** 20, 'what this process wrote counts against the quota');
    assert.throws(() => prepareOutputFolder(deep, 20 * 2 ** 20), (e: RestoraError) => e.code === 'DiskFull' && e.message === `Not enough free space in ${deep}: the result needs about 20 MB, and 9 MB is free.`);
  } finally {
    delete process.env.RESTORA_TEST_FREE_BYTES;
  }
});

test('write errors are one sentence, never the raw errno text', () => {
  const err = (code: string) => Object.assign(new Error(`${code}: something, mkdir '/x'`), { code });
  assert.equal(writeProblem(err('ENOSPC'), '/out').message, 'Cannot write to /out: the disk is full.');
  assert.equal(writeProblem(err('EROFS'), '/out', 'create the folder').message, 'Cannot create the folder /out: the disk is read-only.');
  assert.equal(writeProblem(err('EACCES'), '/out').message, 'Cannot write to /out: permission denied.');
  assert.equal(writeProblem(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }), '/data').code, 'DiskFull');
});

test('a name that is not UTF-8 is noticed and shown with its bad bytes escaped; control characters print on one line', () => {
  const bad = Buffer.concat([Buffer.from('café-'), Buffer.from([0xe9, 0xff]), Buffer.from('.jpg')]);
  assert.equal(isUtf8Name(bad), false);
  assert.equal(isUtf8Name(Buffer.from('Фото — 日本語 é.jpg')), true);
  assert.equal(showBytes(bad), 'café-\\xE9\\xFF.jpg');
  assert.equal(printable('line\nbreak\tand\u001b[31mred.png'), 'line\\nbreak\\tand\\u001b[31mred.png');
  assert.equal(printable('C:\\photos\\ok.png'), 'C:\\photos\\ok.png');
});
