/**
 * The engine process facing what users really bring: tiny, rotated, alpha and
 * oversized images, a model file that is not ONNX, a manifest that lies about
 * its inputs, a device that is not there. Nothing crashes; the user learns why.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { startServices } from '../../devkit/services.js';
import { bombPng, lyingJpeg, writeTestPhoto } from '../../devkit/images.js';
import { matmulModel } from '../../electron/engine/onnx-builder.js';
import { createSession } from '../../electron/engine/ort.js';
import type { RestoraError } from '../../electron/shared/errors.js';

let svc: Awaited<ReturnType<typeof startServices>>;
let dir: string;
before(async () => {
  svc = await startServices();
  dir = fs.mkdtempSync(path.join(svc.dataDir, 'bad-'));
});
after(() => svc.stop());

const restore = (input: string, output: string, settings = {}) => svc.broker.runJob('engine.restoreFile', { input, output, settings });

test('a 1×1 image restores to a 1×1 image', async () => {
  const input = path.join(dir, 'one.png');
  await sharp({ create: { width: 1, height: 1, channels: 3, background: '#806040' } }).png().toFile(input);
  const r = await restore(input, path.join(dir, 'one-out.png'));
  assert.deepEqual([r.width, r.height], [1, 1]);
});

test('EXIF orientation is applied and alpha is kept', async () => {
  const rotated = path.join(dir, 'rotated.jpg');
  await writeTestPhoto(path.join(dir, 'src.png'), 60, 40);
  await sharp(path.join(dir, 'src.png')).withMetadata({ orientation: 6 }).jpeg().toFile(rotated);
  const r = await restore(rotated, path.join(dir, 'rotated-out.png'));
  assert.deepEqual([r.width, r.height], [40, 60], 'the result is upright');
  const alpha = path.join(dir, 'alpha.png');
  // Greyscale with alpha, the awkward one.
  await sharp({ create: { width: 30, height: 20, channels: 4, background: { r: 100, g: 100, b: 100, alpha: 0.5 } } }).toColourspace('b-w').png().toFile(alpha);
  assert.equal((await sharp(alpha).metadata()).channels, 2);
  const out = path.join(dir, 'alpha-out.png');
  await restore(alpha, out);
  const meta = await sharp(out).metadata();
  assert.equal(meta.hasAlpha, true);
});

test('a decompression bomb is refused before decoding, with the reason', async () => {
  const bomb = path.join(dir, 'bomb.png');
  fs.writeFileSync(bomb, bombPng(50_000, 50_000));
  await assert.rejects(restore(bomb, path.join(dir, 'bomb-out.png')), (e: RestoraError) => e.code === 'TooLarge' && /megapixels/.test(e.message));
  assert.equal(fs.existsSync(path.join(dir, 'bomb-out.png')), false);
});

test('a zero-byte file and a truncated JPEG get clear errors', async () => {
  const empty = path.join(dir, 'empty.jpg');
  fs.writeFileSync(empty, '');
  await assert.rejects(restore(empty, path.join(dir, 'e.png')), (e: RestoraError) => ['CorruptInput', 'Unsupported'].includes(e.code));
  const full = path.join(dir, 'full.jpg');
  await writeTestPhoto(path.join(dir, 'src2.png'), 200, 150);
  await sharp(path.join(dir, 'src2.png')).jpeg().toFile(full);
  const truncated = path.join(dir, 'truncated.jpg');
  fs.writeFileSync(truncated, fs.readFileSync(full).subarray(0, 600));
  await assert.rejects(restore(truncated, path.join(dir, 't.png')), (e: RestoraError) => e.code === 'CorruptInput');
});

function writeUserModel(id: string, task: string, file: Buffer, inputs: Array<{ name: string; dtype: string; shape: unknown[] }>, outputs: Array<{ name: string; dtype: string; shape: unknown[] }>, extra: Record<string, unknown> = {}) {
  const d = path.join(svc.dataDir, 'models', id);
  fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(d, 'model.onnx'), file);
  const sha256 = createHash('sha256').update(file).digest('hex');
  fs.writeFileSync(path.join(d, 'manifest.json'), JSON.stringify({ schema: 1, id, version: '0.0.1', task, file: 'model.onnx', sha256, opset: 17, inputs, outputs, ...extra }));
}

test('a user model that is not ONNX, or whose manifest lies, is skipped with the reason and the restore still works', async () => {
  writeUserModel('user-cue', 'cue-encoder', Buffer.from('definitely not protobuf'), [{ name: 'image', dtype: 'float32', shape: [1, 3, 128, 128] }], [{ name: 'cues', dtype: 'float32', shape: [1, 16, 128] }]);
  writeUserModel('user-integrator', 'integrator', Buffer.from('also not a model'), [{ name: 'cues', dtype: 'float32', shape: [1, 16, 128] }], [{ name: 'logits', dtype: 'float32', shape: [1, 10] }]);
  writeUserModel('user-restorer', 'restorer', Buffer.from(matmulModel()), [{ name: 'image', dtype: 'float32', shape: [1, 3, 'H', 'W'] }, { name: 'queries', dtype: 'float32', shape: [1, 11, 64] }], [{ name: 'restored', dtype: 'float32', shape: [1, 3, 'H', 'W'] }]);
  const info = await svc.broker.invoke('engine.info', {});
  assert.ok(info.models.some((m) => m.id === 'user-restorer' && m.source === 'user'));
  const input = path.join(dir, 'ok.png');
  await writeTestPhoto(input, 80, 60);
  const r = await restore(input, path.join(dir, 'ok-out.png'));
  const notices = (r.recipe.settings.notices as string[] | undefined) ?? [];
  assert.ok(notices.some((n) => /user-cue is not a valid ONNX model/.test(n)), JSON.stringify(notices));
  assert.ok(!r.recipe.models.some((m) => m.id.startsWith('user-')), 'the broken user models were not used');
  fs.rmSync(path.join(svc.dataDir, 'models'), { recursive: true, force: true });
});

test('a user model whose manifest lies about its inputs is refused with what it declares and what the graph has', async () => {
  // A real ONNX graph (MatMul A×B) that claims to be a restorer taking an image and queries.
  writeUserModel('user-liar', 'restorer', Buffer.from(matmulModel()), [{ name: 'image', dtype: 'float32', shape: [1, 3, 'H', 'W'] }, { name: 'queries', dtype: 'float32', shape: [1, 11, 64] }], [{ name: 'restored', dtype: 'float32', shape: [1, 3, 'H', 'W'] }]);
  try {
    const input = path.join(dir, 'liar.png');
    await writeTestPhoto(input, 80, 60);
    const r = await restore(input, path.join(dir, 'liar-out.png'));
    const notices = (r.recipe.settings.notices as string[] | undefined) ?? [];
    assert.ok(notices.some((n) => /user-liar: its manifest declares inputs \[image, queries\].*graph has inputs \[A, B\]/.test(n)), JSON.stringify(notices));
    assert.ok(!r.recipe.models.some((m) => m.id === 'user-liar'), 'the lying model was not used');
  } finally {
    fs.rmSync(path.join(svc.dataDir, 'models'), { recursive: true, force: true });
  }
});

test('a device that is not available falls back to the CPU with a message', async () => {
  const choice = await createSession(matmulModel(), 'cuda');
  assert.equal(choice.provider, 'cpu');
  assert.match(choice.fallbackMessage ?? '', /cuda .*(not available|failed).*CPU/i);
  await choice.session.release();
});

test('the restored file keeps the camera and dates, is upright with orientation 1, sRGB, and says Restora made it', async () => {
  const src = path.join(dir, 'exif-src.png');
  await writeTestPhoto(src, 90, 60);
  const input = path.join(dir, 'exif.jpg');
  await sharp(src).withExif({ IFD0: { Make: 'Kodak', Model: 'Brownie' }, IFD2: { DateTimeOriginal: '1962:05:01 10:00:00' } }).withMetadata({ orientation: 6 }).jpeg().toFile(input);
  assert.equal((await sharp(input).metadata()).orientation, 6);
  const out = path.join(dir, 'exif-out.jpg');
  await restore(input, out, { instruction: 'remove the dust' });
  const meta = await sharp(out).metadata();
  const exif = (await import('exif-reader')).default(meta.exif!) as { Image: Record<string, unknown>; Photo: Record<string, unknown> };
  assert.equal(exif.Image.Make, 'Kodak');
  assert.equal(exif.Image.Model, 'Brownie');
  assert.match(String(exif.Image.Software), /^Restora /);
  assert.match(String(exif.Image.ImageDescription), /remove the dust/);
  assert.equal((exif.Photo.DateTimeOriginal as Date).toISOString(), '1962-05-01T10:00:00.000Z');
  assert.equal(meta.orientation ?? 1, 1);
  assert.deepEqual([meta.width, meta.height], [60, 90]);
  assert.ok(meta.icc, 'an ICC profile is embedded');
});

test('a 600-byte JPEG claiming 16000×12000 pixels is refused from its header in well under a second, nothing written', async () => {
  const liar = path.join(dir, 'lying-header.jpg');
  fs.writeFileSync(liar, await lyingJpeg(16000, 12000));
  const t0 = performance.now();
  await assert.rejects(restore(liar, path.join(dir, 'lying-header-out.png')), (e: RestoraError) => {
    assert.equal(e.code, 'CorruptInput');
    assert.equal(e.message, `lying-header.jpg is damaged: its header claims 16000×12000 pixels, but the file holds only ${fs.statSync(liar).size} bytes.`);
    return true;
  });
  const ms = performance.now() - t0;
  assert.ok(ms < 1000, `refused in ${ms.toFixed(0)} ms`);
  assert.equal(fs.existsSync(path.join(dir, 'lying-header-out.png')), false);
});

test('data that ends early is a damaged file, not restored as if whole; a JPEG beyond 65,500 pixels is said once', async () => {
  const full = path.join(dir, 'whole.png');
  await writeTestPhoto(full, 300, 200);
  const cut = path.join(dir, 'cut.png');
  const bytes = fs.readFileSync(full);
  fs.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.7)));
  await assert.rejects(restore(cut, path.join(dir, 'cut-out.png')), (e: RestoraError) => e.code === 'CorruptInput' && e.message === 'cut.png is damaged: its image data ends early.');
  const wide = path.join(dir, 'wide.jpg');
  fs.writeFileSync(wide, await lyingJpeg(65_535, 10));
  await assert.rejects(restore(wide, path.join(dir, 'wide-out.png')), (e: RestoraError) => {
    assert.equal(e.message, 'wide.jpg is too large to open: the JPEG decoder handles at most 65,500 pixels a side.');
    return true;
  });
});

test('an output that cannot be written fails before the restore runs, in one sentence', async () => {
  const input = path.join(dir, 'out-check.png');
  await writeTestPhoto(input, 64, 48);
  const blocker = path.join(dir, 'a-file');
  fs.writeFileSync(blocker, 'x');
  const t0 = performance.now();
  await assert.rejects(restore(input, path.join(blocker, 'sub', 'r.png')), (e: RestoraError) => {
    assert.match(e.message, /^Cannot create the folder .*a-file\/sub: a file is in the way where a folder should be\.$/);
    return true;
  });
  assert.ok(performance.now() - t0 < 2000);
});
