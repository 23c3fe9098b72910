/**
 * The engines of one queue worker: N engine processes (the same worker
 * process the app and the CLI run, behind the same broker, so every request is
 * checked against the contract), one job at a time each. The worker's own
 * event loop stays free while they compute, so its queue locks keep renewing.
 */
import os from 'node:os';
import { Broker } from '../broker/broker.js';
import { nodeSpawner } from '../host/node-worker.js';
import type { Params, Result } from '../shared/contract/index.js';
import type { JobProgress } from '../shared/jobs.js';

export class EnginePool {
  private readonly brokers: Broker[];
  private readonly free: Broker[];
  private readonly waiting: Array<(b: Broker) => void> = [];

  constructor(size: number, opts: { dataDir: string; logDir: string; version: string }) {
    // Engines share the cores: each gets its slice, unless RESTORA_THREADS says otherwise.
    const threads = process.env.RESTORA_THREADS ?? String(Math.max(1, Math.floor((os.availableParallelism?.() ?? os.cpus().length) / size)));
    this.brokers = Array.from({ length: size }, () => new Broker({
      spawn: nodeSpawner({ logDir: opts.logDir, echoStderr: !!process.env.RESTORA_DEBUG }),
      dataDir: opts.dataDir,
      mode: 'cli',
      version: opts.version,
      workerEnv: { RESTORA_THREADS: threads },
    }));
    this.free = [...this.brokers];
  }

  get size(): number {
    return this.brokers.length;
  }

  /** Starts every engine (only engines: a worker has no library) and returns what the first reports. */
  async start(): Promise<Result<'engine.info'>> {
    const infos = await Promise.all(this.brokers.map((b) => b.invoke('engine.info', {})));
    return infos[0]!;
  }

  /** Restores on the next free engine. */
  async restore(params: Params<'engine.restoreFile'>, onProgress: (p: JobProgress) => void): Promise<Result<'engine.restoreFile'>> {
    const broker = this.free.pop() ?? (await new Promise<Broker>((r) => this.waiting.push(r)));
    try {
      return await broker.runJob('engine.restoreFile', params, onProgress);
    } finally {
      const next = this.waiting.shift();
      if (next) next(broker);
      else this.free.push(broker);
    }
  }

  /** Stops every engine cleanly (each finishes or cancels its job before it exits). */
  async stop(): Promise<void> {
    await Promise.all(this.brokers.map((b) => b.stop()));
  }
}
