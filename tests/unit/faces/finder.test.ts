/**
 * The learned face finder's geometry and decoding, without the network: its pyramid covers every face size
 * from the smallest looked for, big levels are tiled with overlap, and the heat map's peaks become boxes in
 * input pixels. (The shipped model itself is checked against PyTorch in tests/integration/models-parity and
 * measured by bench:faces.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeFinder, finderPasses } from '../../../electron/engine/faces/finder.js';
import { mergeCandidates } from '../../../electron/engine/faces/find-faces.js';

test('the finder\'s pyramid starts at the smallest face and ends with the whole photo small', () => {
  for (const [w, h, minFace] of [[960, 640, 16], [2048, 1365, 16], [400, 300, 12], [3000, 200, 20]] as const) {
    const passes = finderPasses(w, h, minFace);
    const zooms = [...new Set(passes.map((p) => p.zoom))];
    assert.ok(zooms[0]! <= 2 && zooms[0]! * minFace >= 10 && zooms[0]! * minFace <= 16, `${w}×${h}: finest zoom ${zooms[0]}`);
    for (let i = 1; i < zooms.length; i++) assert.ok(zooms[i]! < zooms[i - 1]!, 'coarser each level');
    assert.ok(Math.min(w, h) * zooms.at(-1)! <= 160, `${w}×${h}: the last level sees the photo small`);
    for (const p of passes) assert.ok(p.region.x >= 0 && p.region.y >= 0 && p.region.x + p.region.w <= w && p.region.y + p.region.h <= h);
    // every level covers the whole photo
    for (const z of zooms) {
      const level = passes.filter((p) => p.zoom === z);
      for (const [x, y] of [[0, 0], [w - 1, h - 1], [w >> 1, h >> 1]] as const) {
        assert.ok(level.some((p) => x >= p.region.x && x < p.region.x + p.region.w && y >= p.region.y && y < p.region.y + p.region.h), `${w}×${h} zoom ${z}: (${x},${y})`);
      }
      if (level.length > 1) for (const p of level) assert.ok(p.region.w * z * p.region.h * z <= 2_400_000 * 1.01);
    }
  }
});

test('peaks of the heat map above the threshold become boxes; their neighbours and weak cells do not', () => {
  const gw = 8, gh = 6, plane = gw * gh;
  const heat = new Float32Array(plane), size = new Float32Array(2 * plane), offset = new Float32Array(2 * plane);
  const set = (x: number, y: number, p: number, bw: number, bh: number, ox: number, oy: number) => {
    const i = y * gw + x;
    heat[i] = p;
    size[i] = bw;
    size[plane + i] = bh;
    offset[i] = ox;
    offset[plane + i] = oy;
  };
  set(2, 3, 0.9, 20, 24, 0.5, 0.25);
  set(3, 3, 0.6, 20, 24, 0, 0); // the peak's neighbour
  set(6, 1, 0.4, 12, 14, 0, 0); // a second, weaker face
  set(0, 0, 0.1, 30, 30, 0, 0); // under the threshold
  const boxes = decodeFinder(heat, size, offset, gw, gh, 4, 0.3);
  assert.equal(boxes.length, 2);
  const [a, b] = boxes.sort((p, q) => q.score - p.score);
  assert.ok(Math.abs(a!.score - 0.9) < 1e-6 && Math.abs(b!.score - 0.4) < 1e-6);
  assert.deepEqual(a!.box, { x: 2.5 * 4 - 10, y: 3.25 * 4 - 12, w: 20, h: 24 });
  assert.deepEqual(b!.box, { x: 6 * 4 - 6, y: 1 * 4 - 7, w: 12, h: 14 });
});

test('merged candidates keep each detector\'s best score and count SSD\'s passes only', () => {
  const face = { x: 100, y: 100, w: 30, h: 36 };
  const merged = mergeCandidates([
    { box: face, score: 0.5 },
    { box: { ...face, x: 101 }, score: 0.45 },
    { box: { ...face, y: 101 }, score: 0.8, source: 'finder' as const },
    { box: { x: 300, y: 50, w: 20, h: 24 }, score: 0.7, source: 'finder' as const },
  ], 600, 400);
  assert.equal(merged.length, 2);
  const first = merged.find((c) => c.box.x < 200)!, second = merged.find((c) => c.box.x > 200)!;
  assert.equal(first.support, 2);
  assert.equal(first.ssdScore, 0.5);
  assert.equal(first.finderScore, 0.8);
  assert.equal(second.support, 0);
  assert.equal(second.ssdScore, 0);
  assert.equal(second.finderScore, 0.7);
});
