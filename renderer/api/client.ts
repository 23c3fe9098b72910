/**
 * The renderer's typed API, derived from the one contract: parameters are
 * checked before they leave, results and events are checked when they arrive.
 * `call` answers at once; `run` takes a job from start to its checked result.
 */
import {
  methods,
  events,
  parseResult,
  JobStarted,
  type JobMethodName,
  type NonJobMethodName,
  type Params,
  type Result,
  type EventName,
  type EventPayload,
} from '../../electron/shared/contract/index.js';
import { RestoraError } from '../../electron/shared/errors.js';
import { describeIssues } from '../../electron/shared/rpc.js';
import { mediaPath, type MediaRef } from '../../electron/shared/media.js';
import type { JobInfo, JobProgress } from '../../electron/shared/jobs.js';
import type { Transport } from './transport.js';

export interface RunOptions {
  /** Called with the job's id as soon as it is queued, e.g. for a Cancel button. */
  onStart?(jobId: string): void;
}

/** True for the error `run` throws when the job was cancelled. */
export function isCancelled(e: unknown): boolean {
  return e instanceof RestoraError && e.code === 'Cancelled';
}

export class RestoraClient {
  private eventListeners = new Map<string, Set<(payload: unknown) => void>>();

  constructor(readonly transport: Transport) {
    transport.subscribe((name, payload) => {
      const set = this.eventListeners.get(name);
      if (!set || !(name in events)) return;
      const checked = events[name as EventName].safeParse(payload);
      if (!checked.success) return;
      for (const cb of set) cb(checked.data);
    });
  }

  async call<M extends NonJobMethodName>(m: M, params: Params<M>): Promise<Result<M>> {
    const spec = methods[m];
    const p = spec.params.safeParse(params);
    if (!p.success) throw new RestoraError('BadRequest', describeIssues(p.error));
    return parseResult(m, await this.transport.request(m, params));
  }

  /**
   * Runs a job to its end: starts it, forwards its progress, and resolves with
   * its result checked against the method's result schema. A failed job
   * rejects with its error, a cancelled one with a 'Cancelled' RestoraError.
   */
  async run<M extends JobMethodName>(m: M, params: Params<M>, onProgress?: (p: JobProgress) => void, opts: RunOptions = {}): Promise<Result<M>> {
    const jobId = await this.start(m, params);
    opts.onStart?.(jobId);
    const info = await this.wait(jobId, onProgress);
    if (info.state === 'done') return parseResult(m, info.result);
    throw RestoraError.fromWire(info.error ?? { code: info.state === 'cancelled' ? 'Cancelled' : 'Internal', message: `The job ended as ${info.state}` });
  }

  private async start<M extends JobMethodName>(m: M, params: Params<M>): Promise<string> {
    const spec = methods[m];
    const p = spec.params.safeParse(params);
    if (!p.success) throw new RestoraError('BadRequest', describeIssues(p.error));
    const started = JobStarted.safeParse(await this.transport.request(m, params));
    if (!started.success) throw new RestoraError('Internal', `No job id from ${m}`);
    return started.data.jobId;
  }

  /** Resolves with the job's final info (done, failed or cancelled). */
  private wait(jobId: string, onProgress?: (p: JobProgress) => void): Promise<JobInfo> {
    return new Promise((resolve, reject) => {
      const offState = this.on('job.state', (info) => {
        if (info.jobId !== jobId) return;
        if (info.state === 'done' || info.state === 'failed' || info.state === 'cancelled') {
          offState();
          offProgress();
          resolve(info);
        }
      });
      const offProgress = this.on('job.progress', (p) => {
        if (p.jobId === jobId) onProgress?.(p);
      });
      // The job may have finished before we subscribed.
      this.call('jobs.get', { jobId })
        .then((info) => {
          if (info.state === 'done' || info.state === 'failed' || info.state === 'cancelled') {
            offState();
            offProgress();
            resolve(info);
          }
        })
        .catch(reject);
    });
  }

  on<E extends EventName>(name: E, cb: (payload: EventPayload<E>) => void): () => void {
    let set = this.eventListeners.get(name);
    if (!set) this.eventListeners.set(name, (set = new Set()));
    const fn = cb as (payload: unknown) => void;
    set.add(fn);
    return () => set!.delete(fn);
  }

  /** URL of an image by catalog id and size; never a filesystem path. */
  mediaUrl(ref: MediaRef, bust?: string | number): string {
    return `${this.transport.mediaBase}${mediaPath(ref)}${bust !== undefined ? `?v=${encodeURIComponent(String(bust))}` : ''}`;
  }
}
