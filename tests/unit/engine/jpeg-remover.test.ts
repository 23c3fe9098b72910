/**
 * The learned JPEG artefact remover's place in the pipeline (electron/engine/jpeg/remover.ts): tiles put on
 * the photo's 8-pixel grid and cut back, the model named in the recipe, and the explicit deblocking filter
 * replaced only for the whole photo. Small ONNX graphs run in ONNX Runtime stand in for the model here; the
 * shipped model itself is measured in tests/integration/jpeg-remover.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { removeJpegTile, withJpegRemover } from '../../../electron/engine/jpeg/remover.js';
import { restoreFile } from '../../../electron/engine/restore-file.js';
import { RestoreSettings } from '../../../electron/shared/recipe.js';
import type { PickedRestorer } from '../../../electron/engine/types.js';
import { pipelineFixture, pixelGraph, tile } from './pixel-graphs.js';

/** A graph adding `add` to every pixel; `shapes` records the size of each tile it is given. */
const adder = (add: number, shapes: string[] = []) => pixelGraph('Add', add, 'test-dejpeg', shapes);

test('a tile off the grid is padded onto it, run, and cut back to its own pixels', async () => {
  const shapes: string[] = [];
  const model = await adder(0, shapes);
  const rgb = tile(13, 11);
  const out = await removeJpegTile(model, rgb, 13, 11, 3, 5);
  assert.deepEqual(Array.from(out), Array.from(rgb));
  // 3 columns before it to the grid line at x = 0 and 16 in all; 5 rows above and 16 in all.
  assert.deepEqual(shapes, ['1x3x16x16']);
  await removeJpegTile(model, tile(16, 8), 16, 8, 64, 8);
  assert.equal(shapes[1], '1x3x8x16', 'a tile on the grid is not padded');
});

test('the model\'s output reaches the tile, kept in 0..1', async () => {
  const model = await adder(0.25);
  const rgb = tile(9, 9);
  const out = await removeJpegTile(model, rgb, 9, 9, 0, 0);
  for (let i = 0; i < rgb.length; i++) assert.ok(Math.abs(out[i]! - Math.min(1, rgb[i]! + 0.25)) < 1e-6);
});

test('in a restorer: tiles are cleaned first, at their place in the photo, and the model is named', async () => {
  const shapes: string[] = [];
  const model = await adder(0.1, shapes);
  const seen: number[] = [];
  const inner: PickedRestorer = { models: [{ id: 'r', version: '1', sha256: 'c'.repeat(64) }], semanticTokens: [], provider: 'cpu', tileSize: 64, overlap: 8, restoreTile: async (rgb) => (seen.push(rgb[0]!), rgb) };
  const r = withJpegRemover(inner, model, { x: 4, y: 0 });
  assert.deepEqual(r.models.map((m) => m.id), ['r', 'test-dejpeg']);
  const rgb = tile(8, 8);
  await r.restoreTile(rgb, 8, 8, { x: 2, y: 8 });
  assert.ok(Math.abs(seen[0]! - (rgb[0]! + 0.1)) < 1e-6);
  // Region origin 4 + tile x 2 = 6: two columns to the next grid line, so 8 + 6 = 14 → 16 wide.
  assert.deepEqual(shapes, ['1x3x8x16']);
});

test('the pipeline uses the remover when JPEG artefacts are to go (asked, or read as high in the photo), instead of the deblocking filter', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-dejpeg-'));
  try {
    const { input, output, ctx, identity } = await pipelineFixture(dir);
    let asked = 0;
    const tools = { pickRestorer: async () => identity, jpegRemover: async () => (asked++, adder(2 / 255)) };
    const r = await restoreFile({ input, output, settings: RestoreSettings.parse({ instruction: 'jpeg=fix', faces: [] }) }, ctx, tools);
    assert.equal(asked, 1);
    assert.ok(r.recipe.models.some((m) => m.id === 'test-dejpeg'), 'named in the recipe');
    assert.deepEqual((r.recipe.settings.steer as { photo: string[] }).photo, ['jpeg:fix'], 'the setting is still recorded');
    const inPx = await sharp(input).raw().toBuffer(), outPx = await sharp(output).raw().toBuffer();
    let diff = 0;
    for (let i = 0; i < inPx.length; i++) diff += outPx[i]! - inPx[i]!;
    assert.ok(Math.abs(diff / inPx.length - 2) < 0.5, `every pixel went through the model (+2): ${diff / inPx.length}`);
    // Not asked when JPEG is not to be fixed: the photo comes back as it was.
    await restoreFile({ input, output, settings: RestoreSettings.parse({ instruction: 'jpeg=leave', faces: [] }) }, ctx, tools);
    assert.equal(asked, 1);
    assert.deepEqual(await sharp(output).raw().toBuffer(), inPx);
    // Nothing said of JPEG: it runs when the photo's own reading says its JPEG damage is high, not when low,
    // and never when the words say to leave it.
    const reading = (jpeg: string) => ({ pickRestorer: async () => ({ ...identity, understanding: { severity: {}, values: { jpeg } } }), jpegRemover: tools.jpegRemover });
    await restoreFile({ input, output, settings: RestoreSettings.parse({ faces: [] }) }, ctx, reading('high'));
    assert.equal(asked, 2);
    await restoreFile({ input, output, settings: RestoreSettings.parse({ faces: [] }) }, ctx, reading('low'));
    await restoreFile({ input, output, settings: RestoreSettings.parse({ instruction: 'leave the jpeg artifacts', faces: [] }) }, ctx, reading('high'));
    assert.equal(asked, 2);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
