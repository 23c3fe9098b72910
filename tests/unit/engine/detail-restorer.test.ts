/**
 * The learned detail restorer's place in the pipeline (electron/engine/detail/detail-restorer.ts): tiles padded
 * to its cell size and cut back wherever they start, the model named in the recipe, run after the JPEG artefact
 * remover, and asked for only when the blur is to be fixed. Small ONNX graphs run in ONNX Runtime stand in for
 * the model here; the shipped model is checked against PyTorch in tests/integration/models-parity.test.ts and
 * measured by bench/quality-bench.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { restoreDetailTile, withDetailRestorer, detailGrid } from '../../../electron/engine/detail/detail-restorer.js';
import { restoreFile } from '../../../electron/engine/restore-file.js';
import { RestoreSettings } from '../../../electron/shared/recipe.js';
import type { PickedRestorer } from '../../../electron/engine/types.js';
import { pipelineFixture, pixelGraph, tile } from './pixel-graphs.js';

/** A graph multiplying every pixel by `mul`; `shapes` records the size of each tile it is given. */
const scaler = (id: string, mul: number, shapes: string[] = [], grid: unknown = 4) => pixelGraph('Mul', mul, id, shapes, { semantics: { grid } });

test('a tile is padded to the model\'s cell size wherever it starts, and cut back to its own pixels', async () => {
  const shapes: string[] = [];
  const model = await scaler('test-detail', 1, shapes);
  const rgb = tile(13, 10);
  assert.deepEqual(Array.from(await restoreDetailTile(model, rgb, 13, 10)), Array.from(rgb));
  assert.deepEqual(shapes, ['1x3x12x16']);
  assert.equal(detailGrid(await scaler('x', 1, [], 8)), 8);
  assert.equal(detailGrid(await scaler('x', 1, [], 'nonsense')), 4, 'a manifest without a usable grid falls back to 4');
  assert.equal(detailGrid(await scaler('x', 1, [], 1e9)), 4);
});

test('in a restorer: the model is named, and each tile goes through it before the restorer', async () => {
  const model = await scaler('test-detail', 0.5);
  const seen: number[] = [];
  const inner: PickedRestorer = { models: [{ id: 'r', version: '1', sha256: 'c'.repeat(64) }], semanticTokens: [], provider: 'cpu', tileSize: 64, overlap: 8, restoreTile: async (rgb) => (seen.push(rgb[0]!), rgb) };
  const r = withDetailRestorer(inner, model);
  assert.deepEqual(r.models.map((m) => m.id), ['r', 'test-detail']);
  const rgb = tile(8, 8);
  rgb[0] = 0.8;
  await r.restoreTile(rgb, 8, 8, { x: 3, y: 5 });
  assert.ok(Math.abs(seen[0]! - 0.4) < 1e-6);
});

test('the pipeline asks for it when the blur is to be fixed (asked, crisp, or read in the photo), never for "leave the blur", "keep it soft" or with no reading; after the JPEG remover', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-detail-'));
  try {
    const { input, output, ctx, identity } = await pipelineFixture(dir);
    let asked = 0;
    const detailRestorer = async () => (asked++, scaler('test-detail', 1));
    const run = async (instruction: string | undefined, blur?: string) => {
      const pickRestorer = async () => (blur ? { ...identity, understanding: { severity: {}, values: { blur } } } : identity);
      return restoreFile({ input, output, settings: RestoreSettings.parse({ ...(instruction ? { instruction } : {}), faces: [] }) }, ctx, { pickRestorer, detailRestorer });
    };
    const r = await run('blur=fix');
    assert.equal(asked, 1);
    assert.ok(r.recipe.models.some((m) => m.id === 'test-detail'), 'named in the recipe');
    await run('make it crisp');
    assert.equal(asked, 2);
    await run(undefined, 'low');
    await run(undefined, 'high');
    assert.equal(asked, 4, 'nothing said of blur or sharpness: the photo\'s own reading decides');
    await run(undefined, 'off');
    await run(undefined);
    await run('leave the blur', 'high');
    await run('keep it soft', 'high');
    await run('blur=leave');
    assert.equal(asked, 4);
    // With the JPEG remover too: both named (the remover wraps the detail pass, so its tiles go first).
    const both = await restoreFile({ input, output, settings: RestoreSettings.parse({ instruction: 'jpeg=fix blur=fix', faces: [] }) }, ctx, {
      pickRestorer: async () => identity,
      detailRestorer,
      jpegRemover: async () => scaler('test-dejpeg', 1),
    });
    assert.deepEqual(both.recipe.models.map((m) => m.id).slice(-2), ['test-detail', 'test-dejpeg']);
    // A detail restorer that fails to load: a notice, and the restore goes on.
    const failed = await restoreFile({ input, output, settings: RestoreSettings.parse({ instruction: 'blur=fix', faces: [] }) }, ctx, { pickRestorer: async () => identity, detailRestorer: async () => Promise.reject(new Error('no session')) });
    const notices = (failed.recipe.settings as { notices?: string[] }).notices ?? [];
    assert.ok(notices.some((n) => /detail restorer could not be used/.test(n)), JSON.stringify(notices));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
