/** Zoom and pan of the photo view: fitting, centring, zooming about the pointer and the limits. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_SCALE, MIN_SCALE, clampPan, fitScale, fitted, zoomTo, type ZoomState } from '../../../../../renderer/features/photo/zoom.js';

const view = { w: 800, h: 600 };
const img = { w: 4000, h: 2000 };

test('fitting shows the whole picture, limited by its tighter side, and centres the other axis', () => {
  assert.equal(fitScale(view, img), 0.2);
  const f = fitted(view, img);
  assert.deepEqual(f, { scale: 0.2, x: 0, y: (600 - 400) / 2, fit: true });
});

test('before the picture or the viewport has a size, the scale is 1', () => {
  assert.equal(fitScale({ w: 0, h: 0 }, img), 1);
  assert.equal(fitScale(view, { w: 0, h: 100 }), 1);
});

test('a picture larger than the viewport always covers it: panning stops at its edges', () => {
  const s: ZoomState = { scale: 1, x: 300, y: -5000, fit: false };
  const c = clampPan(s, view, img);
  assert.equal(c.x, 0, 'cannot pull the left edge into view');
  assert.equal(c.y, 600 - 2000, 'cannot pull the bottom edge past the viewport');
  const inside = clampPan({ scale: 1, x: -100, y: -50, fit: false }, view, img);
  assert.deepEqual([inside.x, inside.y], [-100, -50]);
});

test('an axis smaller than the viewport is centred, wherever it was dragged', () => {
  const c = clampPan({ scale: 0.1, x: -999, y: 999, fit: false }, view, img);
  assert.deepEqual([c.x, c.y], [(800 - 400) / 2, (600 - 200) / 2]);
});

test('zooming keeps the picture point under the pointer where it is', () => {
  const start: ZoomState = { scale: 1, x: -1000, y: -500, fit: false };
  const at = { x: 200, y: 150 };
  const before = { x: (at.x - start.x) / start.scale, y: (at.y - start.y) / start.scale };
  const z = zoomTo(start, 2, at, view, img);
  assert.equal(z.scale, 2);
  assert.equal(z.fit, false);
  assert.deepEqual({ x: (at.x - z.x) / z.scale, y: (at.y - z.y) / z.scale }, before);
});

test('zoom stops at its limits', () => {
  const s: ZoomState = { scale: 1, x: 0, y: 0, fit: false };
  assert.equal(zoomTo(s, 1000, { x: 0, y: 0 }, view, img).scale, MAX_SCALE);
  assert.equal(zoomTo(s, 0, { x: 0, y: 0 }, view, img).scale, MIN_SCALE);
});
