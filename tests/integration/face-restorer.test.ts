/**
 * The face restorer on a real portrait (Face Research Lab London Set, CC-BY 4.0, a held-out person):
 * a model of task `face-restorer` takes the face pass under the photo's reading, the recipe names it,
 * and one that will not load leaves the faces to the photo's restorer with a notice.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { startServices } from '../../devkit/services.js';
import { sharedDataDir } from '../../devkit/shared-data.js';

const portrait = path.join(sharedDataDir(), 'faces-flr', 'neutral_front', '004_03.jpg');
const ZOO = path.resolve(import.meta.dirname, '..', '..', 'models', 'zoo');
let svc: Awaited<ReturnType<typeof startServices>>;
let input: string;

before(async () => {
  svc = await startServices();
  // blurred and noisy, so there is something for the face pass to do
  const { data, info } = await sharp(portrait).resize(400, 400).blur(1.2).raw().toBuffer({ resolveWithObject: true });
  let s = 11;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    data[i] = Math.max(0, Math.min(255, data[i]! + (s / 2 ** 32 - 0.5) * 30));
  }
  input = path.join(svc.dataDir, 'portrait.png');
  await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } }).png().toFile(input);
});
after(() => svc.stop());

/** The shipped restorer's graph (a real ONNX model) installed as the user's face restorer, or other bytes under its manifest. */
function installFaceModel(id: string, file?: Buffer): void {
  const d = path.join(svc.dataDir, 'models', id);
  fs.mkdirSync(d, { recursive: true });
  const man = JSON.parse(fs.readFileSync(path.join(ZOO, 'restora-restorer', 'manifest.json'), 'utf8')) as Record<string, unknown>;
  const bytes = file ?? fs.readFileSync(path.join(ZOO, 'restora-restorer', 'model.onnx'));
  fs.writeFileSync(path.join(d, 'model.onnx'), bytes);
  fs.writeFileSync(path.join(d, 'manifest.json'), JSON.stringify({ ...man, id, version: '0.0.1', task: 'face-restorer', sha256: createHash('sha256').update(bytes).digest('hex') }));
}

const restore = async (name: string, settings: Record<string, unknown> = {}) =>
  svc.broker.runJob('engine.restoreFile', { input, output: path.join(svc.dataDir, `${name}.png`), settings: { instruction: '', ...settings } });

test('a face restorer takes the face pass and the recipe names it; with no faces chosen it does not run', async () => {
  installFaceModel('my-face-restorer');
  try {
    const r = await restore('with-face-model');
    assert.equal((r.recipe.settings.faces as unknown[]).length, 1, 'the face was found');
    assert.ok(r.recipe.models.some((m) => m.id === 'my-face-restorer'), JSON.stringify(r.recipe.models));
    assert.ok(r.recipe.models.some((m) => m.id === 'restora-restorer'), 'the photo is still restored by the restorer');
    // its own wishes for the faces: the faces' pass picks the face restorer too
    const own = await restore('faces-differ', { instruction: 'sharpen the faces' });
    assert.ok(own.recipe.models.some((m) => m.id === 'my-face-restorer'), JSON.stringify(own.recipe.models));
    const none = await restore('no-faces', { faces: [] });
    assert.ok(!none.recipe.models.some((m) => m.id === 'my-face-restorer'), 'no face pass, no face restorer');
  } finally {
    fs.rmSync(path.join(svc.dataDir, 'models'), { recursive: true, force: true });
  }
});

test('a face restorer that will not load leaves the faces to the restorer, and says so', async () => {
  installFaceModel('broken-face-restorer', Buffer.from('not an onnx graph at all'));
  try {
    const r = await restore('broken-face-model');
    const notices = (r.recipe.settings.notices as string[] | undefined) ?? [];
    assert.ok(notices.some((n) => /face restorer broken-face-restorer could not be used/.test(n)), JSON.stringify(notices));
    assert.ok(!r.recipe.models.some((m) => m.id === 'broken-face-restorer'));
    assert.ok(fs.statSync(path.join(svc.dataDir, 'broken-face-model.png')).size > 0);
  } finally {
    fs.rmSync(path.join(svc.dataDir, 'models'), { recursive: true, force: true });
  }
});
