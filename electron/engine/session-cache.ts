/**
 * ONNX Runtime sessions, created once per (model, device) and reused across
 * jobs. On first load a model's file hash is checked against its manifest and
 * the graph's real inputs and outputs against what the manifest declares, so a
 * model that lies about itself is refused with a reason instead of failing
 * somewhere inside a job.
 */
import type { ExecutionDevice } from '../shared/recipe.js';
import { RestoraError } from '../shared/errors.js';
import { createCachedCpuSession, createSession, type SessionChoice } from './ort.js';
import { verifyHash, type RegisteredModel } from '../node/model-registry.js';

export interface LoadedModel {
  model: RegisteredModel;
  session: SessionChoice['session'];
  provider: string;
  fallbackMessage?: string;
}

export class SessionCache {
  private cache = new Map<string, Promise<LoadedModel>>();

  /** `graphCache`: a folder for the optimised forms of slow-to-open graphs (see ort.ts); none, no such copies.
   * A killed engine's half-written copy there is swept by the library's housekeeping at start (cache/, one level down). */
  constructor(private readonly graphCache?: string) {}

  get(model: RegisteredModel, device: ExecutionDevice): Promise<LoadedModel> {
    const key = `${model.file}|${device}`;
    let p = this.cache.get(key);
    if (!p) {
      p = load(model, device, this.graphCache);
      this.cache.set(key, p);
      p.catch(() => this.cache.delete(key));
    }
    return p;
  }

  async clear(): Promise<void> {
    const all = [...this.cache.values()];
    this.cache.clear();
    for (const p of all) await p.then((m) => m.session.release()).catch(() => undefined);
  }
}

async function load(model: RegisteredModel, device: ExecutionDevice, graphCache?: string): Promise<LoadedModel> {
  if (!model.ok || !model.manifest) throw new RestoraError('Unsupported', `Model ${model.id} cannot be used: ${model.problem ?? 'invalid'}`);
  const hashProblem = verifyHash(model);
  if (hashProblem) throw new RestoraError('CorruptInput', `Model ${model.id}: ${hashProblem}`);
  let choice: SessionChoice;
  try {
    choice = graphCache && device === 'cpu' ? await createCachedCpuSession(model.file, model.manifest.sha256, graphCache) : await createSession(model.file, device);
  } catch (err) {
    throw new RestoraError('CorruptInput', `Model ${model.id} is not a valid ONNX model: ${String((err as Error).message).slice(0, 300)}`);
  }
  const declaredIn = model.manifest.inputs.map((i) => i.name).sort();
  const declaredOut = model.manifest.outputs.map((o) => o.name).sort();
  const realIn = [...choice.session.inputNames].sort();
  const realOut = [...choice.session.outputNames].sort();
  if (JSON.stringify(declaredIn) !== JSON.stringify(realIn) || !declaredOut.every((o) => realOut.includes(o))) {
    await choice.session.release();
    throw new RestoraError(
      'CorruptInput',
      `Model ${model.id}: its manifest declares inputs [${declaredIn.join(', ')}] and outputs [${declaredOut.join(', ')}], but the ONNX graph has inputs [${realIn.join(', ')}] and outputs [${realOut.join(', ')}]`,
    );
  }
  return { model, session: choice.session, provider: choice.provider, ...(choice.fallbackMessage ? { fallbackMessage: choice.fallbackMessage } : {}) };
}
