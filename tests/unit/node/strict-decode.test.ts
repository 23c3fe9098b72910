/**
 * Files that lie: a header claiming more pixels than the bytes can hold, data
 * that ends early, a JPEG beyond libjpeg's 65,500 pixels. Each is refused (or
 * read as damaged) from its header or its first warning, quickly, with one
 * plain sentence.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { implausibleClaim, jpegFrameType, overBudget, decodeMemoryBudget } from '../../../electron/node/image-budget.js';
import { classifyDecodeError, readHeader as checkHeader, strictly, type FailOn } from '../../../electron/node/strict-decode.js';
import { lyingJpeg } from '../../../devkit/images.js';
import { bombPng } from '../../../devkit/make-images.js';
import type { RestoraError } from '../../../electron/shared/errors.js';

/** The header check as the workers run it: sharp reads the header, limits off. */
const readHeader = (subject: string, source: Buffer) => checkHeader(subject, source, (s) => sharp(s, { limitInputPixels: false }).metadata());
const noise = (w: number, h: number) => sharp({ create: { width: w, height: h, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 30 } } });

test('a JPEG claiming 16000×12000 in a few hundred bytes is refused from its header, in milliseconds', async () => {
  const liar = await lyingJpeg(16000, 12000);
  assert.ok(liar.length < 1000);
  const t0 = performance.now();
  await assert.rejects(readHeader('liar.jpg', liar), (e: RestoraError) => {
    assert.equal(e.code, 'CorruptInput');
    assert.equal(e.message, `liar.jpg is damaged: its header claims 16000×12000 pixels, but the file holds only ${liar.length} bytes.`);
    return true;
  });
  assert.ok(performance.now() - t0 < 500, `took ${performance.now() - t0} ms`);
});

test('real photos, flat ones included, are within the claims their formats allow', async () => {
  for (const format of ['jpeg', 'png'] as const) {
    const flat = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#808080' } })[format]().toBuffer();
    const h = await readHeader('flat', flat);
    assert.deepEqual([h.width, h.height], [4000, 3000], format);
    const photo = await noise(640, 480)[format]().toBuffer();
    assert.equal((await readHeader('photo', photo)).width, 640);
  }
  // A flat grey 1-bit PNG is the most compressible PNG there is: still plausible.
  const bilevel = await sharp({ create: { width: 3000, height: 3000, channels: 3, background: '#ffffff' } }).png({ palette: true, colours: 2 }).toBuffer();
  assert.equal(implausibleClaim({ format: 'png', width: 3000, height: 3000, bytes: bilevel.length }), null);
});

test('formats without a floor on bytes per pixel are left to the budgets; arithmetic-coded JPEG too', () => {
  assert.equal(implausibleClaim({ format: 'webp', width: 16000, height: 12000, bytes: 100 }), null);
  assert.equal(implausibleClaim({ format: 'gif', width: 10000, height: 10000, bytes: 100 }), null);
  const arithmetic = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0, 0, 0xff, 0xc9, 0x00, 0x0b]);
  assert.equal(jpegFrameType(arithmetic), 0xc9);
  assert.equal(implausibleClaim({ format: 'jpeg', width: 16000, height: 12000, bytes: 700, head: arithmetic }), null);
  assert.match(implausibleClaim({ format: 'jpeg', width: 16000, height: 12000, bytes: 700 }) ?? '', /claims 16000×12000/);
});

test('a bomb is too large before it is a liar, and memory is a budget of its own', async () => {
  await assert.rejects(readHeader('bomb.png', bombPng(50_000, 50_000)), (e: RestoraError) => e.code === 'TooLarge' && /50000×50000 is 2500 megapixels/.test(e.message));
  assert.match(overBudget(10_000, 10_000, 3, 256 * 2 ** 20) ?? '', /needs about 954 MB of memory to open, more than the 256 MB allowed for one photo/);
  assert.equal(overBudget(1000, 1000, 3, 256 * 2 ** 20), null);
  assert.equal(decodeMemoryBudget({ RESTORA_DECODE_MEMORY_MB: '300' }), 300 * 2 ** 20);
  assert.equal(decodeMemoryBudget({}, 8 * 2 ** 30), 4 * 2 ** 30);
  assert.equal(decodeMemoryBudget({}, 4 * 2 ** 30), 2 * 2 ** 30);
});

test('data that ends early is damaged, found on the first warning instead of padded with grey', async () => {
  const liar = await lyingJpeg(4000, 3000);
  // Plausible for its size? No: but even when the header check is skipped, the decode finds it.
  const decode = (failOn: FailOn) => sharp(liar, { failOn }).resize(256).raw().toBuffer();
  await assert.rejects(strictly(decode), (e) => classifyDecodeError(e).kind === 'damaged');
  const full = await noise(400, 300).jpeg().toBuffer();
  const truncated = full.subarray(0, full.length >> 1);
  await assert.rejects(strictly((failOn) => sharp(truncated, { failOn }).raw().toBuffer()), (e) => classifyDecodeError(e).says === 'is damaged: its image data ends early');
  // A warning that loses nothing is retried leniently.
  let calls: string[] = [];
  const out = await strictly(async (failOn) => {
    calls.push(failOn);
    if (failOn === 'warning') throw new Error('VipsJpeg: Corrupt JPEG data: 5 extraneous bytes before marker 0xd9');
    return 'pixels';
  });
  assert.equal(out, 'pixels');
  assert.deepEqual(calls, ['warning', 'error']);
  calls = [];
});

test('libvips messages become one plain sentence: the 65,500-pixel limit is said once, timeouts and missing files plainly', async () => {
  const wide = await lyingJpeg(65_535, 100);
  await assert.rejects(readHeader('wide.jpg', wide), (e: RestoraError) => {
    assert.equal(e.message, 'wide.jpg is too large to open: the JPEG decoder handles at most 65,500 pixels a side.');
    return true;
  });
  assert.equal(classifyDecodeError(new Error('timeout: 66% complete\nVipsImage: killed for image "temp-136"')).kind, 'timeout');
  assert.equal(classifyDecodeError(Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' })).says, 'does not exist');
  assert.equal(classifyDecodeError(new Error('Input file contains unsupported image format')).kind, 'unsupported');
});
