/**
 * Stage 4, refine (generative mode): puts the generative refiner behind the
 * chosen restorers. It wraps them rather than making a pass of its own: the
 * refiner samples detail onto each tile and face crop as the restorer returns
 * it, before tiles are blended, so it runs inside the restore and faces
 * stages (and fidelity 1 stays exactly the fast result).
 */
import type { ResolvedRestoreSettings } from '../../shared/recipe.js';
import type { GenerativePlan, PickedRestorer, PipelineTools, Queries } from '../types.js';
import type { Understood } from './understand.js';

const hasQueries = (r: PickedRestorer): r is PickedRestorer & { queries: Queries } => !!r.queries;

export async function refine(chosen: Understood, plan: GenerativePlan | null, settings: ResolvedRestoreSettings, tools: PipelineTools): Promise<Understood> {
  if (!plan) return chosen;
  const refined = async (r: PickedRestorer): Promise<PickedRestorer> => {
    if (!hasQueries(r)) return { ...r, notices: [...(r.notices ?? []), 'Generative mode needs the trained restorer and integrator; the classical restorer was used instead.'] };
    return tools.addRefiner ? tools.addRefiner(r, plan, settings) : r;
  };
  const global = await refined(chosen.global);
  const face = chosen.face === null ? null : chosen.face === chosen.global ? global : await refined(chosen.face);
  return { ...chosen, global, face };
}
