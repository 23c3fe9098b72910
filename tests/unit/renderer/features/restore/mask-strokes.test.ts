/** The mask editor's geometry: strokes replayed on a context, pointer positions in mask pixels, the detector's mask as white-on-transparent, and the upload's base64 parts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base64Parts, greyToAlpha, markedShare, paintStroke, toMaskPoint, type MaskContext } from '../../../../../renderer/features/restore/mask-strokes.js';

/** Records what a stroke asks of a 2D context. */
function recorder(): MaskContext & { calls: string[] } {
  const calls: string[] = [];
  const ctx = {
    calls,
    globalCompositeOperation: 'source-over',
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 1,
    lineCap: 'butt' as CanvasLineCap,
    lineJoin: 'miter' as CanvasLineJoin,
    beginPath: () => calls.push('begin'),
    moveTo: (x: number, y: number) => calls.push(`move ${x},${y} ${ctx.globalCompositeOperation}`),
    lineTo: (x: number, y: number) => calls.push(`line ${x},${y}`),
    arc: (x: number, y: number, r: number) => calls.push(`arc ${x},${y} r${r} ${ctx.globalCompositeOperation}`),
    fill: () => calls.push('fill'),
    stroke: () => calls.push(`stroke w${ctx.lineWidth}`),
    clearRect: (x: number, y: number, w: number, h: number) => calls.push(`clear ${x},${y},${w},${h}`),
  };
  return ctx;
}

test('a click paints a dot, a drag a round line twice the radius wide, the eraser cuts out, and the context is left as it was', () => {
  const c = recorder();
  paintStroke(c, { mode: 'add', radius: 3, points: [{ x: 5, y: 6 }] }, 100, 80);
  assert.deepEqual(c.calls, ['begin', 'arc 5,6 r3 source-over', 'fill']);
  c.calls.length = 0;
  paintStroke(c, { mode: 'erase', radius: 4, points: [{ x: 1, y: 1 }, { x: 9, y: 1 }, { x: 9, y: 9 }] }, 100, 80);
  assert.deepEqual(c.calls, ['begin', 'move 1,1 destination-out', 'line 9,1', 'line 9,9', 'stroke w8']);
  assert.equal(c.globalCompositeOperation, 'source-over');
});

test('a stroke continued from a point draws only its new segment; a clear stroke clears the whole mask', () => {
  const c = recorder();
  paintStroke(c, { mode: 'add', radius: 2, points: [{ x: 0, y: 0 }, { x: 4, y: 0 }, { x: 8, y: 0 }] }, 10, 10, 2);
  assert.deepEqual(c.calls, ['begin', 'move 4,0 source-over', 'line 8,0', 'stroke w4']);
  c.calls.length = 0;
  paintStroke(c, { mode: 'clear', radius: 0, points: [] }, 10, 12);
  assert.deepEqual(c.calls, ['clear 0,0,10,12']);
});

test('pointer positions on the shown photo become mask pixels, clamped inside', () => {
  assert.deepEqual(toMaskPoint(50, 25, 200, 100, 4000, 2000), { x: 1000, y: 500 });
  assert.deepEqual(toMaskPoint(-5, 130, 200, 100, 4000, 2000), { x: 0, y: 2000 });
});

test("the detector's greyscale mask becomes white where marked and transparent elsewhere; the share counts opaque pixels", () => {
  const px = new Uint8ClampedArray([255, 255, 255, 255, 0, 0, 0, 255, 127, 127, 127, 255, 200, 200, 200, 255]);
  assert.equal(greyToAlpha(px), 2);
  assert.deepEqual([...px], [255, 255, 255, 255, 255, 255, 255, 0, 255, 255, 255, 0, 255, 255, 255, 255]);
  assert.equal(markedShare(px), 0.5);
});

test('the upload splits base64 into parts that each decode alone and join to the bytes', () => {
  const bytes = new Uint8Array(10_001).map((_, i) => (i * 37) % 256);
  const parts = base64Parts(bytes, 4000);
  assert.equal(parts.length, Math.ceil(10_001 / 3000));
  assert.ok(parts.every((p) => p.length <= 4000 && p.length % 4 === 0));
  const joined = Buffer.concat(parts.map((p) => Buffer.from(p, 'base64')));
  assert.deepEqual(new Uint8Array(joined), bytes);
  assert.deepEqual(base64Parts(new Uint8Array(0)), ['']);
});
