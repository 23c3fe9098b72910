/**
 * The renderer's typed API, derived from the one contract: parameters are
 * checked before they leave, results and events are checked when they arrive.
 */
import {
  methods,
  events,
  type MethodName,
  type JobMethodName,
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

export type NonJobMethodName = Exclude<MethodName, JobMethodName>;

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
    const raw = await this.transport.request(m, params);
    const r = spec.result.safeParse(raw);
    if (!r.success) throw new RestoraError('Internal', `Unexpected answer from ${m}: ${describeIssues(r.error)}`);
    return r.data as Result<M>;
  }

  /** Starts a job; follow it with `on('job.progress')` / `on('job.state')` or `wait`. */
  async start<M extends JobMethodName>(m: M, params: Params<M>): Promise<string> {
    const spec = methods[m];
    const p = spec.params.safeParse(params);
    if (!p.success) throw new RestoraError('BadRequest', describeIssues(p.error));
    const raw = (await this.transport.request(m, params)) as { jobId?: unknown };
    if (typeof raw?.jobId !== 'string') throw new RestoraError('Internal', `No job id from ${m}`);
    return raw.jobId;
  }

  /** Resolves with the job's final info (done, failed or cancelled). */
  wait(jobId: string, onProgress?: (p: JobProgress) => void): Promise<JobInfo> {
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
