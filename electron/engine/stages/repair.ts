/**
 * Stage 2, repair: physical damage (scratches and creases, dust and spots,
 * blotches and stains, tears and missing areas) found by the damage detector,
 * or given as a mask the user drew, is filled from its surroundings, after
 * decoding and before anything else reads the photo — so the faces are found
 * and restored from the repaired photo and nothing puts the damage back. Only
 * masked pixels change. The mask used is written beside the result (the
 * version's data) when asked, so a re-run can repeat it.
 */
import path from 'node:path';
import type { ParsedParams } from '../../shared/contract/index.js';
import type { ResolvedRestoreSettings } from '../../shared/recipe.js';
import type { PipelineTools, StageContext } from '../types.js';
import type { DecodedPhoto } from './decode.js';
import { regionRect } from './decode.js';
import { detectRepairMask } from '../damage/detector.js';
import { fillMasked } from '../damage/fill.js';
import { DAMAGE_KINDS, kindsToRepair, readMaskFile, writeMaskPng, type DamageKind } from '../damage/mask.js';

/** What the recipe keeps of the repair. */
export interface RepairReport {
  source: 'detected' | 'user' | 'off' | 'unavailable';
  /** The detector that ran (id, version, sha256). */
  model?: { id: string; version: string; sha256: string };
  /** The kinds the instruction asked to repair (detected masks only). */
  kinds?: DamageKind[];
  /** Fraction of the photo the detector marked, by kind. */
  found?: Record<string, number>;
  /** Fraction of the photo repaired. */
  repaired: number;
  /** File name of the mask written beside the result. */
  mask?: string;
}

export async function repair(
  photo: DecodedPhoto,
  params: Pick<ParsedParams<'engine.restoreFile'>, 'mask' | 'maskOutput' | 'region'>,
  settings: ResolvedRestoreSettings,
  tools: Pick<PipelineTools, 'damageDetector'>,
  ctx: StageContext,
  notices: string[],
): Promise<RepairReport> {
  const { image } = photo;
  const { width, height } = image;
  let mask: Uint8Array;
  let report: Omit<RepairReport, 'repaired'>;
  if (params.mask) {
    let full = await readMaskFile(params.mask, photo.fullSize.width, photo.fullSize.height);
    if (params.region) full = cropMask(full, photo.fullSize.width, regionRect(photo.fullSize.width, photo.fullSize.height, params.region));
    mask = full;
    report = { source: 'user' };
  } else {
    if (!settings.repair) return { source: 'off', repaired: 0 };
    const kinds = kindsToRepair(settings.instruction, settings.set ?? {});
    if (kinds.size === 0) return { source: 'off', repaired: 0 };
    const detector = await tools.damageDetector?.(settings).catch((err: Error) => {
      notices.push(`The damage detector could not be used (${err.message.slice(0, 200)}); damage was not repaired.`);
      return null;
    });
    if (!detector) return { source: 'unavailable', repaired: 0 };
    const detected = await detectRepairMask(detector, image.rgb8, width, height, kinds, {
      onTile: async (done, total) => {
        ctx.throwIfCancelled();
        ctx.progress({ stage: 'repair', fraction: 0.01 + 0.01 * (done / total), message: `Looking for damage, tile ${done} of ${total}` });
        await new Promise((r) => setImmediate(r));
      },
    });
    mask = detected.mask;
    const m = detector.model.manifest!;
    report = { source: 'detected', model: { id: m.id, version: m.version, sha256: m.sha256 }, kinds: DAMAGE_KINDS.filter((k) => kinds.has(k)), found: detected.found };
  }
  ctx.progress({ stage: 'repair', fraction: 0.02, message: 'Repairing the damage' });
  const { rgb8, filled } = fillMasked(image.rgb8, width, height, mask);
  const marked = mask.reduce((n, v) => n + (v ? 1 : 0), 0);
  if (marked === width * height) notices.push('The damage mask covers the whole photo, so there is nothing around it to repair from; the photo was left as it was.');
  image.rgb8 = rgb8;
  if (params.maskOutput) await writeMaskPng(params.maskOutput, mask, width, height);
  return { ...report, repaired: Math.round((filled / (width * height)) * 1e5) / 1e5, ...(params.maskOutput ? { mask: path.basename(params.maskOutput) } : {}) };
}

function cropMask(m: Uint8Array, fullWidth: number, r: { x: number; y: number; w: number; h: number }): Uint8Array {
  const out = new Uint8Array(r.w * r.h);
  for (let y = 0; y < r.h; y++) out.set(m.subarray((r.y + y) * fullWidth + r.x, (r.y + y) * fullWidth + r.x + r.w), y * r.w);
  return out;
}
