import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { photoBuffer, prng } from '../../../devkit/make-images.js';
import { hamming, phashImage, sha256File } from '../../../electron/library/hashes.js';
import { DUPLICATE_DISTANCE, PhashIndex, assignGroups } from '../../../electron/library/duplicates.js';
import { rmAfter, tempDir } from './helpers.js';
import { sharedDataDir } from '../../../devkit/shared-data.js';

test('sha256File matches a one-shot hash of the bytes, for a multi-megabyte file', async (t) => {
  const file = path.join(rmAfter(t, tempDir()), 'big.bin');
  const data = Buffer.alloc(3 * 1024 * 1024 + 17);
  for (let i = 0; i < data.length; i++) data[i] = (i * 31) & 0xff;
  fs.writeFileSync(file, data);
  assert.equal(await sha256File(file), createHash('sha256').update(data).digest('hex'));
});

test('hamming counts differing bits', () => {
  assert.equal(hamming('0000000000000000', '0000000000000000'), 0);
  assert.equal(hamming('ffffffffffffffff', '0000000000000000'), 64);
  assert.equal(hamming('8000000000000001', '0000000000000000'), 2);
  assert.equal(hamming('00000000f0000000', '0000000000000000'), 4);
});

test('pHash: re-encodes, resizes and small tone changes stay close; different photos are far apart', async () => {
  const photos = await Promise.all([1, 2, 3, 4, 5, 6].map((s) => photoBuffer(s, 640, 480)));
  const base = await phashImage(photos[0]!);
  const variants = [
    await sharp(photos[0]!).resize(200).jpeg({ quality: 50 }).toBuffer(),
    await sharp(photos[0]!).resize(1280).webp({ quality: 80 }).toBuffer(),
    await sharp(photos[0]!).modulate({ brightness: 1.08 }).jpeg().toBuffer(),
    await sharp(photos[0]!).greyscale().jpeg().toBuffer(),
  ];
  for (const v of variants) {
    const d = hamming(base, await phashImage(v));
    assert.ok(d <= DUPLICATE_DISTANCE, `variant distance ${d}`);
  }
  const hashes = await Promise.all(photos.map((p) => phashImage(p)));
  for (let i = 0; i < hashes.length; i++) {
    for (let j = i + 1; j < hashes.length; j++) assert.ok(hamming(hashes[i]!, hashes[j]!) > 12, `photos ${i} and ${j} too close`);
  }
  // A crop to a different part of the picture is a different picture.
  const crop = await sharp(photos[0]!).extract({ left: 0, top: 0, width: 320, height: 240 }).toBuffer();
  assert.ok(hamming(base, await phashImage(crop)) > DUPLICATE_DISTANCE);
});

/** A print faded unevenly: contrast down, blacks lifted, yellowed more towards the edges than at one spot. */
async function unevenlyFaded(file: string): Promise<Buffer> {
  const { width: w, height: h } = await sharp(file).metadata();
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><defs><radialGradient id="g" cx="0.2" cy="0.3" r="0.9">` +
    `<stop offset="0" stop-color="#f4e4c0" stop-opacity="0.05"/><stop offset="1" stop-color="#f4e4c0" stop-opacity="0.6"/></radialGradient></defs><rect width="${w}" height="${h}" fill="url(#g)"/></svg>`;
  return sharp(file).linear(0.6, 60).composite([{ input: Buffer.from(svg) }]).jpeg({ quality: 75 }).toBuffer();
}

test('faded copies of real old photos are look-alikes; the other old photos are not', async () => {
  const dir = path.join(sharedDataDir(), 'old-photos');
  // A real pair: the same print, one copy faded.
  assert.ok(hamming(await phashImage(path.join(dir, 'overmiller.jpg')), await phashImage(path.join(dir, 'FadedOvermiller.PNG'))) <= DUPLICATE_DISTANCE);
  // Uneven fading moves these 7-8 bits: found at the distance the library uses.
  const names = ['1850Geography.jpg', '1890sMedStudents.png', '1901Electrophone.jpg', '1930sGeorgia.jpg', 'Boston1937.jpg'];
  const hashes = await Promise.all(names.map((n) => phashImage(path.join(dir, n))));
  for (const [i, n] of names.entries()) {
    const d = hamming(hashes[i]!, await phashImage(await unevenlyFaded(path.join(dir, n))));
    assert.ok(d <= DUPLICATE_DISTANCE, `${n}: faded copy ${d} bits away`);
  }
  for (let i = 0; i < hashes.length; i++) for (let j = i + 1; j < hashes.length; j++) assert.ok(hamming(hashes[i]!, hashes[j]!) > 2 * DUPLICATE_DISTANCE, `${names[i]} and ${names[j]}`);
});

test('PhashIndex.near finds exactly what a brute-force scan finds', () => {
  const rnd = prng(42);
  const hex = () => Array.from({ length: 16 }, () => Math.floor(rnd() * 16).toString(16)).join('');
  const flip = (h: string, bits: number) => {
    let v = BigInt('0x' + h);
    const used = new Set<number>();
    while (used.size < bits) used.add(Math.floor(rnd() * 64));
    for (const b of used) v ^= 1n << BigInt(b);
    return v.toString(16).padStart(16, '0');
  };
  const rows: Array<{ id: number; phash: string }> = [];
  for (let i = 1; i <= 2000; i++) {
    // Every fifth hash is a near or far variant of an earlier one.
    const h = i > 10 && i % 5 === 0 ? flip(rows[Math.floor(rnd() * rows.length)]!.phash, 1 + Math.floor(rnd() * 10)) : hex();
    rows.push({ id: i, phash: h });
  }
  const index = new PhashIndex();
  for (const r of rows) index.add(r.id, r.phash);
  let pairs = 0;
  for (const r of rows.slice(0, 400)) {
    const expected = rows.filter((o) => o.id !== r.id && hamming(o.phash, r.phash) <= DUPLICATE_DISTANCE).map((o) => o.id).sort((a, b) => a - b);
    assert.deepEqual(index.near(r.phash, r.id).sort((a, b) => a - b), expected);
    pairs += expected.length;
  }
  assert.ok(pairs > 20, 'the data set has near pairs to find');
  index.remove(rows[0]!.id);
  assert.ok(!index.near(rows[0]!.phash).includes(rows[0]!.id));
});

test('assignGroups joins chains into one group named by its smallest id', () => {
  const groups = assignGroups([
    { id: 5, phash: '0000000000000000' },
    { id: 9, phash: '000000000000003f' }, // 6 from 5
    { id: 2, phash: '0000000000000fff' }, // 6 from 9, 12 from 5
    { id: 7, phash: 'ffffffffffffffff' },
  ]);
  assert.deepEqual(Object.fromEntries(groups), { 2: 2, 5: 2, 9: 2 });
});
