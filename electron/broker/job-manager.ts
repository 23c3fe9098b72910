/**
 * Jobs: long operations with progress, an ETA, cancellation and crash
 * isolation. Jobs for a worker run one at a time per worker (they are CPU or
 * disk bound); queued jobs survive a worker crash and run after the restart.
 */
import { randomBytes } from 'node:crypto';
import { RestoraError, toWireError } from '../shared/errors.js';
import { isFinished, type JobInfo, type JobProgress } from '../shared/jobs.js';

export type JobQueue = 'library' | 'engine' | 'host';

export interface JobRunContext {
  readonly jobId: string;
  readonly signal: AbortSignal;
  /** Forwards progress for this job (used by host jobs that orchestrate others). */
  progress(p: Omit<JobProgress, 'jobId'>): void;
}

export interface JobSpec {
  method: string;
  label: string;
  queue: JobQueue;
  run(ctx: JobRunContext): Promise<unknown>;
  /** Ask the running work to stop; the manager escalates with `kill` after the grace period. */
  requestStop(jobId: string): void;
  /** Hard stop (kill the worker process). */
  kill?(): void;
}

interface Entry {
  info: JobInfo;
  spec: JobSpec;
  controller: AbortController;
  cancelRequested: boolean;
  done: Promise<void>;
  resolveDone(): void;
}

const CONCURRENCY: Record<JobQueue, number> = { library: 1, engine: 1, host: 4 };
const MAX_KEPT = 500;

export class JobManager {
  private entries = new Map<string, Entry>();
  private running: Record<JobQueue, number> = { library: 0, engine: 0, host: 0 };
  private seq = 0;

  constructor(
    private readonly emitState: (info: JobInfo) => void,
    private readonly emitProgress: (p: JobProgress) => void,
    private readonly cancelGraceMs = 1000,
  ) {}

  submit(spec: JobSpec): string {
    const jobId = `job-${(++this.seq).toString(36)}-${randomBytes(4).toString('hex')}`;
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => (resolveDone = r));
    const entry: Entry = {
      info: { jobId, method: spec.method, label: spec.label, state: 'queued', submittedAt: Date.now() },
      spec,
      controller: new AbortController(),
      cancelRequested: false,
      done,
      resolveDone,
    };
    this.entries.set(jobId, entry);
    this.prune();
    this.emitState(entry.info);
    queueMicrotask(() => this.pump());
    return jobId;
  }

  get(jobId: string): JobInfo {
    const e = this.entries.get(jobId);
    if (!e) throw new RestoraError('NotFound', `No job ${jobId}`);
    return e.info;
  }

  list(): JobInfo[] {
    return [...this.entries.values()].map((e) => e.info).reverse();
  }

  /** Resolves when the job has finished (in any state). */
  async wait(jobId: string): Promise<JobInfo> {
    const e = this.entries.get(jobId);
    if (!e) throw new RestoraError('NotFound', `No job ${jobId}`);
    await e.done;
    return e.info;
  }

  cancel(jobId: string): JobInfo {
    const e = this.entries.get(jobId);
    if (!e) throw new RestoraError('NotFound', `No job ${jobId}`);
    if (isFinished(e.info.state)) return e.info;
    e.cancelRequested = true;
    e.controller.abort();
    if (e.info.state === 'queued') {
      this.finish(e, 'cancelled', undefined, { code: 'Cancelled', message: 'Cancelled before it started' });
      return e.info;
    }
    e.spec.requestStop(jobId);
    const timer = setTimeout(() => {
      if (!isFinished(e.info.state) && e.spec.kill) e.spec.kill();
    }, this.cancelGraceMs);
    void e.done.then(() => clearTimeout(timer));
    return e.info;
  }

  onProgress(p: JobProgress): boolean {
    const e = this.entries.get(p.jobId);
    if (!e || e.info.state !== 'running') return false;
    e.info = { ...e.info, progress: p };
    return true;
  }

  private pump(): void {
    for (const e of this.entries.values()) {
      if (e.info.state !== 'queued') continue;
      const q = e.spec.queue;
      if (this.running[q] >= CONCURRENCY[q]) continue;
      this.running[q]++;
      void this.start(e).finally(() => {
        this.running[q]--;
        this.pump();
      });
    }
  }

  private async start(e: Entry): Promise<void> {
    e.info = { ...e.info, state: 'running', startedAt: Date.now() };
    this.emitState(e.info);
    const ctx: JobRunContext = {
      jobId: e.info.jobId,
      signal: e.controller.signal,
      progress: (p) => {
        const full = { ...p, jobId: e.info.jobId };
        if (this.onProgress(full)) this.emitProgress(full);
      },
    };
    try {
      const result = await e.spec.run(ctx);
      if (e.cancelRequested) this.finish(e, 'cancelled', undefined, { code: 'Cancelled', message: 'Cancelled' });
      else this.finish(e, 'done', result);
    } catch (err) {
      const wire = toWireError(err);
      if (e.cancelRequested || wire.code === 'Cancelled') this.finish(e, 'cancelled', undefined, { code: 'Cancelled', message: 'Cancelled' });
      else this.finish(e, 'failed', undefined, wire);
    }
  }

  private finish(e: Entry, state: 'done' | 'failed' | 'cancelled', result?: unknown, error?: JobInfo['error']): void {
    if (isFinished(e.info.state)) return;
    const info: JobInfo = { ...e.info, state, finishedAt: Date.now() };
    if (result !== undefined) info.result = result;
    if (error) info.error = error;
    e.info = info;
    this.emitState(info);
    e.resolveDone();
  }

  private prune(): void {
    if (this.entries.size <= MAX_KEPT) return;
    for (const [id, e] of this.entries) {
      if (this.entries.size <= MAX_KEPT) break;
      if (isFinished(e.info.state)) this.entries.delete(id);
    }
  }
}
