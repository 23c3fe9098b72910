/** Crop, quarter turns and straightening as the engine gets them: rendered from real images, refitted to other photos, bad boxes refused. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { Geometry, describeGeometry, geometryForPhoto, isIdentity, levelAngle, originalPoint, outputSize, shapedBox, shapedPoint } from '../../../electron/shared/geometry.js';
import { settingsForPhoto } from '../../../electron/shared/recipe-fit.js';
import { RestoreSettings } from '../../../electron/shared/recipe.js';
import { sha256File } from '../../../devkit/images.js';
import { contractHandlers, freshLibrary, rmAfter, tempDir, testContext } from './helpers.js';

/** A 200×100 picture: red left half, blue right half, a green square in the top-left corner. */
async function quadrants(file: string): Promise<void> {
  const half = (colour: string) => sharp({ create: { width: 100, height: 100, channels: 3, background: colour } }).png().toBuffer();
  const green = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#00ff00' } }).png().toBuffer();
  await sharp({ create: { width: 200, height: 100, channels: 3, background: '#000000' } })
    .composite([{ input: await half('#ff0000'), left: 0, top: 0 }, { input: await half('#0000ff'), left: 100, top: 0 }, { input: green, left: 0, top: 0 }])
    .png()
    .toFile(file);
}

async function pixel(file: string, x: number, y: number): Promise<[number, number, number]> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return [data[i]!, data[i + 1]!, data[i + 2]!];
}

const near = (a: number[], b: number[], what: string) => assert.ok(a.every((v, i) => Math.abs(v - b[i]!) <= 40), `${what}: ${a} vs ${b}`);

test('a photo turned, straightened and cropped is rendered as the recipe says; the original is untouched', async (t) => {
  const { lib } = freshLibrary(t);
  const h = contractHandlers(lib);
  const ctx = testContext();
  const dir = rmAfter(t, tempDir('restora-geometry-'));
  const file = path.join(dir, 'scan.png');
  await quadrants(file);
  const before = sha256File(file);
  const { photoIds } = await h['library.import']({ paths: [file] }, ctx);
  const photoId = photoIds[0]!;

  // A quarter turn clockwise: the 200×100 scan stands up, its top-left corner (green) goes top-right, red on top.
  const turned = await h['library.geometrySource']({ photoId, geometry: { rotate: 90 } }, ctx);
  assert.deepEqual([turned.width, turned.height], [100, 200]);
  near(await pixel(turned.path, 95, 5), [0, 255, 0], 'green corner now top right');
  near(await pixel(turned.path, 50, 60), [255, 0, 0], 'red half on top');
  near(await pixel(turned.path, 50, 150), [0, 0, 255], 'blue half below');

  // The crop is relative to the turned picture: its lower half is the blue half.
  const cropped = await h['library.geometrySource']({ photoId, geometry: { rotate: 90, crop: { x: 0, y: 0.5, w: 1, h: 0.5 } } }, ctx);
  assert.deepEqual([cropped.width, cropped.height], [100, 100]);
  near(await pixel(cropped.path, 50, 50), [0, 0, 255], 'the crop kept the blue half');

  // Straightening keeps the largest upright rectangle of the photo's proportions: no empty (white) corners.
  const level = await h['library.geometrySource']({ photoId, geometry: { straighten: 5 } }, ctx);
  assert.deepEqual([level.width, level.height], [outputSize({ width: 200, height: 100 }, Geometry.parse({ straighten: 5 })).width, outputSize({ width: 200, height: 100 }, Geometry.parse({ straighten: 5 })).height]);
  assert.ok(level.width < 200 && level.width > 150 && Math.abs(level.width / level.height - 2) < 0.05, `${level.width}×${level.height}`);
  for (const [x, y] of [[0, 0], [level.width - 1, 0], [0, level.height - 1], [level.width - 1, level.height - 1]] as const) {
    const px = await pixel(level.path, x, y);
    assert.ok(!(px[0] > 230 && px[1] > 230 && px[2] > 230), `corner ${x},${y} is picture, not fill: ${px}`);
  }
  // Turned and straightened: the picture stands up, of the size outputSize says (the turn is not counted twice).
  for (const g of [{ rotate: 90 as const, straighten: 3 }, { rotate: 270 as const, straighten: -4, crop: { x: 0.1, y: 0.2, w: 0.8, h: 0.6 } }]) {
    const both = await h['library.geometrySource']({ photoId, geometry: g }, ctx);
    const want = outputSize({ width: 200, height: 100 }, Geometry.parse(g));
    assert.deepEqual([both.width, both.height], [want.width, want.height], JSON.stringify(g));
    if (!('crop' in g)) assert.ok(both.height > both.width * 1.8, `a turned photo keeps standing: ${both.width}×${both.height}`);
  }
  // The same request is rendered once; a preview is small and a JPEG.
  assert.equal((await h['library.geometrySource']({ photoId, geometry: { rotate: 90 } }, ctx)).path, turned.path);
  const preview = await h['library.geometrySource']({ photoId, geometry: { rotate: 90 }, size: 'preview' }, ctx);
  assert.equal((await sharp(preview.path).metadata()).format, 'jpeg');
  assert.equal(sha256File(file), before, 'the original is never modified');
  assert.ok(turned.path.startsWith(lib.paths.cache));
});

/** The centre of the bright pixels of an image. */
async function brightCentre(file: string): Promise<{ x: number; y: number }> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let sx = 0, sy = 0, n = 0;
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      if (data[(y * info.width + x) * info.channels]! > 128) {
        sx += x + 0.5;
        sy += y + 0.5;
        n++;
      }
    }
  }
  assert.ok(n > 0, 'the marker is in the picture');
  return { x: sx / n, y: sy / n };
}

test('a point of the turned, straightened and cropped picture maps back to the same place in the original', async (t) => {
  const { lib } = freshLibrary(t);
  const h = contractHandlers(lib);
  const ctx = testContext();
  const dir = rmAfter(t, tempDir('restora-geometry-'));
  const file = path.join(dir, 'marker.png');
  // A 240×160 dark scan with one bright 8×8 square centred at (150, 50): where a face would be.
  const marker = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#ffffff' } }).png().toBuffer();
  await sharp({ create: { width: 240, height: 160, channels: 3, background: '#101010' } }).composite([{ input: marker, left: 146, top: 46 }]).png().toFile(file);
  const photoId = (await h['library.import']({ paths: [file] }, ctx)).photoIds[0]!;
  const cases: Geometry[] = [
    { rotate: 90 },
    { rotate: 270 },
    { straighten: -6 },
    { rotate: 270, straighten: -6 },
    { rotate: 180, crop: { x: 0.1, y: 0.2, w: 0.6, h: 0.7 } },
    { rotate: 270, straighten: -6, crop: { x: 0.2, y: 0.1, w: 0.7, h: 0.8 } },
    { straighten: 8, crop: { x: 0.3, y: 0.1, w: 0.6, h: 0.6 } },
  ];
  for (const g of cases) {
    const shaped = await h['library.geometrySource']({ photoId, geometry: g }, ctx);
    const size = outputSize({ width: 240, height: 160 }, Geometry.parse(g));
    assert.deepEqual([shaped.width, shaped.height], [size.width, size.height], `${JSON.stringify(g)} is rendered at the size the recipe says`);
    const seen = await brightCentre(shaped.path);
    const back = originalPoint({ width: 240, height: 160 }, Geometry.parse(g), seen);
    assert.ok(Math.hypot(back.x - 150, back.y - 50) < 2, `${JSON.stringify(g)}: seen at ${seen.x},${seen.y}, mapped to ${back.x.toFixed(1)},${back.y.toFixed(1)}`);
    // And the other way: the original's point lands where the marker is seen, and its box holds it.
    const there = shapedPoint({ width: 240, height: 160 }, Geometry.parse(g), { x: 150, y: 50 });
    assert.ok(Math.hypot(there.x - seen.x, there.y - seen.y) < 2, `${JSON.stringify(g)}: seen at ${seen.x},${seen.y}, mapped to ${there.x.toFixed(1)},${there.y.toFixed(1)}`);
    const box = shapedBox({ width: 240, height: 160 }, Geometry.parse(g), { x: 146, y: 46, w: 8, h: 8 });
    assert.ok(box && box.x <= seen.x && seen.x <= box.x + box.w && box.y <= seen.y && seen.y <= box.y + box.h, `${JSON.stringify(g)}: box ${JSON.stringify(box)}`);
  }
});

test('a face box cropped away is dropped; one half inside is cut to the picture; points go there and back', () => {
  const s = { width: 240, height: 160 };
  const g = Geometry.parse({ crop: { x: 0.5, y: 0, w: 0.5, h: 1 } });
  assert.equal(shapedBox(s, g, { x: 10, y: 10, w: 40, h: 40 }), null, 'left of the crop');
  assert.deepEqual(shapedBox(s, g, { x: 110, y: 10, w: 20, h: 20 }), { x: 0, y: 10, w: 10, h: 20 }, 'half inside: cut');
  assert.equal(shapedBox(s, g, { x: 100, y: 10, w: 30, h: 20 }), null, 'a third inside: dropped');
  for (const geometry of [{ rotate: 90, straighten: 3 }, { rotate: 180, crop: { x: 0.1, y: 0.1, w: 0.5, h: 0.5 } }, { rotate: 270, straighten: -7 }] as Geometry[]) {
    const r = Geometry.parse(geometry);
    const back = originalPoint(s, r, shapedPoint(s, r, { x: 70, y: 33 }));
    assert.ok(Math.hypot(back.x - 70, back.y - 33) < 1e-6, JSON.stringify(geometry));
  }
});

test('bad crop boxes and angles are refused with a plain message', async (t) => {
  const { lib } = freshLibrary(t);
  const h = contractHandlers(lib);
  const ctx = testContext();
  const dir = rmAfter(t, tempDir('restora-geometry-bad-'));
  const file = path.join(dir, 'scan.png');
  await quadrants(file);
  const photoId = (await h['library.import']({ paths: [file] }, ctx)).photoIds[0]!;
  const refused = async (geometry: unknown, message: RegExp) =>
    assert.rejects(async () => h['library.geometrySource']({ photoId, geometry: geometry as never }, ctx), (err: Error) => {
      assert.match(err.message, message);
      return true;
    });
  await refused({ crop: { x: 0.8, y: 0, w: 0.5, h: 1 } }, /must lie inside the photo/);
  await refused({ crop: { x: -0.1, y: 0, w: 0.5, h: 1 } }, /left edge must be from 0 to 1/);
  await refused({ crop: { x: 0, y: 0, w: 0, h: 1 } }, /crop width must be above 0 \(the crop is empty\)/);
  await refused({ crop: { x: 0, y: 0, w: 0.01, h: 0.01 } }, /leaves 2×1 pixels of this 200×100 photo; make it at least 16×16/);
  await refused({ straighten: 60 }, /Straighten by at most 45°/);
  await refused({ rotate: 45 }, /./);
  assert.equal(fs.readdirSync(lib.paths.cache).filter((f) => f === 'sources').length <= 1, true);
});

test('a recipe made on one photo fits another: the crop keeps its place and ratio, chosen faces are dropped, and it says so', () => {
  const g = Geometry.parse({ rotate: 0, crop: { x: 0.1, y: 0.1, w: 0.5, h: 0.5 }, ratio: '1:1' });
  // On a 400×400 photo the 1:1 crop is a 0.5 × 0.5 box; on a 800×400 photo the same ratio is 0.25 × 0.5.
  const fitted = geometryForPhoto(g, { width: 400, height: 400 }, { width: 800, height: 400 });
  const c = fitted.geometry.crop!;
  assert.ok(Math.abs((c.w * 800) / (c.h * 400) - 1) < 0.01, 'still square in pixels');
  assert.ok(c.x >= 0 && c.y >= 0 && c.x + c.w <= 1 && c.y + c.h <= 1);
  assert.match(fitted.notes[0]!, /drawn on a 400×400 photo.*800×400 one, keeping its 1:1 ratio/);
  assert.deepEqual(geometryForPhoto(g, { width: 400, height: 400 }, { width: 400, height: 400 }).notes, [], 'same size: as drawn');

  const settings = RestoreSettings.parse({ instruction: 'remove the scratches', faces: [{ x: 1, y: 1, w: 10, h: 10 }], geometry: g });
  const other = settingsForPhoto(settings, { photoId: 1, width: 400, height: 400 }, { photoId: 2, width: 800, height: 400 });
  assert.equal(other.settings.faces, undefined);
  assert.equal(other.settings.instruction, 'remove the scratches');
  assert.equal(other.notes.length, 2);
  const same = settingsForPhoto(settings, { photoId: 1, width: 400, height: 400 }, { photoId: 1, width: 400, height: 400 });
  assert.deepEqual(same.settings, settings, 're-running on the same photo keeps everything');
});

test('the recipe line and the horizon tool', () => {
  assert.equal(isIdentity({ rotate: 0, straighten: 0 }), true);
  assert.equal(isIdentity({ crop: { x: 0, y: 0, w: 1, h: 1 } }), true);
  assert.equal(describeGeometry({ rotate: 90, straighten: -1.5, crop: { x: 0, y: 0, w: 0.8, h: 0.6 }, ratio: '4:3' }), 'Turned 90° clockwise, straightened −1.5°, cropped to 80 % × 60 % (4:3)');
  assert.equal(describeGeometry({}), null);
  // A horizon drawn rising to the right by 10 px over 100 px (screen y down) needs a clockwise turn of about 5.7°.
  assert.ok(Math.abs(levelAngle({ x: 0, y: 50 }, { x: 100, y: 40 }) - 5.71) < 0.01);
  assert.ok(Math.abs(levelAngle({ x: 100, y: 40 }, { x: 0, y: 50 }) - 5.71) < 0.01, 'drawn right to left: the same horizon');
});
