/**
 * The user's damage mask for a photo, as the Restore panel edits it:
 *  - 'restore.detectDamage' asks the engine for the mask the detector finds
 *    (written to <dataDir>/masks/<photoId>/detected.png, served as a preview id);
 *  - 'restore.uploadMask' takes the edited mask back in parts (a message is at
 *    most 1 MB), checks it is a PNG the size of the photo the engine restores,
 *    and keeps it as <dataDir>/masks/<photoId>/edited.png;
 *  - restores and previews with `editedMask` repair exactly that mask.
 * Files are only ever written under the data folder, by the atomic writer that
 * never follows links; the renderer names a photo id, never a path.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { NonJobMethodName, JobMethodName, Params, Result, ParsedParams } from '../shared/contract/index.js';
import type { JobProgress } from '../shared/jobs.js';
import type { JobRunContext } from './job-manager.js';
import { RestoraError } from '../shared/errors.js';
import { writeFileAtomic } from '../node/atomic-write.js';
import { engineInput } from './restore-photo.js';
import { maskDir } from './mask-files.js';

export interface DamageMaskDeps {
  dataDir: string;
  invoke<M extends NonJobMethodName>(m: M, p: Params<M>): Promise<Result<M>>;
  runChild<M extends JobMethodName>(m: M, p: Params<M>, onProgress: (p: JobProgress) => void): Promise<Result<M>>;
  registerPreview(file: string): number;
}

/** Largest edited mask accepted (a PNG; a 100 MP mask of dense marks stays well under it). */
export const MAX_MASK_BYTES = 64 * 2 ** 20;
/** An upload not finished within this time is forgotten. */
const UPLOAD_TTL_MS = 5 * 60_000;

export async function detectDamageMask(p: ParsedParams<'restore.detectDamage'>, ctx: JobRunContext, deps: DamageMaskDeps): Promise<Result<'restore.detectDamage'>> {
  const input = await engineInput(deps, p.photoId, p.geometry ? { geometry: p.geometry } : {});
  ctx.relabel(`Find damage in ${input.fileName}`);
  const dir = maskDir(deps.dataDir, p.photoId);
  fs.mkdirSync(dir, { recursive: true });
  const output = path.join(dir, 'detected.png');
  const r = await deps.runChild('engine.damageMask', { input: input.path, output, instruction: p.instruction }, (pp) =>
    ctx.progress({ stage: pp.stage, fraction: pp.fraction, etaSeconds: pp.etaSeconds, elapsedSeconds: pp.elapsedSeconds, ...(pp.message ? { message: pp.message } : {}) }),
  );
  return { maskId: deps.registerPreview(output), width: r.width, height: r.height, kinds: r.kinds, found: r.found, share: r.share, model: r.model };
}

interface Upload {
  photoId: number;
  parts: Array<Buffer | undefined>;
  bytes: number;
  started: number;
}

/** Collects the parts of edited masks until each is whole. */
export class MaskUploads {
  private uploads = new Map<string, Upload>();

  constructor(private deps: Pick<DamageMaskDeps, 'dataDir' | 'invoke'>) {}

  async receive(p: ParsedParams<'restore.uploadMask'>): Promise<Result<'restore.uploadMask'>> {
    const now = Date.now();
    for (const [id, u] of this.uploads) if (now - u.started > UPLOAD_TTL_MS) this.uploads.delete(id);
    let u = this.uploads.get(p.uploadId);
    if (!u) {
      if (this.uploads.size >= 8) throw new RestoraError('Conflict', 'Too many mask uploads at once; wait for one to finish');
      u = { photoId: p.photoId, parts: new Array<Buffer | undefined>(p.parts).fill(undefined), bytes: 0, started: now };
      this.uploads.set(p.uploadId, u);
    }
    if (u.photoId !== p.photoId || u.parts.length !== p.parts) {
      this.uploads.delete(p.uploadId);
      throw new RestoraError('BadRequest', 'The parts of this mask upload disagree on the photo or the number of parts; send it again');
    }
    if (p.part >= p.parts) throw new RestoraError('BadRequest', `Part ${p.part} of a ${p.parts}-part upload`);
    const data = Buffer.from(p.data, 'base64');
    u.bytes += data.length - (u.parts[p.part]?.length ?? 0);
    u.parts[p.part] = data;
    if (u.bytes > MAX_MASK_BYTES) {
      this.uploads.delete(p.uploadId);
      throw new RestoraError('TooLarge', `The edited mask is larger than ${MAX_MASK_BYTES >> 20} MB`);
    }
    if (u.parts.some((x) => !x)) return { done: false };
    this.uploads.delete(p.uploadId);
    const png = Buffer.concat(u.parts as Buffer[]);
    const size = pngSize(png);
    const want = p.geometry
      ? await this.deps.invoke('library.geometrySource', { photoId: p.photoId, geometry: p.geometry })
      : await this.deps.invoke('library.photoSource', { photoId: p.photoId });
    if (size.width !== want.width || size.height !== want.height) {
      throw new RestoraError('BadRequest', `The mask is ${size.width}×${size.height} but the photo is ${want.width}×${want.height} as it will be restored; draw the mask on this photo at full size`);
    }
    const dir = maskDir(this.deps.dataDir, p.photoId);
    fs.mkdirSync(dir, { recursive: true });
    await writeFileAtomic(path.join(dir, 'edited.png'), png);
    return { done: true, width: size.width, height: size.height };
  }
}

/** Width and height from a PNG's header (IHDR), or a clear refusal when it is not a PNG. */
export function pngSize(b: Buffer): { width: number; height: number } {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (b.length < 33 || sig.some((v, i) => b[i] !== v) || b.toString('latin1', 12, 16) !== 'IHDR') {
    throw new RestoraError('CorruptInput', 'The edited mask is not a PNG image');
  }
  const width = b.readUInt32BE(16), height = b.readUInt32BE(20);
  if (!width || !height) throw new RestoraError('CorruptInput', 'The edited mask has no pixels');
  return { width, height };
}
