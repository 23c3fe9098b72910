/**
 * ONNX Runtime access for the engine: loads onnxruntime-node once, reports the
 * execution providers this build offers, and creates sessions with the chosen
 * provider, falling back to the CPU with a message a user can act on.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { ExecutionDevice } from '../shared/recipe.js';

export { ort };

const DEVICE_TO_EP: Record<ExecutionDevice, string> = { cpu: 'cpu', cuda: 'cuda', webgpu: 'webgpu', dml: 'dml', coreml: 'coreml' };

export function ortVersion(): string {
  return ort.env.versions?.node ?? ort.env.versions?.common ?? 'unknown';
}

/** Providers this onnxruntime-node build can use on this machine. */
export function availableProviders(): string[] {
  const list = (ort as unknown as { listSupportedBackends?: () => Array<{ name: string; bundled: boolean }> }).listSupportedBackends?.();
  if (!list) return ['cpu'];
  // CUDA and TensorRT need provider libraries that are not bundled; only list them once installed.
  return list.filter((b) => b.bundled).map((b) => b.name);
}

export function intraOpThreads(): number {
  const fromEnv = Number(process.env.RESTORA_THREADS);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

export interface SessionChoice {
  session: ort.InferenceSession;
  provider: string;
  /** Set when the requested device could not be used. */
  fallbackMessage?: string;
}

/**
 * ONNX Runtime's worker threads spin while they wait for work by default. Beside other busy processes (two engines, a
 * library import, the renderer) the spinning takes cores the work needs: measured on 2 cores, the restorer on a
 * 256×256 tile ten times in each of two processes at once took 5.3–5.7 s per process spinning and 3.6 s not; alone,
 * 2.38 s spinning and 2.27 s not (with a fifth less processor time).
 */
const NO_SPINNING = { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } };

function baseOptions(): ort.InferenceSession.SessionOptions {
  return { intraOpNumThreads: intraOpThreads(), interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential', extra: NO_SPINNING };
}

export async function createSession(model: string | Uint8Array, device: ExecutionDevice = 'cpu'): Promise<SessionChoice> {
  const base = baseOptions();
  const wanted = DEVICE_TO_EP[device];
  if (wanted !== 'cpu') {
    if (!availableProviders().includes(wanted)) {
      const session = await open(model, { ...base, executionProviders: ['cpu'] });
      return { session, provider: 'cpu', fallbackMessage: `The ${device} device is not available in this installation; using the CPU instead.` };
    }
    try {
      const session = await open(model, { ...base, executionProviders: [wanted, 'cpu'] });
      return { session, provider: wanted };
    } catch (err) {
      const session = await open(model, { ...base, executionProviders: ['cpu'] });
      return { session, provider: 'cpu', fallbackMessage: `The ${device} device failed to start (${String((err as Error).message).slice(0, 200)}); using the CPU instead.` };
    }
  }
  return { session: await open(model, { ...base, executionProviders: ['cpu'] }), provider: 'cpu' };
}

function open(model: string | Uint8Array, options: ort.InferenceSession.SessionOptions): Promise<ort.InferenceSession> {
  return typeof model === 'string' ? ort.InferenceSession.create(model, options) : ort.InferenceSession.create(model, options);
}

/**
 * Optimising a graph can take far longer than loading it: the restorer's fine-tuning gradient graph takes about
 * 11 s to open on 2 cores and under 1.5 s once its optimised form is saved. A graph that took at least
 * `SLOW_OPEN_MS` to open on the CPU is therefore kept, optimised, in the data folder's cache, under a name made of
 * the model's hash and what the optimised form depends on (this ONNX Runtime, this kind of processor), and opened
 * from there with optimisation off the next time (a new engine process, the next start of the app). The cache
 * only ever holds copies: a missing, stale or damaged entry is rebuilt from the model itself.
 */
export const SLOW_OPEN_MS = 1000;

function machineKey(): string {
  const cpu = os.cpus()[0]?.model ?? 'cpu';
  return createHash('sha256').update(`${ortVersion()}|${process.platform}|${process.arch}|${cpu}`).digest('hex').slice(0, 12);
}

/** The cache entry of a model with this file hash on this machine. */
export function optimisedGraphFile(cacheDir: string, sha256: string): string {
  return path.join(cacheDir, `${sha256.slice(0, 24)}-${machineKey()}.onnx`);
}

/**
 * A CPU session for a model file, through the optimised-graph cache in `cacheDir`. Any trouble with the cache
 * (unwritable folder, full disk, a damaged entry) falls back to opening the model itself.
 */
export async function createCachedCpuSession(file: string, sha256: string, cacheDir: string, slowMs = SLOW_OPEN_MS): Promise<SessionChoice> {
  const cached = optimisedGraphFile(cacheDir, sha256);
  let isEntry = false;
  try {
    isEntry = fs.lstatSync(cached, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    /* the cache folder is not usable: open the model itself below */
  }
  if (isEntry) {
    try {
      return { session: await open(cached, { ...baseOptions(), graphOptimizationLevel: 'disabled', executionProviders: ['cpu'] }), provider: 'cpu' };
    } catch {
      fs.rmSync(cached, { force: true });
    }
  }
  // ONNX Runtime writes this file itself: under a fresh, unpredictable name, made the way every Restora writer names
  // its temporary files (so the library's housekeeping sweeps a killed engine's copy at the next start), then renamed
  // into place.
  let tmp: string | null = path.join(cacheDir, `.${path.basename(cached)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.rmSync(tmp, { force: true });
  } catch {
    tmp = null;
  }
  const t0 = Date.now();
  let session: ort.InferenceSession;
  try {
    session = await open(file, { ...baseOptions(), executionProviders: ['cpu'], ...(tmp ? { optimizedModelFilePath: tmp } : {}) });
  } catch (err) {
    if (!tmp) throw err;
    // Perhaps only the optimised copy could not be written (a full disk): open the model without it.
    fs.rmSync(tmp, { force: true });
    return { session: await open(file, { ...baseOptions(), executionProviders: ['cpu'] }), provider: 'cpu' };
  }
  if (tmp) {
    try {
      if (Date.now() - t0 >= slowMs && fs.statSync(tmp).size > 0) fs.renameSync(tmp, cached);
      else fs.rmSync(tmp, { force: true });
    } catch {
      fs.rmSync(tmp, { force: true });
    }
  }
  return { session, provider: 'cpu' };
}
