/**
 * Stage 5, steer: puts the explicit operations behind the chosen restorers
 * (after the refiner, in generative mode), so every tile and face crop the
 * restore and faces stages run is followed by what the stated settings ask
 * for (steering/steer.ts). A restorer with nothing to steer is left as it is.
 * Damage the repair stage already filled is not removed a second time (withoutRepaired).
 * Where a learned JPEG artefact remover is given (restore-file.ts decides when), it runs on each tile of
 * the whole photo before everything else and stands in for the explicit deblocking filter (face crops keep
 * the filter: they are not on the photo's grid); the plan recorded is unchanged.
 */
import { steeredRestorer } from '../steering/steered-restorer.js';
import { withJpegRemover } from '../jpeg/remover.js';
import { withDetailRestorer } from '../detail/detail-restorer.js';
import type { LoadedModel } from '../session-cache.js';
import type { SteerPlan } from '../steering/steer.js';
import type { RepairReport } from './repair.js';
import { SETTING_OF } from '../damage/mask.js';
import type { Understood } from './understand.js';

/**
 * The plan without the "fix" operations for damage the repair stage already repaired: the kinds the detector
 * was asked for, or every kind when the user gave their own mask (their edited mask is the last word on what is
 * damage). The explicit finder (steering/defects.ts, pixels far from their 5×5 median in thin or compact parts)
 * also marks lettering, window bars and frames on real prints, so running it after the learned detector only
 * adds harm. "Leave" (put the defects back as they were) is kept. Without a repair (no detector installed,
 * repair off) the plan is unchanged: the explicit operations are then the only remover.
 */
export function withoutRepaired(plan: SteerPlan, damage: Pick<RepairReport, 'source' | 'kinds'>): SteerPlan {
  const out: SteerPlan = { ...plan };
  for (const op of repairedSettings(damage)) if (out[op] === 'fix') delete out[op];
  return out;
}

/** The damage settings the repair stage repaired: the detector's kinds that have one, or all of them for a user's mask. */
export function repairedSettings(damage: Pick<RepairReport, 'source' | 'kinds'>): Set<(typeof SETTING_OF)[keyof typeof SETTING_OF]> {
  const kinds = damage.source === 'user' ? Object.keys(SETTING_OF) : damage.source === 'detected' ? (damage.kinds ?? []) : [];
  return new Set(kinds.flatMap((k) => (k in SETTING_OF ? [SETTING_OF[k as keyof typeof SETTING_OF]] : [])));
}

export function steer(
  chosen: Understood,
  damage: Pick<RepairReport, 'source' | 'kinds'>,
  jpegRemover?: { model: LoadedModel; origin: { x: number; y: number } } | null,
  detailRestorer?: LoadedModel | null,
): Understood {
  const { global, face } = chosen;
  const steering = {
    ...chosen.steering,
    photo: withoutRepaired(chosen.steering.photo, damage),
    faces: chosen.steering.faces ? withoutRepaired(chosen.steering.faces, damage) : chosen.steering.faces,
  };
  const photoOps: SteerPlan = { ...steering.photo };
  if (jpegRemover) delete photoOps.jpeg;
  const steered = steeredRestorer(global, photoOps, global.tone, 'photo');
  // Each tile: JPEG artefacts out first (on the photo's grid), then lost detail back, then the restorer.
  const detailed = detailRestorer ? withDetailRestorer(steered, detailRestorer) : steered;
  const g = jpegRemover ? withJpegRemover(detailed, jpegRemover.model, jpegRemover.origin) : detailed;
  const f = face && steering.faces ? steeredRestorer(face, steering.faces, face.tone, 'face') : face;
  return { ...chosen, steering, global: g, face: f };
}
