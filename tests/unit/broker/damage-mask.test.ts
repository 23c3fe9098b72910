/** The edited damage mask's upload: parts joined in any order, a PNG the size of the photo kept under the data folder, anything else refused with a reason. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { MaskUploads, pngSize } from '../../../electron/broker/damage-mask.js';
import { editedMaskFile } from '../../../electron/broker/mask-files.js';
import { RestoraError } from '../../../electron/shared/errors.js';

/** The library's answer for the photo's size (the only library call an upload makes). */
function uploads(dataDir: string, width = 40, height = 30) {
  const invoke = (async (m: string) => {
    if (m === 'library.photoSource') return { path: '/photos/a.jpg', width, height, sha256: 'x' };
    throw new Error(`unexpected ${m}`);
  }) as unknown as ConstructorParameters<typeof MaskUploads>[0]['invoke'];
  return new MaskUploads({ dataDir, invoke });
}

const maskPng = (w: number, h: number) => sharp({ create: { width: w, height: h, channels: 4, background: { r: 255, g: 255, b: 255, alpha: 0 } } }).png().toBuffer();

test('a mask sent in parts, in any order, is kept as the photo’s edited mask', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-mask-'));
  const png = await maskPng(40, 30);
  const b64 = png.toString('base64');
  const half = Math.ceil(b64.length / 8) * 4;
  const parts = [b64.slice(0, half), b64.slice(half)];
  const u = uploads(dir);
  assert.throws(() => editedMaskFile(dir, 7), /no edited damage mask/);
  assert.deepEqual(await u.receive({ photoId: 7, uploadId: 'abcdefgh12', part: 1, parts: 2, data: parts[1]! }), { done: false });
  assert.deepEqual(await u.receive({ photoId: 7, uploadId: 'abcdefgh12', part: 0, parts: 2, data: parts[0]! }), { done: true, width: 40, height: 30 });
  assert.deepEqual(fs.readFileSync(editedMaskFile(dir, 7)), png);
  assert.equal(path.dirname(editedMaskFile(dir, 7)), path.join(dir, 'masks', '7'));
});

test('a mask of another size, a file that is not a PNG, and parts that disagree are refused with the reason', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-mask-'));
  const u = uploads(dir);
  await assert.rejects(
    u.receive({ photoId: 3, uploadId: 'wrongsize1', part: 0, parts: 1, data: (await maskPng(41, 30)).toString('base64') }),
    (e: RestoraError) => e.code === 'BadRequest' && /41×30 but the photo is 40×30/.test(e.message),
  );
  await assert.rejects(
    u.receive({ photoId: 3, uploadId: 'notapng123', part: 0, parts: 1, data: Buffer.from('GIF89a and more bytes than a header has ok').toString('base64') }),
    (e: RestoraError) => e.code === 'CorruptInput',
  );
  await u.receive({ photoId: 3, uploadId: 'mixed12345', part: 0, parts: 2, data: 'AAAA' });
  await assert.rejects(u.receive({ photoId: 4, uploadId: 'mixed12345', part: 1, parts: 2, data: 'AAAA' }), /disagree/);
  assert.ok(!fs.existsSync(path.join(dir, 'masks', '3', 'edited.png')));
});

test('pngSize reads the header and refuses what is not a PNG', async () => {
  assert.deepEqual(pngSize(await maskPng(17, 9)), { width: 17, height: 9 });
  assert.throws(() => pngSize(Buffer.alloc(40)), /not a PNG/);
});
