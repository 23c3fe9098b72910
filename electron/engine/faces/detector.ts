/**
 * Face detection for the face pipeline: SSD MobileNet v1 boxes, 68-point
 * landmarks, and (optionally) 128-d identity descriptors, all from
 * @vladmandic/face-api's node-wasm build on the TensorFlow.js WASM backend.
 * Models and WASM binaries are read from the installed npm packages with fs;
 * nothing touches the network.
 *
 * Detection runs on resampled copies, never on the full-size photo: a global
 * pass over the whole image (SSD sees 512 px either way) and, for big photos,
 * a pass over overlapping tiles so faces of ~1-2% of the long side are found.
 * Landmarks run on a per-face crop taken from the full-resolution image.
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { RestoraError } from '../../shared/errors.js';
import type { Face, Point, Rect, RgbImage } from '../types.js';
import { cropResize } from './resample.js';
import { planDetectionTiles, mergeDetections, type Detection } from './detection-merge.js';
import { fivePointsFrom68 } from './landmarks.js';

export interface DetectOptions {
  /** Minimum detector confidence (default 0.5; old, faded photos may want 0.4). */
  minScore?: number;
  /** Tile pass for small faces (~1 SSD run per tile, 6-9 tiles): 'auto' runs it when the photo's long side exceeds 1000 px. */
  tiles?: 'auto' | 'always' | 'off';
  /** Compute identity descriptors (about 0.1-0.3 s per face on the CPU). */
  descriptors?: boolean;
  /** Keep at most this many faces, highest score first (default 64). */
  maxFaces?: number;
}

export interface FaceDetector {
  detect(rgb: Float32Array, width: number, height: number, opts?: DetectOptions): Promise<Face[]>;
  /**
   * One SSD pass over `region` of the image resampled so its long side is
   * `side` (enlarged too when the region is smaller): the building block of
   * the multi-scale search in find-faces.ts. Boxes come back in image pixels.
   */
  locate(img: RgbImage, region: Rect, side: number, minScore: number): Promise<Detection[]>;
  /** 68 and 5 landmarks for each box, from a crop of the image at the landmark net's input size. */
  landmarks(img: RgbImage, boxes: Detection[]): Promise<Face[]>;
  /** The 128-d identity descriptor of a detected face; compare with euclidean distance (< 0.6: same person). */
  describe(rgb: Float32Array, width: number, height: number, face: Face): Promise<Float32Array>;
}

type FaceApi = typeof import('@vladmandic/face-api/dist/face-api.node-wasm.js');
type Tensor3D = ReturnType<FaceApi['tf']['tensor3d']>;

/** Side of the square the global pass is resampled to (SSD's own input is 512²; a little more keeps detail for its resize). */
const GLOBAL_SIDE = 640;
/** Each small-face tile is resampled to SSD's native 512² (enlarged when the tile is smaller). */
const TILE_INPUT = 512;
/** The landmark net's input side; crops are cut from the full-resolution photo at this size. */
const LANDMARK_INPUT = 112;
/** Below this the detector cannot see a face; such images return []. */
const MIN_SIDE = 24;

let runtime: Promise<FaceApi> | null = null;
let recognitionLoaded: Promise<void> | null = null;

function packageDir(require: NodeRequire, name: string): string {
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch (err) {
    throw new RestoraError('Internal', `The face detector needs the npm package ${name}, which is not installed`, { cause: String(err) });
  }
}

async function loadRuntime(): Promise<FaceApi> {
  const require = createRequire(import.meta.url);
  const faceDir = packageDir(require, '@vladmandic/face-api');
  const wasmDir = path.join(packageDir(require, '@tensorflow/tfjs-backend-wasm'), 'dist') + path.sep;
  const modelDir = path.join(faceDir, 'model');
  for (const f of ['ssd_mobilenetv1_model.bin', 'face_landmark_68_model.bin', 'tfjs-backend-wasm-simd.wasm']) {
    const p = f.endsWith('.wasm') ? path.join(wasmDir, f) : path.join(modelDir, f);
    if (!fs.existsSync(p)) throw new RestoraError('NotFound', `Face detection model file is missing: ${p}`);
  }
  let faceapi: FaceApi;
  try {
    faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApi;
  } catch (err) {
    throw new RestoraError('Internal', `Could not load the face detector (face-api): ${(err as Error).message}`);
  }
  // face-api re-exports tfjs and the WASM backend; its typings list only the ops it uses.
  const tf = faceapi.tf as unknown as { setWasmPaths(prefix: string): void; setBackend(name: string): Promise<boolean>; ready(): Promise<void> };
  try {
    tf.setWasmPaths(wasmDir);
    if (!(await tf.setBackend('wasm'))) throw new Error('the WASM backend did not initialise');
    await tf.ready();
  } catch (err) {
    throw new RestoraError('Unsupported', `TensorFlow.js WASM backend failed to start for face detection: ${(err as Error).message}`);
  }
  try {
    await faceapi.nets.ssdMobilenetv1.loadFromDisk(modelDir);
    await faceapi.nets.faceLandmark68Net.loadFromDisk(modelDir);
  } catch (err) {
    throw new RestoraError('CorruptInput', `Face detection models in ${modelDir} could not be loaded: ${(err as Error).message}`);
  }
  return faceapi;
}

function loadRecognition(faceapi: FaceApi): Promise<void> {
  recognitionLoaded ??= (async () => {
    const modelDir = path.join(packageDir(createRequire(import.meta.url), '@vladmandic/face-api'), 'model');
    try {
      await faceapi.nets.faceRecognitionNet.loadFromDisk(modelDir);
    } catch (err) {
      recognitionLoaded = null;
      throw new RestoraError('CorruptInput', `Face recognition model in ${modelDir} could not be loaded: ${(err as Error).message}`);
    }
  })();
  return recognitionLoaded;
}

/**
 * Loads the detector once per process (later calls share it). Throws a
 * RestoraError when the packages, WASM binaries or model files are missing.
 */
export async function createFaceDetector(): Promise<FaceDetector> {
  runtime ??= loadRuntime().catch((err) => {
    runtime = null;
    throw err;
  });
  const faceapi = await runtime;
  return {
    detect: (rgb, width, height, opts) => detectFaces(faceapi, { rgb, width, height }, opts ?? {}),
    locate: (img, region, side, minScore) => ssdPass(faceapi, img, region, side, minScore, true),
    landmarks: (img, boxes) => landmarksFor(faceapi, img, boxes),
    describe: async (rgb, width, height, face) => {
      await loadRecognition(faceapi);
      return describeFace(faceapi, { rgb, width, height }, face);
    },
  };
}

function toTensor(faceapi: FaceApi, pixels: Float32Array, w: number, h: number): Tensor3D {
  const scaled = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) scaled[i] = pixels[i]! * 255;
  return faceapi.tf.tensor3d(scaled, [h, w, 3]);
}

/** Runs SSD on `region` of the image resampled so its long side is `side`; boxes come back in image pixels. */
async function ssdPass(faceapi: FaceApi, img: RgbImage, region: Rect, side: number, minScore: number, enlarge = false): Promise<Detection[]> {
  const s = enlarge ? side / Math.max(region.w, region.h) : Math.min(1, side / Math.max(region.w, region.h));
  const w = Math.max(1, Math.round(region.w * s)), h = Math.max(1, Math.round(region.h * s));
  const input = toTensor(faceapi, cropResize(img, region, w, h), w, h);
  try {
    const found = await faceapi.nets.ssdMobilenetv1.locateFaces(input, { minConfidence: minScore, maxResults: 100 });
    const kx = region.w / w, ky = region.h / h;
    return found.map((d) => ({
      score: d.score,
      box: { x: region.x + d.box.x * kx, y: region.y + d.box.y * ky, w: d.box.width * kx, h: d.box.height * ky },
      tile: region,
    }));
  } finally {
    input.dispose();
  }
}

async function detectFaces(faceapi: FaceApi, img: RgbImage, opts: DetectOptions): Promise<Face[]> {
  const { width, height, rgb } = img;
  if (rgb.length !== width * height * 3) throw new RestoraError('BadRequest', `Image buffer holds ${rgb.length} values, expected ${width}×${height}×3`);
  if (width < MIN_SIDE || height < MIN_SIDE) return [];
  const minScore = opts.minScore ?? 0.5;
  const whole = { x: 0, y: 0, w: width, h: height };
  const found = await ssdPass(faceapi, img, whole, GLOBAL_SIDE, minScore);
  const tileMode = opts.tiles ?? 'auto';
  if (tileMode === 'always' || (tileMode === 'auto' && Math.max(width, height) > 1000)) {
    for (const tile of planDetectionTiles(width, height)) found.push(...(await ssdPass(faceapi, img, tile, TILE_INPUT, minScore)));
  }
  const boxes = mergeDetections(found, width, height).slice(0, opts.maxFaces ?? 64);
  const faces = await landmarksFor(faceapi, img, boxes);
  if (opts.descriptors && faces.length) {
    await loadRecognition(faceapi);
    for (const f of faces) f.descriptor = await describeFace(faceapi, img, f);
  }
  return faces;
}

/** Landmarks from a crop of each box at full resolution, in one batch. */
async function landmarksFor(faceapi: FaceApi, img: RgbImage, boxes: Detection[]): Promise<Face[]> {
  if (!boxes.length) return [];
  const crops = boxes.map(({ box }) => {
    const s = LANDMARK_INPUT / Math.max(box.w, box.h);
    let w = Math.max(1, Math.round(box.w * s)), h = Math.max(1, Math.round(box.h * s));
    // The net pads to a square with floor(diff / 2) on one side but un-pads by diff / 2: keep diff even.
    if ((h - w) % 2 !== 0) {
      if (w < h) w++;
      else h++;
    }
    return { w, h, tensor: toTensor(faceapi, cropResize(img, box, w, h), w, h) };
  });
  try {
    const result = await faceapi.nets.faceLandmark68Net.detectLandmarks(crops.map((c) => c.tensor));
    const list = Array.isArray(result) ? result : [result];
    return boxes.map(({ box, score }, i) => {
      const { w, h } = crops[i]!;
      const landmarks68 = list[i]!.positions.map((p): Point => [box.x + (p.x * box.w) / w, box.y + (p.y * box.h) / h]);
      return { box: { ...box }, score, landmarks68, landmarks5: fivePointsFrom68(landmarks68) };
    });
  } finally {
    for (const c of crops) c.tensor.dispose();
  }
}

/**
 * face-api's own recipe: the landmarks' bounding box grown by 20%, its long
 * side resampled to 150 px; the net pads it to a square itself.
 */
async function describeFace(faceapi: FaceApi, img: RgbImage, face: Face): Promise<Float32Array> {
  const xs = face.landmarks68.map((p) => p[0]), ys = face.landmarks68.map((p) => p[1]);
  const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
  const region = { x: x0 - 0.1 * (x1 - x0), y: y0 - 0.1 * (y1 - y0), w: 1.2 * (x1 - x0), h: 1.2 * (y1 - y0) };
  const s = 150 / Math.max(region.w, region.h, 1e-6);
  const w = Math.max(1, Math.round(region.w * s)), h = Math.max(1, Math.round(region.h * s));
  const input = toTensor(faceapi, cropResize(img, region, w, h), w, h);
  try {
    const d = await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(input);
    return Float32Array.from(Array.isArray(d) ? d[0]! : d);
  } finally {
    input.dispose();
  }
}
