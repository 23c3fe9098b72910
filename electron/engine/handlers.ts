/** Maps the engine's contract methods to their implementations. */
import path from 'node:path';
import { RestoraError } from '../shared/errors.js';
import type { ServiceHandlers } from '../node/worker-runtime.js';
import { dataPaths } from '../node/data-dir.js';
import { shippedModelsDir } from '../node/app-paths.js';
import { availableProviders, intraOpThreads, ortVersion } from './ort.js';
import { scanModels, type RegisteredModel as RegisteredModelRef } from './model-registry.js';
import { calibrate } from './calibrate.js';
import { restoreFile, classicalRestorer } from './restore-file.js';
import { SessionCache } from './session-cache.js';
import { findModelSet, modelSetCandidates, modelTileRestorer } from './model-restorer.js';
import { analyzeFile } from './analyze.js';
import { findFaces } from './face-stage.js';
import { finetuneHandlers, adapterStore } from './finetune/handlers.js';
import { findAdapterGraphs } from './finetune/adapter-graphs.js';
import type { AppliedAdapter } from './model-restorer.js';
import { withRefiner } from './generative/refiner.js';
import type { RegisteredModel } from './model-registry.js';

/** The refiner to use: a user's working one wins over the shipped one. */
function findRefiner(models: RegisteredModel[]): RegisteredModel | undefined {
  const ok = models.filter((m) => m.ok && m.manifest?.task === 'refiner');
  return ok.find((m) => m.source === 'user') ?? ok[0];
}

export function engineHandlers(dataDir: string): ServiceHandlers<'engine'> {
  const sessions = new SessionCache();
  const faceTools = { find: findFaces };
  const modelDirs = () => [
    { dir: shippedModelsDir(), source: 'shipped' as const },
    { dir: dataPaths(dataDir).userModels, source: 'user' as const },
  ];
  const adapters = adapterStore(dataDir, () => scanModels(modelDirs()));
  return {
    ...finetuneHandlers(dataDir, sessions, modelDirs),
    'engine.info': () => ({
      pid: process.pid,
      onnxruntime: ortVersion(),
      providers: availableProviders(),
      threads: intraOpThreads(),
      models: scanModels(modelDirs()).map((m) => ({
        id: m.id,
        version: m.manifest?.version ?? '?',
        task: m.manifest?.task ?? '?',
        source: m.source,
        sha256: m.manifest?.sha256 ?? '',
        ok: m.ok,
        ...(m.problem ? { problem: m.problem } : {}),
      })),
    }),
    'engine.calibrate': (params, ctx) => calibrate(params, ctx),
    'engine.analyze': (params) =>
      analyzeFile(params.input, {
        sessions,
        models: findModelSet(scanModels(modelDirs())),
        faces: { detect: async (rgb8, w, h) => (await findFaces(rgb8, w, h)).map((f) => ({ ...f.box, score: f.score })) },
      }),
    'engine.restoreFile': (params, ctx) => {
      if (path.resolve(params.input) === path.resolve(params.output)) {
        throw new RestoraError('BadRequest', 'The output must not overwrite the original');
      }
      // One look at the model folders per job; the restorer is picked twice (global and face parts).
      const models = scanModels(modelDirs());
      const refiner = findRefiner(models);
      if (params.settings.mode === 'generative' && !refiner) {
        throw new RestoraError('Unsupported', 'Generative mode needs the refiner model (restora-refiner), which is not installed. Use fast mode.');
      }
      // A named adapter is applied or the restore fails: never a silent fallback to the base model.
      const wanted = params.settings.adapter ? adapters.load(params.settings.adapter) : null;
      const adapterFor = (restorer: RegisteredModelRef): AppliedAdapter | null => {
        if (!wanted) return null;
        const g = findAdapterGraphs(models, restorer);
        if (!g) throw new RestoraError('Unsupported', `Adapter "${wanted.header.name}" needs the restorer adapter graph, which is not installed for this restorer`);
        return { name: wanted.header.name, graph: g.forward, values: wanted.values, valuesSha256: wanted.header.valuesSha256 };
      };
      const verdict = wanted?.header.evaluation?.verdict;
      // Applied because it was asked for, but never without saying that it did not help when it was checked.
      const caution = wanted && verdict !== 'helped' ? [`Personalisation "${wanted.header.name}" was applied, but it ${verdict === 'hurt' ? 'made held-out photos worse' : verdict === 'no-change' ? 'made no clear difference on held-out photos' : 'was never evaluated'} when it was trained.`] : [];
      return restoreFile(params, ctx, async (settings, img, plan, steering) => {
        const notices: string[] = [];
        for (const set of modelSetCandidates(models)) {
          let r;
          try {
            r = await modelTileRestorer(sessions, set, settings, img, adapterFor(set.restorer), steering);
          } catch (err) {
            if (wanted) throw err;
            // A broken or lying model must not stop the user: say why, try the next set.
            notices.push(`Skipped models ${set.restorer.id}/${set.integrator.id}: ${(err as Error).message}`);
            continue;
          }
          if (plan && refiner) {
            try {
              const loaded = await sessions.get(refiner, settings.device);
              const g = withRefiner(r, loaded, plan);
              return { ...g, notices: [...notices, ...r.notices, ...(loaded.fallbackMessage ? [loaded.fallbackMessage] : []), ...caution] };
            } catch (err) {
              notices.push(`The refiner ${refiner.id} could not be used (${(err as Error).message}); restored in fast mode.`);
            }
          }
          return { ...r, notices: [...notices, ...r.notices, ...caution] };
        }
        if (wanted) throw new RestoraError('Unsupported', `Adapter "${wanted.header.name}" cannot be applied: the trained models are not installed`);
        // No usable trained models: the classical restorer, named as such in the recipe.
        if (plan) notices.push('Generative mode needs the trained restorer and integrator; the classical restorer was used instead.');
        return { ...classicalRestorer(), notices };
      }, faceTools);
    },
  };
}
