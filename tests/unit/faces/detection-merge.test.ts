import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeDetections, planDetectionTiles } from '../../../electron/engine/faces/detection-merge.js';

test('detection tiles lie inside the image, cover it, and overlap by at least a quarter', () => {
  for (const [w, h] of [[1600, 1000], [4000, 3000], [3000, 1500], [1001, 1001], [600, 200]] as const) {
    const tiles = planDetectionTiles(w, h);
    assert.ok(tiles.length >= 1 && tiles.length <= 6, `${w}×${h}: ${tiles.length} tiles`);
    for (const t of tiles) assert.ok(t.x >= 0 && t.y >= 0 && t.x + t.w <= w && t.y + t.h <= h);
    for (const [x, y] of [[0, 0], [w - 1, h - 1], [w >> 1, h >> 1], [w - 1, 0]] as const) {
      assert.ok(tiles.some((t) => x >= t.x && x < t.x + t.w && y >= t.y && y < t.y + t.h), `${w}×${h}: (${x},${y}) uncovered`);
    }
    const xs = [...new Set(tiles.map((t) => t.x))].sort((a, b) => a - b);
    for (let i = 1; i < xs.length; i++) assert.ok(xs[i - 1]! + tiles[0]!.w - xs[i]! >= tiles[0]!.w / 4, `${w}×${h}: tiles overlap too little`);
  }
});

test('merging keeps the best of duplicate boxes and drops faces cut by an inner tile edge', () => {
  const tile = { x: 500, y: 0, w: 600, h: 600 };
  const merged = mergeDetections([
    { box: { x: 100, y: 100, w: 50, h: 60 }, score: 0.7 },
    { box: { x: 102, y: 98, w: 52, h: 61 }, score: 0.9, tile: { x: 0, y: 0, w: 600, h: 600 } }, // same face, better score
    { box: { x: 501, y: 300, w: 40, h: 50 }, score: 0.95, tile }, // touches the tile's inner left edge: cut
    { box: { x: 1040, y: 10, w: 60, h: 60 }, score: 0.8, tile: { x: 500, y: 0, w: 600, h: 600 } }, // touches the image's right edge: kept
    { box: { x: 110, y: 110, w: 20, h: 20 }, score: 0.6 }, // inside the first face
  ], 1100, 600);
  assert.deepEqual(merged.map((d) => d.score), [0.9, 0.8]);
  assert.deepEqual(mergeDetections([], 10, 10), []);
});
