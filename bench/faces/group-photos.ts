/**
 * Aged group photographs composed from held-out portraits, with the true face
 * boxes: the face-detection benchmark's synthetic set (the size old scans are
 * shared at, 960×640 by default, faces 18-62 px wide, sepia, faded, blurred).
 *
 * Each person is a head-and-shoulders cut of a faces-flr portrait (people
 * 001-012, never used in training) feathered into a BSDS500 scene chosen to
 * contain no people, placed in one or two loose rows as group photos are; then
 * the whole photo is aged at one of three levels. The true box of each face is
 * derived from its 5 landmarks (models/data/faces-flr-landmarks.json) with the
 * proportions the detector's own boxes have on the clean portraits, so a found
 * face and its truth overlap well when the detector is right.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { Mulberry32 } from '../../electron/engine/degradations/prng.js';
import { blur, cast, clamp01, fade, grain, mono, noise } from '../../electron/engine/degradations/ops.js';
import { drawDust, drawScratches } from '../../electron/engine/degradations/damage.js';
import { jpegRoundTrip } from '../../electron/engine/degradations/apply.js';
import type { Rect, RgbImage } from '../../electron/engine/types.js';
import { appRoot } from '../../electron/node/app-paths.js';

export const AGES = ['light', 'medium', 'heavy'] as const;
export type Age = (typeof AGES)[number];

export interface GroupPhoto extends RgbImage {
  name: string;
  age: Age;
  /** True face boxes in the photo's pixels. */
  faces: Rect[];
}

/** BSDS500 validation scenes without people or faces (checked by eye on a contact sheet). */
const SCENES = ['102061', '126007', '143090', '148026', '167083', '182053', '219090', '223061', '227092', '241004', '241048', '253055',
  '260058', '296007', '351093', '38082', '42012', '55073', '58060', '76053', '78004', '86016', '86068', '97033'];

type Points = Array<[number, number]>;

/**
 * The detector-style face box of a face with 5 landmarks (eyes, nose, mouth
 * corners): on clean faces-flr portraits SSD's box is 2.2 eye distances wide,
 * and spans from 0.85 eye-to-mouth heights above the eyes to 0.56 below the mouth.
 */
export function faceBoxFromLandmarks(p: Points): Rect {
  const eyeD = Math.hypot(p[1]![0] - p[0]![0], p[1]![1] - p[0]![1]);
  const eyeY = (p[0]![1] + p[1]![1]) / 2, mouthY = (p[3]![1] + p[4]![1]) / 2;
  const cx = p.reduce((s, q) => s + q[0], 0) / p.length;
  const m = mouthY - eyeY;
  const w = 2.2 * eyeD;
  return { x: cx - w / 2, y: eyeY - 0.85 * m, w, h: 2.41 * m };
}

export interface ComposeOptions {
  dataDir: string;
  count: number;
  width?: number;
  height?: number;
  /** Face box widths, px. */
  minFace?: number;
  maxFace?: number;
  seed?: number;
}

interface Portrait {
  file: string;
  box: Rect;
}

function heldOutPortraits(): Portrait[] {
  const marks = JSON.parse(fs.readFileSync(path.join(appRoot(), 'models', 'data', 'faces-flr-landmarks.json'), 'utf8')) as Record<string, Points | null>;
  return Object.entries(marks)
    .filter(([rel, p]) => p && Number(path.basename(rel).slice(0, 3)) <= 12)
    .map(([rel, p]) => ({ file: rel, box: faceBoxFromLandmarks(p!) }));
}

async function loadRgb(file: string, region: { left: number; top: number; width: number; height: number } | null, w: number, h: number): Promise<Float32Array> {
  let img = sharp(file).removeAlpha();
  if (region) img = img.extract(region);
  const { data } = await img.resize(w, h, { fit: 'cover', kernel: 'lanczos3' }).raw().toBuffer({ resolveWithObject: true });
  return Float32Array.from(data, (v) => v / 255);
}

/** Head and shoulders of a portrait, scaled so its face box is `faceW` wide; where the box lands inside the cut. */
async function personCut(dataDir: string, p: Portrait, faceW: number): Promise<{ rgb: Float32Array; w: number; h: number; face: Rect }> {
  const { box } = p;
  const src = { left: Math.max(0, Math.round(box.x - 0.8 * box.w)), top: Math.max(0, Math.round(box.y - 0.45 * box.h)) };
  const right = Math.min(1350, Math.round(box.x + 1.8 * box.w)), bottom = Math.min(1350, Math.round(box.y + 2.3 * box.h));
  const region = { ...src, width: right - src.left, height: bottom - src.top };
  const k = faceW / box.w;
  const w = Math.max(4, Math.round(region.width * k)), h = Math.max(4, Math.round(region.height * k));
  const rgb = await loadRgb(path.join(dataDir, 'faces-flr', p.file), region, w, h);
  return { rgb, w, h, face: { x: (box.x - src.left) * (w / region.width), y: (box.y - src.top) * (h / region.height), w: box.w * (w / region.width), h: box.h * (h / region.height) } };
}

/**
 * How much of the cut is the person: a soft key against the studio backdrop
 * (its colour sampled in the cut's top corners), inside a feathered oval so
 * nothing of the backdrop's edge shows.
 */
function personAlpha(rgb: Float32Array, w: number, h: number): Float32Array {
  const bg = [0, 0, 0];
  let n = 0;
  const k = Math.max(1, Math.round(w * 0.06));
  for (let y = 0; y < k; y++) for (const x0 of [0, w - k]) for (let x = x0; x < x0 + k; x++, n++) for (let c = 0; c < 3; c++) bg[c]! += rgb[(y * w + x) * 3 + c]!;
  for (let c = 0; c < 3; c++) bg[c]! /= n;
  const a = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      const d = Math.hypot(rgb[i]! - bg[0]!, rgb[i + 1]! - bg[1]!, rgb[i + 2]! - bg[2]!);
      const key = Math.min(1, Math.max(0, (d - 0.05) / 0.12));
      const dx = (x + 0.5 - w / 2) / (w / 2), dy = (y + 0.5 - h / 2) / (h / 2);
      const oval = Math.min(1, Math.max(0, (1 - Math.hypot(dx, Math.max(0, -dy) + 0.4 * Math.max(0, dy))) / 0.15));
      a[y * w + x] = key * oval;
    }
  }
  return a;
}

function overlaps(a: Rect, b: Rect, pad: number): boolean {
  return a.x - pad < b.x + b.w && b.x - pad < a.x + a.w && a.y - pad < b.y + b.h && b.y - pad < a.y + a.h;
}

async function age(img: RgbImage, level: Age, rnd: () => number, seed: number): Promise<Float32Array> {
  const { width: w, height: h } = img;
  const k = { light: 0, medium: 1, heavy: 2 }[level];
  let x = img.rgb;
  if (rnd() < 0.5) x = mono(x);
  const s = [0.5, 0.8, 1.1][k]! * (0.8 + 0.4 * rnd());
  x = blur(x, w, h, s, s, 0);
  x = fade(x, [0.25, 0.4, 0.5][k]! + 0.1 * rnd());
  x = cast(x, 'sepia', 0.6 + 0.35 * rnd(), [0, 0, 0]);
  x = grain(x, w, h, [0.012, 0.02, 0.03][k]!, 0.8, seed + 1);
  if (k === 2) {
    const lines = Array.from({ length: 3 + Math.floor(rnd() * 4) }, () => ({
      x: rnd(), y: rnd(), angle: rnd() * Math.PI, length: 0.2 + 0.5 * rnd(), bend: (rnd() - 0.5) * 0.3, width: 1 + Math.floor(rnd() * 3), bright: rnd() < 0.7, opacity: 0.5 + 0.4 * rnd(),
    }));
    x = drawDust(drawScratches(x, w, h, lines), w, h, 40, seed + 2);
  }
  x = clamp01(noise(x, w, h, [0.008, 0.014, 0.02][k]!, true, seed + 3));
  return jpegRoundTrip(x, w, h, [85, 70, 60][k]!);
}

/** `count` aged group photos, ages cycling light, medium, heavy; deterministic for a seed. */
export async function composeGroupPhotos(opts: ComposeOptions): Promise<GroupPhoto[]> {
  const W = opts.width ?? 960, H = opts.height ?? 640;
  const minFace = opts.minFace ?? 18, maxFace = opts.maxFace ?? 62;
  const people = heldOutPortraits();
  const rnd = new Mulberry32(opts.seed ?? 23);
  const r = () => rnd.next();
  const out: GroupPhoto[] = [];
  for (let i = 0; i < opts.count; i++) {
    const scene = SCENES[(i * 7 + (opts.seed ?? 23)) % SCENES.length]!;
    const rgb = await loadRgb(path.join(opts.dataDir, 'bsds500', 'val', `${scene}.jpg`), null, W, H);
    const faces: Rect[] = [];
    const want = 4 + Math.floor(r() * 4);
    for (let tries = 0; faces.length < want && tries < 200; tries++) {
      const faceW = minFace * Math.pow(maxFace / minFace, r());
      const cut = await personCut(opts.dataDir, people[Math.floor(r() * people.length)]!, faceW);
      const x0 = Math.round(r() * (W - cut.w)), y0 = Math.round(H * (0.15 + 0.5 * r()) - cut.face.y);
      const face = { x: x0 + cut.face.x, y: y0 + cut.face.y, w: cut.face.w, h: cut.face.h };
      if (face.x < 0 || face.y < 0 || face.x + face.w > W || face.y + face.h > H) continue;
      const whole = { x: x0, y: y0, w: cut.w, h: cut.h };
      // Later people stand in front: they may hide earlier shoulders and backdrops, never earlier faces.
      if (faces.some((f) => overlaps(f, whole, 0.15 * f.w))) continue;
      const alpha = personAlpha(cut.rgb, cut.w, cut.h);
      for (let y = 0; y < cut.h; y++) {
        const py = y0 + y;
        if (py < 0 || py >= H) continue;
        for (let x = 0; x < cut.w; x++) {
          const px = x0 + x;
          if (px < 0 || px >= W) continue;
          const a = alpha[y * cut.w + x]!;
          for (let c = 0; c < 3; c++) rgb[(py * W + px) * 3 + c] = rgb[(py * W + px) * 3 + c]! * (1 - a) + a * cut.rgb[(y * cut.w + x) * 3 + c]!;
        }
      }
      faces.push(face);
    }
    const level = AGES[i % AGES.length]!;
    out.push({ name: `group-${String(i + 1).padStart(2, '0')}-${level}`, age: level, faces, width: W, height: H, rgb: await age({ rgb, width: W, height: H }, level, r, 1000 + i * 10) });
  }
  return out;
}
