/** The engine's fine-tuning and adapter methods (see contract/finetune.ts). */
import fs from 'node:fs';
import path from 'node:path';
import type { Handler } from '../../node/worker-runtime.js';
import { dataPaths } from '../../node/data-dir.js';
import { writeNewFile } from '../../node/atomic-write.js';
import { RestoraError } from '../../shared/errors.js';
import { RestoreSettings } from '../../shared/recipe.js';
import { scanModels, type RegisteredModel } from '../../node/model-registry.js';
import type { SessionCache } from '../session-cache.js';
import { findModelSet, loadIntegrator } from '../model-restorer.js';
import { AdapterStore } from './adapter-store.js';
import { adaptedForward, findAdapterGraphs, loadAdapterGraphs, requireAdapterGraphs } from './adapter-graphs.js';
import { runFinetune, writePng } from './finetune-job.js';
import { loadTrainingImage, restorerInput } from './training-set.js';

type FinetuneMethod =
  | 'adapters.list' | 'adapters.rename' | 'adapters.delete' | 'adapters.exportData' | 'adapters.importData'
  | 'engine.adapterExport' | 'engine.adapterImport' | 'engine.finetune' | 'engine.finetunePair';

export function adapterStore(dataDir: string, models: () => RegisteredModel[]): AdapterStore {
  return new AdapterStore(dataPaths(dataDir).adapters, () => {
    const g = findAdapterGraphs(models());
    return g ? { sha256: g.baseSha256, size: g.size } : null;
  });
}

export function finetuneHandlers(dataDir: string, sessions: SessionCache, modelDirs: () => Array<{ dir: string; source: 'shipped' | 'user' }>): { [M in FinetuneMethod]: Handler<M> } {
  const models = () => scanModels(modelDirs());
  const store = adapterStore(dataDir, models);
  const finetuneRoot = path.join(dataDir, 'finetune');
  return {
    'adapters.list': () => ({ adapters: store.list() }),
    'adapters.rename': (p) => store.rename(p.name, p.newName),
    'adapters.delete': (p) => {
      store.delete(p.name);
      return { ok: true as const };
    },
    'adapters.exportData': (p) => {
      const { fileName, bytes } = store.exportBytes(p.name);
      return { fileName, base64: bytes.toString('base64') };
    },
    'adapters.importData': (p) => store.importBytes(Buffer.from(p.base64, 'base64'), 'The imported file', p.name),
    'engine.adapterExport': async (p) => {
      const { bytes } = store.exportBytes(p.name);
      // Never replaces a file, even one that appears while this runs.
      if (!(await writeNewFile(path.dirname(p.path), [path.basename(p.path)], bytes))) throw new RestoraError('Conflict', `${p.path} already exists`);
      return { path: p.path };
    },
    'engine.adapterImport': (p) => {
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(p.path);
      } catch {
        throw new RestoraError('NotFound', `${p.path} cannot be read`);
      }
      return store.importBytes(bytes, path.basename(p.path), p.name);
    },
    'engine.finetune': (p, ctx) => runFinetune(p, ctx, { models: models(), sessions, store, finetuneRoot }),
    'engine.finetunePair': async (p, ctx) => {
      const all = models();
      const set = findModelSet(all);
      if (!set) throw new RestoraError('Unsupported', 'The trained models are not installed.');
      const g = requireAdapterGraphs(all, set.restorer);
      ctx.progress({ stage: 'prepare', fraction: 0.05, message: 'Reading the photo' });
      const input = await loadTrainingImage(p.input);
      const reader = await loadIntegrator(sessions, set, RestoreSettings.parse({}));
      const { integrator } = reader;
      const { forward } = await loadAdapterGraphs(sessions, g);
      const zero = new Float32Array(g.size);
      for (const [i, [instr, out]] of ([[p.instructionA, p.outputA], [p.instructionB, p.outputB]] as const).entries()) {
        ctx.throwIfCancelled();
        ctx.progress({ stage: 'restore', fraction: 0.1 + 0.45 * i, message: `Restoration ${i === 0 ? 'A' : 'B'}` });
        const r = await restorerInput(reader, input, instr);
        await writePng(out, await adaptedForward(forward, r.input, r.queries, integrator.spec.slots.length, integrator.spec.dq, zero));
      }
      return { ok: true as const };
    },
  };
}
