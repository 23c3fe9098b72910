/**
 * `restora analyze` as a user runs it, on a small sepia group photo made of
 * three Face Research Lab portraits (CC-BY 4.0; ../shared/data) turned on its
 * side with an EXIF orientation: every face is found, in the upright photo's
 * pixels, with 5 landmarks inside its box; a photo without people has none;
 * `--library` stores the faces so the Faces filter finds the photo.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { requireBuild, runCli, tempDir } from '../../devkit/services.js';
import { writeTestPhoto } from '../../devkit/images.js';
import { sharedDataDir } from '../../devkit/shared-data.js';

const people = ['002', '005', '009'].map((id) => path.join(sharedDataDir(), 'faces-flr', 'neutral_front', `${id}_03.jpg`));
const SIDE = 150;
const W = 3 * SIDE + 40, H = SIDE + 20;
const home = tempDir();
const work = tempDir('restora-analyze-');
const group = path.join(work, 'group.jpg');
const empty = path.join(work, 'empty.png');
after(() => {
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

before(async () => {
  requireBuild();
  const tiles = await Promise.all(people.map((p, i) => sharp(p).resize(SIDE, SIDE).toBuffer().then((input) => ({ input, left: 10 + i * (SIDE + 10), top: 10 }))));
  const upright = await sharp({ create: { width: W, height: H, channels: 3, background: '#8a7a66' } }).composite(tiles).png().toBuffer();
  // Stored on its side (rotated 90° anticlockwise) with EXIF orientation 6, as cameras and scanners write it.
  await sharp(upright).rotate(-90).recomb([[0.393, 0.769, 0.189], [0.349, 0.686, 0.168], [0.272, 0.534, 0.131]]).withMetadata({ orientation: 6 }).jpeg({ quality: 80 }).toFile(group);
  await writeTestPhoto(empty, 200, 150);
});

interface Printed {
  file?: string;
  photoId?: number;
  width: number;
  height: number;
  facesDetected: boolean;
  faces: Array<{ box: { x: number; y: number; width: number; height: number }; score: number; landmarks: Array<[number, number]> }>;
  damage: Record<string, number>;
}

test('analyze --json: every face of a sideways group photo in the upright photo\'s pixels, with landmarks; none in a photo without people', () => {
  const r = runCli(home, ['analyze', group, empty, '--json'], 300_000);
  assert.equal(r.status, 0, r.stderr);
  const [g, e] = JSON.parse(r.stdout) as Printed[];
  assert.deepEqual([g!.width, g!.height], [W, H], 'dimensions after the EXIF orientation');
  assert.equal(g!.facesDetected, true);
  assert.equal(g!.faces.length, 3, JSON.stringify(g!.faces));
  const byX = [...g!.faces].sort((a, b) => a.box.x - b.box.x);
  byX.forEach((f, i) => {
    const left = 10 + i * (SIDE + 10);
    const cx = f.box.x + f.box.width / 2, cy = f.box.y + f.box.height / 2;
    assert.ok(cx > left && cx < left + SIDE && cy > 10 && cy < 10 + SIDE, `face ${i} lies in portrait ${i}: ${JSON.stringify(f.box)}`);
    assert.ok(f.box.width > SIDE * 0.2 && f.box.width < SIDE * 0.6, `face ${i} is face-sized: ${JSON.stringify(f.box)}`);
    assert.ok(f.score > 0.5 && f.score <= 1);
    assert.equal(f.landmarks.length, 5);
    for (const [x, y] of f.landmarks) assert.ok(x >= f.box.x && x <= f.box.x + f.box.width && y >= f.box.y && y <= f.box.y + f.box.height, 'landmarks inside the box');
    assert.ok(f.landmarks[0]![0] < f.landmarks[1]![0] && f.landmarks[2]![1] < f.landmarks[3]![1], 'eyes left to right, mouth below the nose: upright');
  });
  for (const v of Object.values(g!.damage)) assert.ok(v >= 0 && v <= 1);
  assert.equal(e!.facesDetected, true);
  assert.deepEqual(e!.faces, []);
});

test('analyze --library stores the faces: the Faces filter finds the photo and its face count is kept', () => {
  const imp = runCli(home, ['import', group, empty, '--json'], 120_000);
  assert.equal(imp.status, 0, imp.stderr);
  const ids = (JSON.parse(imp.stdout) as { photoIds: number[] }).photoIds;
  const r = runCli(home, ['analyze', '--library', ...ids.map(String), '--json'], 300_000);
  assert.equal(r.status, 0, r.stderr);
  const printed = JSON.parse(r.stdout) as Printed[];
  assert.deepEqual(printed.map((p) => [p.photoId, p.faces.length]), [[ids[0], 3], [ids[1], 0]]);
  const list = runCli(home, ['list', '--json'], 120_000);
  const items = (JSON.parse(list.stdout) as { items: Array<{ id: number; faces: number | null }> }).items;
  assert.deepEqual(items.map((p) => [p.id, p.faces]).sort(), [[ids[0], 3], [ids[1], 0]].sort());
});

test('analyze without files is a usage error', () => {
  const r = runCli(home, ['analyze'], 60_000);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /analyze needs/);
});
