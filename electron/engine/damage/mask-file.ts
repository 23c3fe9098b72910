/**
 * engine.damageMask: the repair mask the detector would use for a photo,
 * written as a greyscale PNG (white = repair) at the photo's full size, for
 * the user to look at and edit before restoring. The same decoding, kinds
 * and growth as the repair stage (stages/repair.ts), so an unedited mask
 * repairs exactly what a restore would have repaired.
 */
import type { HandlerContext } from '../../node/worker-runtime.js';
import type { ParsedParams, Result } from '../../shared/contract/index.js';
import type { LoadedModel } from '../session-cache.js';
import { decodeImage } from '../pipeline/image-io.js';
import { detectRepairMask } from './detector.js';
import { DAMAGE_KINDS, GENERAL_KINDS, kindsToRepair, writeMaskPng } from './mask.js';

export async function damageMaskFile(
  params: ParsedParams<'engine.damageMask'>,
  ctx: HandlerContext,
  detector: (() => Promise<LoadedModel>) | null,
): Promise<Result<'engine.damageMask'>> {
  ctx.progress({ stage: 'decode', fraction: 0, message: 'Reading the photo' });
  const image = await decodeImage(params.input);
  ctx.throwIfCancelled();
  const { width, height } = image;
  // An instruction that names no damage still means "the damage" here: the user opened the mask to repair some.
  const named = kindsToRepair(params.instruction);
  const kinds = named.size ? named : new Set(GENERAL_KINDS);
  if (!detector) {
    await writeMaskPng(params.output, new Uint8Array(width * height), width, height);
    return { width, height, kinds: DAMAGE_KINDS.filter((k) => kinds.has(k)), found: null, share: 0, model: null };
  }
  const model = await detector();
  const { mask, found } = await detectRepairMask(model, image.rgb8, width, height, kinds, {
    onTile: async (done, total) => {
      ctx.throwIfCancelled();
      ctx.progress({ stage: 'detect', fraction: 0.05 + 0.9 * (done / total), message: `Looking for damage, tile ${done} of ${total}` });
      await new Promise((r) => setImmediate(r));
    },
  });
  ctx.throwIfCancelled();
  ctx.progress({ stage: 'save', fraction: 0.97, message: 'Writing the mask' });
  await writeMaskPng(params.output, mask, width, height);
  let marked = 0;
  for (let p = 0; p < mask.length; p++) if (mask[p]) marked++;
  const m = model.model.manifest!;
  return {
    width,
    height,
    kinds: DAMAGE_KINDS.filter((k) => kinds.has(k)),
    found,
    share: Math.round((marked / Math.max(1, width * height)) * 1e5) / 1e5,
    model: { id: m.id, version: m.version },
  };
}
