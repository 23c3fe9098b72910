/**
 * The faces of a photo file, one answer for everything that asks: the
 * Restore panel's analysis, `restora analyze`, and the restore's own face
 * pass (its previews too) all take the multi-scale search (find-faces.ts) on
 * the photo decoded upright at most FACE_SIDE long, in the photo's pixels.
 *
 * The search costs seconds per photo, so its answer is remembered by the
 * file's content (and the search's version): in memory for the engine's
 * life, and as a small JSON file in the cache folder, so an engine restarted
 * after a cancel does not search again. The answer depends only on the
 * file's bytes, so a remembered one is the one a new search would give: a
 * restore is the same whether or not the photo was analysed first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Face, Point } from '../types.js';
import { readImageHeader } from '../pipeline/image-io.js';
import { toUnitFloat } from '../pipeline/image-buffer.js';
import { uprightView } from '../pipeline/upright-view.js';
import { findAllFaces, type FindFacesOptions } from './find-faces.js';
import { writeFileAtomic } from '../../node/atomic-write.js';
import { createFaceDetector } from './detector.js';

/** Faces are searched on a copy at most this long (small faces in big group photos need the pixels). */
export const FACE_SIDE = 2048;
/** Part of the cache key: raise it when the search's answers change. */
export const SEARCH_VERSION = 4;

export interface PhotoFacesResult {
  /** The photo's upright size; the faces are in these pixels. */
  width: number;
  height: number;
  faces: Face[];
  /** Each face's 128-d identity descriptor (rounded to 1e-4), in the order of `faces`; absent until asked for. */
  descriptors?: number[][];
}

/** The identity descriptor of a face found in `img` (in its pixels). */
export type DescribeFace = (img: { rgb: Float32Array; width: number; height: number }, face: Face) => Promise<Float32Array>;

const defaultDescribe: DescribeFace = async (img, face) => (await createFaceDetector()).describe(img.rgb, img.width, img.height, face);

export type SearchFaces = (img: { rgb: Float32Array; width: number; height: number }, opts?: FindFacesOptions) => Promise<Face[]>;

const round1 = (v: number) => Math.round(v * 10) / 10;
const scalePoint = (p: Point, k: number): Point => [round1(p[0] * k), round1(p[1] * k)];

/** A face found in the view, in the photo's pixels (rounded to 0.1 px, so a remembered answer reads back exactly). */
function toPhoto(f: Face, k: number): Face {
  return {
    box: { x: round1(f.box.x * k), y: round1(f.box.y * k), w: round1(f.box.w * k), h: round1(f.box.h * k) },
    score: Math.round(f.score * 1000) / 1000,
    landmarks68: f.landmarks68.map((p) => scalePoint(p, k)),
    landmarks5: f.landmarks5.map((p) => scalePoint(p, k)),
  };
}

/** sha256 of a file's bytes, read in chunks. */
export async function fileHash(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export class PhotoFaces {
  private readonly memory = new Map<string, PhotoFacesResult>();
  private readonly running = new Map<string, Promise<PhotoFacesResult>>();

  /** `cacheDir`: where answers are kept between engine runs (null: memory only). */
  constructor(
    private readonly cacheDir: string | null,
    private readonly search: SearchFaces = findAllFaces,
    private readonly keep = 32,
    private readonly describe: DescribeFace = defaultDescribe,
    /** What else the answer depends on (the face finder's sha256 when there is one), part of the cache key. */
    private readonly variant: () => string = () => '',
  ) {}

  /**
   * The faces of the photo in `file`, searched once per content; with
   * `descriptors`, each face's identity descriptor too (computed once, on the
   * same view the search saw, and remembered with the answer).
   */
  async find(file: string, opts: { descriptors?: boolean } = {}): Promise<PhotoFacesResult> {
    const extra = this.variant();
    const key = `${await fileHash(file)}-v${SEARCH_VERSION}${extra ? `-${extra.slice(0, 16)}` : ''}`;
    const known = this.memory.get(key) ?? this.fromDisk(key);
    if (known && (!opts.descriptors || known.descriptors)) return this.remember(key, known);
    const pending = this.running.get(key);
    if (pending) {
      const r = await pending;
      if (!opts.descriptors || r.descriptors) return r;
    }
    const work = this.searchFile(file, known, opts.descriptors === true).then(async (r) => {
      this.remember(key, r);
      await this.toDisk(key, r);
      return r;
    });
    this.running.set(key, work);
    try {
      return await work;
    } finally {
      this.running.delete(key);
    }
  }

  private async searchFile(file: string, known: PhotoFacesResult | null, descriptors: boolean): Promise<PhotoFacesResult> {
    const name = path.basename(file);
    const { meta, seconds } = await readImageHeader(name, file);
    const turned = (meta.orientation ?? 1) >= 5;
    const width = (turned ? meta.height : meta.width) ?? 0;
    const height = (turned ? meta.width : meta.height) ?? 0;
    const view = await uprightView(file, name, FACE_SIDE, seconds);
    const img = { rgb: toUnitFloat(view.rgb8), width: view.width, height: view.height };
    const k = width / view.width;
    const faces = known ? known.faces : (await this.search(img)).map((f) => toPhoto(f, k));
    if (!descriptors) return { width, height, faces };
    const described: number[][] = [];
    for (const f of faces) {
      // The stored face is in the photo's pixels; the descriptor net crops the view it was found in.
      const inView: Face = { ...f, landmarks68: f.landmarks68.map(([x, y]): Point => [x / k, y / k]) };
      described.push(Array.from(await this.describe(img, inView), (v) => Math.round(v * 1e4) / 1e4));
    }
    return { width, height, faces, descriptors: described };
  }

  private remember(key: string, r: PhotoFacesResult): PhotoFacesResult {
    this.memory.delete(key);
    this.memory.set(key, r);
    while (this.memory.size > this.keep) this.memory.delete(this.memory.keys().next().value!);
    return r;
  }

  private file(key: string): string | null {
    return this.cacheDir ? path.join(this.cacheDir, `${key}.json`) : null;
  }

  private fromDisk(key: string): PhotoFacesResult | null {
    const file = this.file(key);
    if (!file) return null;
    try {
      const r = JSON.parse(fs.readFileSync(file, 'utf8')) as PhotoFacesResult;
      if (!Number.isFinite(r.width) || !Array.isArray(r.faces)) return null;
      if (r.descriptors && (!Array.isArray(r.descriptors) || r.descriptors.length !== r.faces.length)) delete r.descriptors;
      return r;
    } catch {
      return null;
    }
  }

  private async toDisk(key: string, r: PhotoFacesResult): Promise<void> {
    const file = this.file(key);
    if (!file) return;
    // A cache: failing to keep an answer only costs a search later.
    await fs.promises
      .mkdir(path.dirname(file), { recursive: true })
      .then(() => writeFileAtomic(file, JSON.stringify(r)))
      .catch(() => undefined);
  }
}
