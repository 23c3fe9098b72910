/** Where the face search looks and how it judges what it finds: pure geometry, no detector. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planSearch, SSD_SIDE } from '../../../electron/engine/faces/search-plan.js';
import { acceptFace, faceLikeLandmarks, CONFIDENT_SCORE, FINDER_MIN, FINDER_SURE, CANDIDATE_SCORE } from '../../../electron/engine/faces/verify.js';
import { finerPasses, mergeCandidates } from '../../../electron/engine/faces/find-faces.js';
import { contrastStretch } from '../../../electron/engine/faces/search-input.js';
import type { Point, Rect } from '../../../electron/engine/types.js';

const inside = (r: Rect, w: number, h: number) => r.x >= 0 && r.y >= 0 && r.x + r.w <= w && r.y + r.h <= h;

test('a 960×640 group photo is enlarged ×2 at the finest level, tiled, and seen whole at the coarsest', () => {
  const plan = planSearch(960, 640);
  assert.equal(plan[0]!.zoom, 2, 'an 18 px face reaches 36 px at the detector');
  const levels = [...new Set(plan.map((p) => p.level))];
  assert.ok(levels.length >= 3);
  const last = plan.filter((p) => p.level === levels.at(-1));
  assert.deepEqual(last.map((p) => p.region), [{ x: 0, y: 0, w: 960, h: 640 }]);
  for (const p of plan) {
    assert.ok(inside(p.region, 960, 640), JSON.stringify(p));
    assert.ok(Math.max(p.region.w, p.region.h) * p.zoom <= SSD_SIDE + 1, 'no tile exceeds the detector input');
  }
});

test('every face up to the size a level is for lies whole in one of its tiles', () => {
  for (const [w, h] of [[960, 640], [640, 960], [1600, 1200], [300, 200]] as const) {
    const plan = planSearch(w, h);
    for (const level of new Set(plan.map((p) => p.level))) {
      const tiles = plan.filter((p) => p.level === level);
      const face = Math.min(64 / tiles[0]!.zoom, w, h);
      for (let y = 0; y + face <= h; y += face / 3) {
        for (let x = 0; x + face <= w; x += face / 3) {
          const whole = tiles.some((t) => x >= t.region.x && y >= t.region.y && x + face <= t.region.x + t.region.w && y + face <= t.region.y + t.region.h);
          assert.ok(whole, `${w}×${h} level ${level}: a ${face.toFixed(0)} px face at ${x.toFixed(0)},${y.toFixed(0)} is cut by every tile`);
        }
      }
    }
  }
});

test('after the whole-photo pass: a portrait is not searched for tiny faces; a group of small or unsure faces is searched in full', () => {
  const full = planSearch(640, 640);
  const wholeOnly = full.filter((p) => p.level === full.at(-1)!.level);
  assert.equal(wholeOnly.length, 1);
  const sure = (w: number, score = 0.97) => ({ box: { x: 100, y: 100, w, h: w * 1.2 }, score, tile: wholeOnly[0]!.region });
  // Nothing sure: every finer level, and never the whole photo again.
  assert.deepEqual(finerPasses(full, [], 640, 640, {}), full.filter((p) => p.level !== full.at(-1)!.level));
  assert.deepEqual(finerPasses(full, [sure(300, 0.8)], 640, 640, {}).length, full.length - 1);
  // One sure 300 px face: faces of 75 px and more are left, which the whole-photo pass already sees.
  assert.deepEqual(finerPasses(full, [sure(300)], 640, 640, {}), []);
  // A sure 120 px face: faces down to 30 px, one level of tiles instead of two.
  const mid = finerPasses(full, [sure(120)], 640, 640, {});
  assert.ok(mid.length > 0 && mid.length < full.length - 1 && mid.every((p) => p.zoom < full[0]!.zoom), `${mid.length} passes`);
  // The smallest sure face decides: a small one among big ones keeps the full search.
  assert.equal(finerPasses(full, [sure(300), sure(40)], 640, 640, {}).length, full.length - 1);
});

test('huge photos stay within the pass budget by searching for larger faces', () => {
  const plan = planSearch(6000, 4000);
  assert.ok(plan.length <= 40, `${plan.length} passes`);
  assert.ok(plan[0]!.zoom < 2);
  assert.ok(planSearch(8, 8).length >= 1);
});

/** 68 iBUG points of an upright face in a box, from a few anchors (jaw, eyes, nose, mouth). */
function uprightLandmarks(box: Rect, roll = 0): Point[] {
  const c = [box.x + box.w / 2, box.y + box.h / 2];
  const rot = (dx: number, dy: number): Point => {
    const a = (roll * Math.PI) / 180;
    return [c[0]! + (dx * Math.cos(a) - dy * Math.sin(a)) * box.w, c[1]! + (dx * Math.sin(a) + dy * Math.cos(a)) * box.h];
  };
  const p: Point[] = [];
  for (let i = 0; i <= 16; i++) p.push(rot(-0.45 + (0.9 * i) / 16, -0.05 + 0.45 * Math.sin((Math.PI * i) / 16)));
  for (let i = 17; i <= 26; i++) p.push(rot(i < 22 ? -0.35 + 0.05 * (i - 17) : 0.1 + 0.05 * (i - 22), -0.25));
  for (let i = 27; i <= 30; i++) p.push(rot(0, -0.15 + 0.07 * (i - 27)));
  for (let i = 31; i <= 35; i++) p.push(rot(-0.08 + 0.04 * (i - 31), 0.1));
  for (let i = 36; i <= 41; i++) p.push(rot(-0.22 + 0.02 * (i - 36), -0.12));
  for (let i = 42; i <= 47; i++) p.push(rot(0.12 + 0.02 * (i - 42), -0.12));
  for (let i = 48; i <= 67; i++) p.push(rot(i === 48 ? -0.15 : i === 54 ? 0.15 : -0.1 + 0.01 * (i - 49), 0.25));
  return p;
}

test('landmarks of an upright face pass the check; a tilted, collapsed or upside-down shape does not', () => {
  const box = { x: 100, y: 50, w: 40, h: 48 };
  assert.equal(faceLikeLandmarks({ box, landmarks68: uprightLandmarks(box) }), true);
  assert.equal(faceLikeLandmarks({ box, landmarks68: uprightLandmarks(box, 20) }), true, 'a head tilted 20° is still a face');
  assert.equal(faceLikeLandmarks({ box, landmarks68: uprightLandmarks(box, 60) }), false);
  assert.equal(faceLikeLandmarks({ box, landmarks68: uprightLandmarks(box, 180) }), false, 'mouth above the eyes');
  const collapsed = uprightLandmarks(box).map((): Point => [120, 74]);
  assert.equal(faceLikeLandmarks({ box, landmarks68: collapsed }), false);
});

test('a confident detection stands; a middling one needs many passes, or a second pass and a face\'s landmarks; a weak one never counts', () => {
  const box = { x: 0, y: 0, w: 40, h: 48 };
  const good = uprightLandmarks(box), bad = uprightLandmarks(box, 180);
  assert.equal(acceptFace({ box, landmarks68: bad, score: CONFIDENT_SCORE }, 1), true);
  assert.equal(acceptFace({ box, landmarks68: good, score: 0.55 }, 3), true);
  assert.equal(acceptFace({ box, landmarks68: good, score: 0.55 }, 1), false, 'seen by one pass only');
  assert.equal(acceptFace({ box, landmarks68: bad, score: 0.55 }, 3), false, 'no face geometry, few passes');
  assert.equal(acceptFace({ box, landmarks68: bad, score: 0.55 }, 6), true, 'many passes agree');
  assert.equal(acceptFace({ box, landmarks68: good, score: 0.3 }, 9), false);
});

test('the face finder\'s word: sure stands alone; middling needs SSD to have seen the place twice; landmarks alone are not enough', () => {
  const box = { x: 0, y: 0, w: 40, h: 48 };
  const good = uprightLandmarks(box), bad = uprightLandmarks(box, 180);
  const mid = (FINDER_MIN + FINDER_SURE) / 2;
  assert.equal(acceptFace({ box, landmarks68: bad, score: 0 }, 0, FINDER_SURE), true);
  assert.equal(acceptFace({ box, landmarks68: good, score: 0 }, 0, mid), false, 'a face\'s landmarks are no evidence for the finder');
  assert.equal(acceptFace({ box, landmarks68: bad, score: CANDIDATE_SCORE }, 2, mid), true, 'SSD saw something there twice');
  assert.equal(acceptFace({ box, landmarks68: bad, score: CANDIDATE_SCORE }, 1, mid), false, 'once is not agreement');
  assert.equal(acceptFace({ box, landmarks68: good, score: 0.3 }, 3, FINDER_MIN - 0.01), false, 'a weak finder score does not lift a weak SSD one');
  assert.equal(acceptFace({ box, landmarks68: good, score: 0.55 }, 1, FINDER_MIN - 0.01), false);
});

test('merging passes keeps one box per face, counts the passes that saw it, and a much bigger box around it does not swallow it', () => {
  const face = { x: 100, y: 100, w: 30, h: 36 };
  const found = [
    { box: face, score: 0.9 },
    { box: { ...face, x: 102 }, score: 0.8 },
    { box: { ...face, y: 98 }, score: 0.7 },
    { box: { x: 60, y: 60, w: 200, h: 200 }, score: 0.95 },
  ];
  const merged = mergeCandidates(found, 960, 640);
  assert.equal(merged.length, 2);
  const kept = merged.find((m) => m.box.w === 30)!;
  assert.equal(kept.score, 0.9);
  assert.equal(kept.support, 3);
});

test('contrast stretching spreads a faded tile over the full range and keeps the colour balance', () => {
  const rgb = new Float32Array(300);
  for (let i = 0; i < 100; i++) {
    const v = 0.45 + 0.1 * (i / 99);
    rgb.set([v + 0.02, v, v - 0.02], i * 3);
  }
  const out = contrastStretch(rgb);
  assert.ok(Math.min(...out) < 0.05 && Math.max(...out) > 0.95);
  assert.ok(out[150]! > out[151]! && out[151]! > out[152]!, 'the sepia order of channels is kept');
});
