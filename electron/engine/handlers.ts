/** Maps the engine's contract methods to their implementations. */
import path from 'node:path';
import { RestoraError } from '../shared/errors.js';
import type { ServiceHandlers } from '../node/worker-runtime.js';
import { dataPaths } from '../node/data-dir.js';
import { shippedModelsDir } from '../node/app-paths.js';
import { availableProviders, intraOpThreads, ortVersion } from './ort.js';
import { scanModels } from '../node/model-registry.js';
import { calibrate } from './calibrate.js';
import { restoreFile } from './restore-file.js';
import { SessionCache } from './session-cache.js';
import { findModelSet } from './model-restorer.js';
import { findDamageDetector } from './damage/find-detector.js';
import { findJpegRemover } from './jpeg/remover.js';
import { findDetailRestorer } from './detail/detail-restorer.js';
import { damageMaskFile } from './damage/mask-file.js';
import { findRefiner, restorerChoice } from './restorer-choice.js';
import { analyzeFile, faceBoxes } from './analyze.js';
import { MAX_DESCRIBED_FACES } from '../shared/contract/engine.js';
import { preflightRestore } from './preflight.js';
import { PhotoFaces } from './faces/photo-faces.js';
import { findAllFaces } from './faces/find-faces.js';
import { findFaceFinder } from './faces/finder.js';
import { AnalysisMemo } from './analysis-memo.js';
import { createFaceDetector } from './faces/detector.js';
import { alignedFaceOutline } from './face-stage.js';
import { finetuneHandlers, adapterStore } from './finetune/handlers.js';
import { readerModelDirs } from '../node/instruction-reader.js';

/**
 * Where the optimised forms of slow-to-open graphs are kept (ort.ts): the data folder's cache/onnx. Test-only:
 * RESTORA_TEST_GRAPH_CACHE=DIR keeps them in DIR, so that a test run whose every test starts from a fresh data
 * folder optimises each graph once, as one user's app does (tests/run.mjs). It is not a setting.
 */
function graphCacheDir(dataDir: string): string {
  const shared = process.env.RESTORA_TEST_GRAPH_CACHE;
  return shared ? path.resolve(shared) : path.join(dataPaths(dataDir).cache, 'onnx');
}

export function engineHandlers(dataDir: string): ServiceHandlers<'engine'> {
  const sessions = new SessionCache(graphCacheDir(dataDir));
  const modelDirs = () => [
    { dir: shippedModelsDir(), source: 'shipped' as const },
    { dir: dataPaths(dataDir).userModels, source: 'user' as const },
  ];
  // The instruction is read with the learned reader of these folders too (a user's one first).
  readerModelDirs(modelDirs);
  const adapters = adapterStore(dataDir, () => scanModels(modelDirs()));
  // One face search per photo content: the analysis, the previews and the restore share it. The learned face
  // finder joins SSD's candidates when it is installed; its hash is part of what the answer is remembered by.
  const faceFinder = () => findFaceFinder(scanModels(modelDirs()));
  const photoFaces = new PhotoFaces(
    path.join(dataPaths(dataDir).cache, 'faces'),
    (img, opts) => findAllFaces(img, { ...opts, finder: async () => {
      const m = faceFinder();
      return m ? sessions.get(m, 'cpu') : null;
    } }),
    undefined,
    undefined,
    () => faceFinder()?.manifest?.sha256 ?? '',
  );
  const analyses = new AnalysisMemo();
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
    'engine.analyze': (params) => {
      const models = scanModels(modelDirs());
      const modelKey = models.map((m) => m.manifest?.sha256 ?? m.id).sort().join(',');
      return analyses.get(params.input, `${modelKey}:${params.descriptors ? 'described' : ''}`, () =>
        analyzeFile(params.input, {
          descriptors: params.descriptors,
          sessions,
          models: findModelSet(models),
          faces: photoFaces,
          damage: (() => {
            const detector = findDamageDetector(models);
            return detector ? () => sessions.get(detector, 'cpu') : null;
          })(),
        }),
      );
    },
    'engine.faces': async (params, ctx) => {
      const t0 = performance.now();
      ctx.progress({ stage: 'faces', fraction: 0, message: 'Finding faces' });
      const found = await photoFaces.find(params.input, { descriptors: true });
      ctx.throwIfCancelled();
      return { width: found.width, height: found.height, faces: faceBoxes(found, MAX_DESCRIBED_FACES), seconds: (performance.now() - t0) / 1000 };
    },
    'engine.damageMask': (params, ctx) => {
      if (path.resolve(params.input) === path.resolve(params.output)) throw new RestoraError('BadRequest', 'The mask must not overwrite the photo');
      const detector = findDamageDetector(scanModels(modelDirs()));
      return damageMaskFile(params, ctx, detector ? () => sessions.get(detector, 'cpu') : null);
    },
    'engine.restoreFile': async (params, ctx) => {
      if (path.resolve(params.input) === path.resolve(params.output)) {
        throw new RestoraError('BadRequest', 'The output must not overwrite the original');
      }
      // Before any work: a lying or oversized input, or an output that cannot be written, fails now in one sentence.
      await preflightRestore(params);
      // One look at the model folders per job.
      const models = scanModels(modelDirs());
      if (params.settings.mode === 'generative' && !findRefiner(models)) {
        throw new RestoraError('Unsupported', 'Generative mode needs the refiner model (restora-refiner), which is not installed. Use fast mode.');
      }
      const adapter = params.settings.adapter ? adapters.load(params.settings.adapter) : null;
      const detector = findDamageDetector(models);
      const dejpeg = findJpegRemover(models);
      const detail = findDetailRestorer(models);
      return restoreFile(params, ctx, {
        ...restorerChoice(sessions, models, adapter),
        findFaces: (file) => photoFaces.find(file),
        describeFace: async (crop, size) => (await createFaceDetector()).describe(crop, size, size, alignedFaceOutline(size)),
        damageDetector: async (settings) => (detector ? sessions.get(detector, settings.device) : null),
        jpegRemover: async (settings) => (dejpeg ? sessions.get(dejpeg, settings.device) : null),
        detailRestorer: async (settings) => (detail ? sessions.get(detail, settings.device) : null),
      });
    },
  };
}
