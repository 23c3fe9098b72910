/**
 * The restore pipeline with stand-in restorers and a stand-in face detector:
 * the stages run in order, the instruction's scope decides where the photo
 * changes, a cancel leaves nothing behind, and the recipe says what ran.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { restoreFile } from '../../../electron/engine/restore-file.js';
import { buildRecipe } from '../../../electron/engine/stages/build-recipe.js';
import { RestoreSettings } from '../../../electron/shared/recipe.js';
import { planInstruction } from '../../../electron/shared/instructions/plan.js';
import { steerPlan } from '../../../electron/engine/steering/steer.js';
import { RestoraError } from '../../../electron/shared/errors.js';
import type { HandlerContext } from '../../../electron/node/worker-runtime.js';
import type { Face, PickedRestorer, PipelineTools } from '../../../electron/engine/types.js';

const W = 160, H = 120;
const FACE: Face = {
  box: { x: 60, y: 30, w: 40, h: 50 },
  score: 0.9,
  landmarks68: [],
  landmarks5: [[72, 48], [88, 48], [80, 58], [73, 68], [87, 68]],
};

async function grey(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-pipeline-'));
  const file = path.join(dir, 'in.png');
  await sharp({ create: { width: W, height: H, channels: 3, background: { r: 100, g: 100, b: 100 } } }).png().toFile(file);
  return file;
}

/** Paints every tile white: where the photo turned white, this restorer ran. */
function whitening(id: string, notices: string[] = []): PickedRestorer {
  return {
    models: [{ id, version: '1', sha256: '' }],
    semanticTokens: [`by:${id}`],
    provider: 'cpu',
    tileSize: 64,
    overlap: 8,
    notices,
    restoreTile: async (rgb) => new Float32Array(rgb.length).fill(1),
  };
}

function context(cancelAfter = Infinity): HandlerContext & { stages: string[] } {
  const stages: string[] = [];
  let checks = 0;
  return {
    jobId: 'j1',
    signal: new AbortController().signal,
    stages,
    progress: (u) => {
      if (stages.at(-1) !== u.stage) stages.push(u.stage);
    },
    throwIfCancelled: () => {
      if (++checks > cancelAfter) throw new RestoraError('Cancelled', 'stopped');
    },
    emit: () => undefined,
  };
}

async function pixel(file: string, x: number, y: number): Promise<number> {
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  return data[(y * info.width + x) * info.channels]!;
}

test('stages run in order; "only the faces" restores the face crop and leaves the background as it was', async () => {
  const input = await grey();
  const output = path.join(path.dirname(input), 'out.png');
  const picked: string[] = [];
  const sizes: string[] = [];
  const tools: PipelineTools = {
    findFaces: async () => ({ width: W, height: H, faces: [FACE] }),
    pickRestorer: async (s) => {
      picked.push(s.instruction);
      const r = whitening('fake');
      return { ...r, restoreTile: (rgb, w, h) => (sizes.push(`${w}x${h}`), r.restoreTile(rgb, w, h)) };
    },
  };
  const ctx = context();
  const r = await restoreFile({ input, output, settings: RestoreSettings.parse({ instruction: 'only restore the faces' }) }, ctx, tools);
  assert.deepEqual(ctx.stages, ['decode', 'faces', 'understand', 'faces', 'encode', 'done']);
  assert.deepEqual(sizes, ['512x512'], 'the aligned face crop, and no tile of the whole photo');
  assert.equal(await pixel(output, 5, 5), 100, 'background untouched');
  assert.equal((r.recipe.settings.instructionParts as { scope: string }).scope, 'faces');
  assert.deepEqual(r.recipe.settings.faces, [{ x: 60, y: 30, w: 40, h: 50, score: 0.9 }]);
  assert.ok(['decode', 'faces', 'understand', 'restore', 'faces-restore', 'encode'].every((k) => k in r.recipe.timings));
  assert.match(picked.at(-1)!, /faces/, 'the faces get a restorer chosen for the face part of the instruction');
});

test('"keep the faces as they are" keeps their pixels; with a wish of their own the faces are restored (then pulled back)', async () => {
  const input = await grey();
  for (const [instruction, faceRun] of [['remove the dust; keep the faces as they are', false], ['sharpen the faces but keep who they are', true]] as const) {
    const output = path.join(path.dirname(input), `out-${faceRun}.png`);
    const sizes: string[] = [];
    const tools: PipelineTools = {
      findFaces: async () => ({ width: W, height: H, faces: [FACE] }),
      pickRestorer: async () => {
        const r = whitening('fake');
        return { ...r, restoreTile: (rgb, w, h) => (sizes.push(`${w}x${h}`), r.restoreTile(rgb, w, h)) };
      },
    };
    const r = await restoreFile({ input, output, settings: RestoreSettings.parse({ instruction }) }, context(), tools);
    assert.equal(sizes.includes('512x512'), faceRun, instruction);
    assert.ok((await pixel(output, 5, 5)) > 200, 'background restored');
    if (!faceRun) assert.equal(await pixel(output, 80, 55), 100, 'face as it was');
    assert.deepEqual(r.recipe.settings.instructionParts, { ...(r.recipe.settings.instructionParts as object), keepFaces: !faceRun, keepIdentity: true });
  }
});

test('the face pass takes the photo’s faces it can help: a preview region gets them in its own pixels; tiny faces and unsure shapes are left to the whole photo’s restore', async () => {
  const input = await grey();
  const output = path.join(path.dirname(input), 'out.png');
  const tiny: Face = { ...FACE, box: { x: 10, y: 10, w: 16, h: 18 }, landmarks5: [[14, 15], [21, 15], [18, 19], [15, 23], [21, 23]] };
  // A middling detection whose 68 landmarks are all one point: not a face's shape, so its alignment cannot be trusted.
  const unsure: Face = { ...FACE, score: 0.5, box: { x: 110, y: 60, w: 40, h: 40 }, landmarks68: Array.from({ length: 68 }, () => [130, 80] as [number, number]) };
  const asked: string[] = [];
  const tools: PipelineTools = {
    findFaces: async (file) => (asked.push(file), { width: W, height: H, faces: [FACE, tiny, unsure] }),
    pickRestorer: async () => whitening('fake'),
  };
  const whole = await restoreFile({ input, output, settings: RestoreSettings.parse({}) }, context(), tools);
  assert.deepEqual(whole.recipe.settings.faces, [{ x: 60, y: 30, w: 40, h: 50, score: 0.9 }], 'only the face the pass can help');
  // The right half of the photo (x from 80): the face (x 60-100) lies half outside it, so it is not the region's.
  const right = await restoreFile({ input, output: path.join(path.dirname(input), 'right.png'), region: { x: 0.5, y: 0, w: 0.5, h: 1 }, settings: RestoreSettings.parse({}) }, context(), tools);
  assert.deepEqual(right.recipe.settings.faces ?? [], []);
  const middle = await restoreFile({ input, output: path.join(path.dirname(input), 'mid.png'), region: { x: 0.25, y: 0.125, w: 0.5, h: 0.75 }, settings: RestoreSettings.parse({}) }, context(), tools);
  assert.deepEqual(middle.recipe.settings.faces, [{ x: 20, y: 15, w: 40, h: 50, score: 0.9 }], 'in the region’s pixels');
  assert.deepEqual(asked, [input, input, input], 'the faces of the whole file are asked for, every time');
});

test('"only the faces" where every face is too small for the face pass: their areas alone are restored, with a soft edge', async () => {
  const input = await grey();
  const output = path.join(path.dirname(input), 'small.png');
  const small: Face = { ...FACE, box: { x: 100, y: 40, w: 16, h: 20 }, landmarks5: [[104, 46], [111, 46], [108, 50], [105, 54], [111, 54]] };
  const sizes: string[] = [];
  const tools: PipelineTools = {
    findFaces: async () => ({ width: W, height: H, faces: [small] }),
    pickRestorer: async () => {
      const r = whitening('fake');
      return { ...r, restoreTile: (rgb, w, h) => (sizes.push(`${w}x${h}`), r.restoreTile(rgb, w, h)) };
    },
  };
  const r = await restoreFile({ input, output, settings: RestoreSettings.parse({ instruction: 'just the faces please' }) }, context(), tools);
  assert.ok(!sizes.includes('512x512'), 'no aligned face crop');
  assert.ok(sizes.length > 0 && sizes.every((s) => s !== `${W}x${H}`), `crops around the face, not the whole photo: ${sizes.join(', ')}`);
  assert.ok((await pixel(output, 108, 50)) > 200, 'the face restored');
  assert.equal(await pixel(output, 5, 5), 100, 'background untouched');
  assert.equal(await pixel(output, 100 - 8, 40 - 8), 100, 'outside the grown area (0.35 × 20 = 7 px) untouched');
  const edge = await pixel(output, 100 - 5, 50);
  assert.ok(edge > 100 && edge < 255, `a soft edge: ${edge}`);
  assert.equal((r.recipe.settings.instructionParts as { scope: string }).scope, 'faces');
  assert.ok((r.recipe.settings.notices as string[]).some((n) => /too small or uncertain for the face pass/.test(n)));
});

test('"keep the faces as they are" and "only the background" where the faces are too small for the face pass: their areas keep their pixels', async () => {
  const input = await grey();
  const small: Face = { ...FACE, box: { x: 100, y: 40, w: 16, h: 20 }, landmarks5: [[104, 46], [111, 46], [108, 50], [105, 54], [111, 54]] };
  const tools: PipelineTools = { findFaces: async () => ({ width: W, height: H, faces: [small] }), pickRestorer: async () => whitening('fake') };
  for (const instruction of ['keep the faces exactly as they are', 'only fix the background']) {
    const output = path.join(path.dirname(input), `kept-${instruction.length}.png`);
    const r = await restoreFile({ input, output, settings: RestoreSettings.parse({ instruction }) }, context(), tools);
    assert.equal(await pixel(output, 108, 50), 100, `${instruction}: the face kept`);
    assert.ok((await pixel(output, 5, 5)) > 200, `${instruction}: the rest restored`);
    const edge = await pixel(output, 100 - 5, 50);
    assert.ok(edge > 100 && edge < 255, `${instruction}: a soft edge: ${edge}`);
    assert.ok((r.recipe.settings.notices as string[]).some((n) => /too small or uncertain for the face pass: its area was kept as it was/.test(n)), `${instruction}: said`);
  }
  const free = path.join(path.dirname(input), 'free.png');
  await restoreFile({ input, output: free, settings: RestoreSettings.parse({ instruction: 'feel free to improve the faces' }) }, context(), tools);
  assert.ok((await pixel(free, 108, 50)) > 200, 'without the wish the small face is restored with the photo');
});

test('the identity check: each restored face’s drift is in the recipe, and a face that drifted is named in a notice', async () => {
  const input = await grey();
  const output = path.join(path.dirname(input), 'out.png');
  // A stand-in descriptor: the crop's mean brightness. The grey face (0.39) whitened (1.0) drifts by 0.61.
  const describeFace = async (crop: Float32Array) => Float32Array.of(crop.reduce((s, v) => s + v, 0) / crop.length);
  const run = (restoreTile: PickedRestorer['restoreTile']) =>
    restoreFile({ input, output, settings: RestoreSettings.parse({}) }, context(), {
      findFaces: async () => ({ width: W, height: H, faces: [FACE] }),
      describeFace,
      pickRestorer: async () => ({ ...whitening('fake'), restoreTile }),
    });
  const kept = await run(async (rgb) => rgb.slice());
  assert.deepEqual(kept.recipe.settings.faceChecks, [{ x: 60, y: 30, w: 40, h: 50, distance: 0, samePerson: 'likely' }]);
  assert.equal(kept.recipe.settings.notices, undefined);
  const drifted = await run(async (rgb) => new Float32Array(rgb.length).fill(1));
  const [check] = drifted.recipe.settings.faceChecks as Array<{ distance: number; samePerson: string }>;
  assert.equal(check!.samePerson, 'unsure');
  assert.ok(Math.abs(check!.distance - 0.608) < 0.01, `${check!.distance}`);
  assert.deepEqual(drifted.recipe.settings.notices, ['Face 1 may no longer look like the same person (drift 0.61); you can keep it as it was.']);
});

test('a face kept as it was (the identity check’s one click) keeps its original pixels while the rest is restored', async () => {
  const input = await grey();
  const output = path.join(path.dirname(input), 'out.png');
  const tiles: string[] = [];
  const r = await restoreFile({ input, output, settings: RestoreSettings.parse({ keepFaces: [{ x: 61, y: 31, w: 39, h: 49 }] }) }, context(), {
    findFaces: async () => ({ width: W, height: H, faces: [FACE] }),
    pickRestorer: async () => {
      const w = whitening('fake');
      return { ...w, restoreTile: (rgb, tw, th) => (tiles.push(`${tw}x${th}`), w.restoreTile(rgb, tw, th)) };
    },
  });
  assert.ok(!tiles.includes('512x512'), 'the kept face is not restored by the face pass');
  assert.equal(await pixel(output, 80, 52), 100, 'the face (between the eyes and the mouth) is as it was');
  assert.ok((await pixel(output, 5, 5)) > 200, 'the rest is restored');
  assert.deepEqual(r.recipe.settings.keptFaces, [{ x: 60, y: 30, w: 40, h: 50 }]);
  assert.deepEqual(r.recipe.settings.faces, []);
});

test('a failing face detector restores the whole photo and says so', async () => {
  const input = await grey();
  const output = path.join(path.dirname(input), 'out.png');
  const r = await restoreFile({ input, output, settings: RestoreSettings.parse({}) }, context(), {
    findFaces: async () => {
      throw new Error('no detector');
    },
    pickRestorer: async () => whitening('fake', ['from the restorer']),
  });
  assert.ok((await pixel(output, 5, 5)) > 200);
  assert.deepEqual(r.recipe.settings.notices, ['Face detection failed (no detector); the whole photo was restored as one.', 'from the restorer']);
});

test('a cancel during the restore stage leaves no output behind', async () => {
  const input = await grey();
  const output = path.join(path.dirname(input), 'out.png');
  const ctx = context(3);
  await assert.rejects(restoreFile({ input, output, settings: RestoreSettings.parse({ faces: [] }) }, ctx, { pickRestorer: async () => whitening('fake') }), (e: RestoraError) => e.code === 'Cancelled');
  assert.equal(fs.existsSync(output), false);
  assert.deepEqual(fs.readdirSync(path.dirname(output)), ['in.png']);
});

test('buildRecipe: generative only when the refiner ran, the faces\' own tokens when their settings differ, notices once each', () => {
  const settings = RestoreSettings.parse({ instruction: 'remove the scratches; make the faces sharper', mode: 'generative', seed: 5 });
  const global: PickedRestorer = {
    ...whitening('restorer', ['a', 'b']),
    generative: { seed: 42, deterministic: true, steps: 4, guidance: 1.5, fidelity: 0.7, startLevel: 0.3, model: { id: 'refiner', version: '1', sha256: 'x' } },
  };
  const face = whitening('face', ['b', 'c']);
  const instruction = planInstruction(settings.instruction);
  const levels = { luma: 0.01, chroma: 0.005, grain: Array<number>(8).fill(0.01) };
  const plain = steerPlan({}, {}, levels);
  const read = { instruction, scope: 'all' as const, faceAreas: [], keptAreas: [], keepFaces: false, keepIdentity: false, steering: { levels, readings: { all: {} }, photo: plain, faces: plain } };
  const recipe = buildRecipe({ settings, chosen: { ...read, faces: [FACE], global, face }, notices: ['n'], timings: { decode: 0.1 }, totalSeconds: 1 });
  assert.equal(recipe.mode, 'generative');
  assert.equal(recipe.seed, 42);
  assert.equal((recipe.settings.generative as { refiner: string }).refiner, 'refiner');
  assert.deepEqual(recipe.settings.faceSemanticTokens, ['by:face']);
  assert.deepEqual(recipe.settings.notices, ['n', 'a', 'b', 'c']);
  const fast = buildRecipe({ settings, chosen: { ...read, faces: [], global: whitening('restorer'), face: null }, notices: [], timings: {}, totalSeconds: 1 });
  assert.equal(fast.mode, 'fast');
  assert.equal(fast.seed, 5);
  assert.equal('faceSemanticTokens' in fast.settings, false);
  assert.equal('notices' in fast.settings, false);
});

test('damage the repair stage handled is not looked for again: a thin line outside the user’s mask stays; with no repair the explicit remover takes it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-pipeline-'));
  // A flat grey photo with one thin dark stroke (as a letter or a window bar is to the explicit finder).
  const px = Buffer.alloc(W * H * 3, 100);
  for (let y = 40; y < 80; y++) px.fill(30, (y * W + 80) * 3, (y * W + 81) * 3);
  const input = path.join(dir, 'in.png');
  await sharp(px, { raw: { width: W, height: H, channels: 3 } }).png().toFile(input);
  const mask = path.join(dir, 'mask.png');
  await sharp({ create: { width: W, height: H, channels: 3, background: { r: 0, g: 0, b: 0 } } }).png().toFile(mask);
  const tools: PipelineTools = {
    findFaces: async () => ({ width: W, height: H, faces: [] }),
    pickRestorer: async () => ({ ...whitening('identity'), restoreTile: async (rgb) => rgb.slice() }),
  };
  const settings = RestoreSettings.parse({ instruction: 'remove the scratches' });
  const output = path.join(dir, 'out.png');

  const withMask = await restoreFile({ input, output, mask, settings }, context(), tools);
  assert.equal((withMask.recipe.settings.damage as { source: string }).source, 'user');
  assert.ok(Math.abs((await pixel(output, 80, 60)) - 30) <= 2, 'the stroke the user did not mark is left as it was');
  const planned = JSON.stringify(withMask.recipe.settings.steer);
  assert.doesNotMatch(planned, /scratches:fix/, 'the recipe does not claim an explicit scratch removal');

  // No damage detector installed: the repair stage cannot run, so the explicit operation is the only remover.
  const noRepair = await restoreFile({ input, output, settings }, context(), tools);
  assert.equal((noRepair.recipe.settings.damage as { source: string }).source, 'unavailable');
  assert.ok((await pixel(output, 80, 60)) > 80, 'the explicit remover fills the stroke');
  assert.match(JSON.stringify(noRepair.recipe.settings.steer), /scratches:fix/);
});
