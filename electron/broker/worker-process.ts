/**
 * What the broker needs from a worker process. Two implementations exist:
 * Node child processes (browser mode, CLI, tests) and Electron utility
 * processes (the desktop app). Neither leaks into the broker.
 */
import type { WorkerInbound } from '../shared/rpc.js';

export type WorkerServiceName = 'library' | 'engine';

export interface WorkerProcess {
  readonly pid: number | null;
  send(msg: WorkerInbound): void;
  onMessage(cb: (msg: unknown) => void): void;
  /** Called once when the process is gone, for any reason. */
  onExit(cb: (code: number | null, reason: string) => void): void;
  /** Hard stop: SIGKILL or the platform's equivalent. */
  kill(): void;
}

export interface SpawnOptions {
  service: WorkerServiceName;
  /** Environment for the worker; always carries RESTORA_HOME. */
  env: Record<string, string>;
}

export type Spawner = (opts: SpawnOptions) => WorkerProcess;
