/**
 * ONNX Runtime access for the engine: loads onnxruntime-node once, reports the
 * execution providers this build offers, and creates sessions with the chosen
 * provider, falling back to the CPU with a message a user can act on.
 */
import os from 'node:os';
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

export async function createSession(model: string | Uint8Array, device: ExecutionDevice = 'cpu'): Promise<SessionChoice> {
  const base: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: intraOpThreads(),
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
  };
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
