/**
 * Which restorer a restore job runs, and what the user is told about the
 * choice: the user's models win over the shipped ones, a broken set is
 * skipped with its reason, the classical baseline runs when no set works; a
 * named personalisation adapter is applied or the job fails, never silently
 * dropped; in generative mode the refiner goes behind the learned restorer.
 */
import { RestoraError } from '../shared/errors.js';
import type { PipelineTools } from './types.js';
import type { RegisteredModel } from '../node/model-registry.js';
import type { SessionCache } from './session-cache.js';
import type { AdapterFile } from './finetune/adapter-file.js';
import { modelSetCandidates, modelTileRestorer, type AppliedAdapter } from './model-restorer.js';
import { findAdapterGraphs } from './finetune/adapter-graphs.js';
import { classicalRestorer } from './pipeline/classical.js';
import { withRefiner } from './generative/refiner.js';

/** The refiner to use: a user's working one wins over the shipped one. */
export function findRefiner(models: RegisteredModel[]): RegisteredModel | undefined {
  const ok = models.filter((m) => m.ok && m.manifest?.task === 'refiner');
  return ok.find((m) => m.source === 'user') ?? ok[0];
}

/** What the user is told when an adapter that was asked for had not helped when it was checked. */
function adapterCaution(adapter: AdapterFile | null): string[] {
  if (!adapter) return [];
  const verdict = adapter.header.evaluation?.verdict;
  if (verdict === 'helped') return [];
  const outcome = verdict === 'hurt' ? 'made held-out photos worse' : verdict === 'no-change' ? 'made no clear difference on held-out photos' : 'was never evaluated';
  return [`Personalisation "${adapter.header.name}" was applied, but it ${outcome} when it was trained.`];
}

/**
 * The restorer choices for one job over one look at the model folders (the
 * restorer is picked twice: for the whole photo and for the faces' part).
 */
export function restorerChoice(sessions: SessionCache, models: RegisteredModel[], adapter: AdapterFile | null): Pick<PipelineTools, 'pickRestorer' | 'addRefiner'> {
  const refiner = findRefiner(models);
  const adapterFor = (restorer: RegisteredModel): AppliedAdapter | null => {
    if (!adapter) return null;
    const g = findAdapterGraphs(models, restorer);
    if (!g) throw new RestoraError('Unsupported', `Adapter "${adapter.header.name}" needs the restorer adapter graph, which is not installed for this restorer`);
    return { name: adapter.header.name, graph: g.forward, values: adapter.values, valuesSha256: adapter.header.valuesSha256 };
  };
  // Applied because it was asked for, but never without saying that it did not help when it was checked.
  const caution = adapterCaution(adapter);
  return {
    async pickRestorer(settings, img, steering, role = 'photo') {
      const notices: string[] = [];
      for (const set of modelSetCandidates(models)) {
        let r;
        try {
          r = await modelTileRestorer(sessions, set, settings, img, adapterFor(set.restorer), steering, role);
        } catch (err) {
          if (adapter) throw err;
          // A broken or lying model must not stop the user: say why, try the next set.
          notices.push(`Skipped models ${set.restorer.id}/${set.integrator.id}: ${(err as Error).message}`);
          continue;
        }
        return { ...r, notices: [...notices, ...r.notices, ...caution] };
      }
      if (adapter) throw new RestoraError('Unsupported', `Adapter "${adapter.header.name}" cannot be applied: the trained models are not installed`);
      // No usable trained models: the classical restorer, named as such in the recipe.
      return { ...classicalRestorer(), notices };
    },
    addRefiner: refiner
      ? async (r, plan, settings) => {
          try {
            const loaded = await sessions.get(refiner, settings.device);
            return { ...withRefiner(r, loaded, plan), notices: [...(r.notices ?? []), ...(loaded.fallbackMessage ? [loaded.fallbackMessage] : [])] };
          } catch (err) {
            return { ...r, notices: [...(r.notices ?? []), `The refiner ${refiner.id} could not be used (${(err as Error).message}); restored in fast mode.`] };
          }
        }
      : undefined,
  };
}
