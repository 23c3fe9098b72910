/**
 * Jobs: long operations with progress, an ETA, cancellation and crash
 * isolation. Jobs for a worker run one at a time per worker (they are CPU or
 * disk bound); queued jobs survive a worker crash and run after the restart.
 * A pausable job (a batch) stops at its next checkpoint when paused and goes
 * on when resumed; finished jobs stay listed until cleared.
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
  /** Between two items of a pausable job: waits while the job is paused; throws Cancelled if it is cancelled meanwhile. */
  checkpoint(): Promise<void>;
  /** Gives the job a better name once it is known (e.g. the photo's file name). */
  relabel(label: string): void;
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
  /** The job that runs this one as a step. */
  parentId?: string;
  /** Whether the job calls ctx.checkpoint() between items, so it can be paused. */
  pausable?: boolean;
}

interface Entry {
  info: JobInfo;
  spec: JobSpec;
  controller: AbortController;
  cancelRequested: boolean;
  done: Promise<void>;
  resolveDone(): void;
  /** While paused: resolves the checkpoint the job waits at. */
  resume: (() => void) | null;
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
      info: {
        jobId,
        method: spec.method,
        label: spec.label,
        state: 'queued',
        submittedAt: Date.now(),
        ...(spec.parentId ? { parentId: spec.parentId } : {}),
        ...(spec.pausable ? { pausable: true } : {}),
      },
      spec,
      controller: new AbortController(),
      cancelRequested: false,
      done,
      resolveDone,
      resume: null,
    };
    this.entries.set(jobId, entry);
    this.prune();
    this.emitState(entry.info);
    queueMicrotask(() => this.pump());
    return jobId;
  }

  get(jobId: string): JobInfo {
    return this.entry(jobId).info;
  }

  /** Newest first. Steps run by other jobs are left out unless asked for. */
  list(includeSteps = false): JobInfo[] {
    return [...this.entries.values()].map((e) => e.info).filter((i) => includeSteps || !i.parentId).reverse();
  }

  /** Forgets finished jobs (and their steps). Returns the ids removed. */
  clearFinished(): string[] {
    const removed: string[] = [];
    for (const [id, e] of this.entries) {
      if (isFinished(e.info.state)) {
        this.entries.delete(id);
        removed.push(id);
      }
    }
    return removed;
  }

  /** Pauses a pausable job at its next checkpoint (a queued one pauses as soon as it starts). */
  pause(jobId: string): JobInfo {
    const e = this.entry(jobId);
    if (!e.spec.pausable) throw new RestoraError('BadRequest', `${e.info.label} cannot be paused`);
    if (isFinished(e.info.state) || e.info.state === 'paused' || e.info.pauseRequested) return e.info;
    this.update(e, { pauseRequested: true });
    return e.info;
  }

  resume(jobId: string): JobInfo {
    const e = this.entry(jobId);
    if (e.info.state === 'paused') {
      const go = e.resume;
      e.resume = null;
      const { pauseRequested: _p, ...rest } = e.info;
      e.info = { ...rest, state: 'running' };
      this.emitState(e.info);
      go?.();
    } else if (e.info.pauseRequested) {
      const { pauseRequested: _p, ...rest } = e.info;
      e.info = rest;
      this.emitState(e.info);
    }
    return e.info;
  }

  private entry(jobId: string): Entry {
    const e = this.entries.get(jobId);
    if (!e) throw new RestoraError('NotFound', `No job ${jobId}`);
    return e;
  }

  private update(e: Entry, patch: Partial<JobInfo>): void {
    e.info = { ...e.info, ...patch };
    this.emitState(e.info);
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
    if (e.resume) {
      // Paused at a checkpoint: let it run on into the cancellation.
      const go = e.resume;
      e.resume = null;
      go();
    }
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
    if (!e || (e.info.state !== 'running' && e.info.state !== 'paused')) return false;
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
      checkpoint: async () => {
        if (e.cancelRequested) throw new RestoraError('Cancelled', 'Cancelled');
        if (!e.info.pauseRequested) return;
        await new Promise<void>((resolve) => {
          e.resume = resolve;
          const { pauseRequested: _p, ...rest } = e.info;
          e.info = { ...rest, state: 'paused' };
          this.emitState(e.info);
        });
        if (e.cancelRequested) throw new RestoraError('Cancelled', 'Cancelled');
      },
      relabel: (label) => {
        if (!isFinished(e.info.state)) this.update(e, { label: label.length > 200 ? `${label.slice(0, 199)}…` : label });
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
    const { pauseRequested: _p, ...rest } = e.info;
    const info: JobInfo = { ...rest, state, finishedAt: Date.now() };
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
