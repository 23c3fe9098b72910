/**
 * Stage 5, steer: puts the explicit operations behind the chosen restorers
 * (after the refiner, in generative mode), so every tile and face crop the
 * restore and faces stages run is followed by what the stated settings ask
 * for (steering/steer.ts). A restorer with nothing to steer is left as it is.
 * Damage the repair stage already filled is not removed a second time (withoutRepaired).
 */
import { steeredRestorer } from '../steering/steered-restorer.js';
import type { SteerPlan } from '../steering/steer.js';
import type { RepairReport } from './repair.js';
import type { Understood } from './understand.js';

/** The explicit operation that removes what each kind of the repair stage marks. */
const OPERATION_OF = { scratch: 'scratches', dust: 'dust', blotch: 'blotches' } as const;

/**
 * The plan without the "fix" operations for damage the repair stage already repaired: the kinds the detector
 * was asked for, or every kind when the user gave their own mask (their edited mask is the last word on what is
 * damage). The explicit finder (steering/defects.ts, pixels far from their 5×5 median in thin or compact parts)
 * also marks lettering, window bars and frames on real prints, so running it after the learned detector only
 * adds harm. "Leave" (put the defects back as they were) is kept. Without a repair (no detector installed,
 * repair off) the plan is unchanged: the explicit operations are then the only remover.
 */
export function withoutRepaired(plan: SteerPlan, damage: Pick<RepairReport, 'source' | 'kinds'>): SteerPlan {
  const kinds = damage.source === 'user' ? Object.keys(OPERATION_OF) : damage.source === 'detected' ? (damage.kinds ?? []) : [];
  const out: SteerPlan = { ...plan };
  for (const kind of kinds) {
    const op = OPERATION_OF[kind as keyof typeof OPERATION_OF];
    if (op && out[op] === 'fix') delete out[op];
  }
  return out;
}

export function steer(chosen: Understood, damage: Pick<RepairReport, 'source' | 'kinds'>): Understood {
  const { global, face } = chosen;
  const steering = {
    ...chosen.steering,
    photo: withoutRepaired(chosen.steering.photo, damage),
    faces: chosen.steering.faces ? withoutRepaired(chosen.steering.faces, damage) : chosen.steering.faces,
  };
  const g = steeredRestorer(global, steering.photo, global.tone, 'photo');
  const f = face && steering.faces ? steeredRestorer(face, steering.faces, face.tone, 'face') : face;
  return { ...chosen, steering, global: g, face: f };
}
