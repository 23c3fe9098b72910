/**
 * The learned restorer as a tile strategy: the integrator turns the
 * instruction and the photo's cues into latent queries once per photo, then
 * every tile runs through the restorer with those same queries.
 */
import type { ResolvedRestoreSettings } from '../shared/recipe.js';
import { RestoraError } from '../shared/errors.js';
import { ort } from './ort.js';
import type { RegisteredModel } from './model-registry.js';
import type { SessionCache, LoadedModel } from './session-cache.js';
import { SemanticIntegrator, type Understanding } from './semantic/integrator.js';
import type { TileRestorer } from './restore-file.js';
import { chwToHwc, hwcToChw } from './pipeline/image-buffer.js';

export interface ModelSet {
  cue: RegisteredModel;
  integrator: RegisteredModel;
  restorer: RegisteredModel;
}

/** The models the fast pipeline needs, if all are present with valid manifests; a user's model wins over a shipped one. */
export function findModelSet(models: RegisteredModel[]): ModelSet | null {
  const pick = (task: string) => models.find((m) => m.ok && m.source === 'user' && m.manifest?.task === task) ?? models.find((m) => m.ok && m.manifest?.task === task);
  const cue = pick('cue-encoder'), integrator = pick('integrator'), restorer = pick('restorer');
  return cue && integrator && restorer ? { cue, integrator, restorer } : null;
}

/** Sets to try in order: with the user's models, then the shipped ones alone (if a user model turns out broken). */
export function modelSetCandidates(models: RegisteredModel[]): ModelSet[] {
  const sets = [findModelSet(models), findModelSet(models.filter((m) => m.source === 'shipped'))].filter((s): s is ModelSet => !!s);
  return sets.filter((s, i) => sets.findIndex((t) => t.cue === s.cue && t.integrator === s.integrator && t.restorer === s.restorer) === i);
}

export async function loadIntegrator(cache: SessionCache, set: ModelSet, settings: ResolvedRestoreSettings): Promise<{ integrator: SemanticIntegrator; loaded: LoadedModel[] }> {
  const [cue, integ] = await Promise.all([cache.get(set.cue, settings.device), cache.get(set.integrator, settings.device)]);
  return { integrator: new SemanticIntegrator(cue, integ), loaded: [cue, integ] };
}

/** A personalisation adapter to run instead of the plain restorer: the adapter graph plus its values. */
export interface AppliedAdapter {
  name: string;
  graph: RegisteredModel;
  values: Float32Array;
  valuesSha256: string;
}

export async function modelTileRestorer(
  cache: SessionCache,
  set: ModelSet,
  settings: ResolvedRestoreSettings,
  image: { rgb: Float32Array; width: number; height: number },
  adapter: AppliedAdapter | null = null,
): Promise<TileRestorer & { understanding: Understanding; notices: string[]; queries: { data: Float32Array; K: number; dq: number } }> {
  const { integrator, loaded } = await loadIntegrator(cache, set, settings);
  const restorer = await cache.get(adapter ? adapter.graph : set.restorer, settings.device);
  const adapterFeed: Record<string, ort.Tensor> = adapter ? { adapter: new ort.Tensor('float32', adapter.values, [adapter.values.length]) } : {};
  const understanding = await integrator.understand(image.rgb, image.width, image.height, settings.instruction);
  const queries = new ort.Tensor('float32', understanding.queries, [1, understanding.K, understanding.dq]);
  const tile = set.restorer.manifest?.tile ?? { size: 256, overlap: 32, multiple: 8 };
  const notices = [...new Set([...loaded, restorer].map((l) => l.fallbackMessage).filter((m): m is string => !!m))];
  return {
    models: [
      ...[set.cue, set.integrator, set.restorer, ...(adapter ? [adapter.graph] : [])].map((m) => ({ id: m.id, version: m.manifest!.version, sha256: m.manifest!.sha256 })),
      ...(adapter ? [{ id: `adapter:${adapter.name}`.slice(0, 100), version: '1', sha256: adapter.valuesSha256 }] : []),
    ],
    semanticTokens: understanding.tokens,
    provider: restorer.provider,
    tileSize: tile.size,
    overlap: tile.overlap,
    understanding,
    notices,
    queries: { data: understanding.queries, K: understanding.K, dq: understanding.dq },
    async restoreTile(rgb, w, h) {
      const plane = w * h;
      const out = await restorer.session.run({ image: new ort.Tensor('float32', hwcToChw(rgb, plane), [1, 3, h, w]), queries, ...adapterFeed });
      const res = out.restored;
      if (!res || res.dims[2] !== h || res.dims[3] !== w) throw new RestoraError('Internal', `Restorer ${set.restorer.id} returned ${res?.dims.join('×')} for a ${w}×${h} tile`);
      return chwToHwc(res.data as Float32Array, plane, true);
    },
  };
}
