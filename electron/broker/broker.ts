/**
 * The broker: the one place every call passes through, in the Electron main
 * process and in the browser-mode host alike. It validates each request
 * against the contract, answers host methods itself, forwards library and
 * engine methods to their worker processes, runs jobs, and fans events out to
 * every connected UI. No native modules here: a crash in a worker never takes
 * the broker (or the window) down.
 */
import path from 'node:path';
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  methods,
  events,
  isMethodName,
  type MethodName,
  type Params,
  type Result,
  type ParsedParams,
  type EventName,
  type EventPayload,
} from '../shared/contract/index.js';
import type { WorkerStatus } from '../shared/contract/host.js';
import { RestoraError } from '../shared/errors.js';
import { describeIssues } from '../shared/rpc.js';
import type { JobProgress, JobInfo } from '../shared/jobs.js';
import { JobManager, type JobRunContext } from './job-manager.js';
import { WorkerSlot } from './worker-slot.js';
import type { Spawner, WorkerServiceName } from './worker-process.js';
import { restorePhoto } from './restore-photo.js';
import { startFinetune, resumeFinetune, listRuns, makePair, type FinetuneDeps } from './finetune-jobs.js';
import type { MediaRef } from '../shared/media.js';

export type Caller = 'renderer' | 'trusted';
export type RunMode = 'electron' | 'browser' | 'cli';
export type EventListener = (name: EventName, payload: unknown) => void;

export interface BrokerOptions {
  spawn: Spawner;
  dataDir: string;
  mode: RunMode;
  version: string;
  electronVersion?: string | null;
  /** How long a cancelled job may take to stop before its worker is killed. */
  cancelGraceMs?: number;
  /** Extra environment for workers (e.g. thread counts). */
  workerEnv?: Record<string, string>;
  /** Where library restores run their engine step instead of the local engine (the queue setting). */
  remoteRestore?: RemoteRestore;
}

export type RemoteRestore = (params: Params<'engine.restoreFile'>, onProgress: (p: JobProgress) => void) => Promise<Result<'engine.restoreFile'>>;

export class Broker {
  private readonly slots: Record<WorkerServiceName, WorkerSlot>;
  readonly jobs: JobManager;
  private listeners = new Set<EventListener>();
  private workerStatus: Record<WorkerServiceName, WorkerStatus>;
  /** Host job → the worker job it is waiting on, so cancel can reach it. */
  private childJobs = new Map<string, string>();

  constructor(private readonly opts: BrokerOptions) {
    const env = { ...(opts.workerEnv ?? {}), RESTORA_HOME: opts.dataDir };
    this.workerStatus = {
      library: { service: 'library', state: 'stopped', pid: null, restarts: 0 },
      engine: { service: 'engine', state: 'stopped', pid: null, restarts: 0 },
    };
    const makeSlot = (service: WorkerServiceName) =>
      new WorkerSlot(service, opts.spawn, env, {
        onEvent: (name, payload) => this.fromWorker(name, payload),
        onStatus: (s) => {
          this.workerStatus[service] = { service, ...s, ...(s.message ? { message: s.message.slice(0, 1000) } : {}) };
          this.emit('worker.status', this.workerStatus[service]);
        },
        onCrash: () => undefined, // running jobs fail through their rejected requests
      });
    this.slots = { library: makeSlot('library'), engine: makeSlot('engine') };
    this.jobs = new JobManager(
      (info) => this.emit('job.state', info),
      (p) => this.emit('job.progress', p),
      opts.cancelGraceMs ?? 1000,
    );
  }

  get dataDir(): string {
    return this.opts.dataDir;
  }

  /** Starts both workers and waits until they answer. */
  async start(): Promise<void> {
    fs.mkdirSync(this.opts.dataDir, { recursive: true });
    await Promise.all([this.slots.library.ensureStarted(), this.slots.engine.ensureStarted()]);
  }

  stop(): void {
    this.slots.library.stop();
    this.slots.engine.stop();
  }

  workerPid(service: WorkerServiceName): number | null {
    return this.slots[service].pid;
  }

  onEvent(cb: EventListener): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /**
   * Entry point for every transport. `caller` is 'renderer' for anything that
   * came from a UI (IPC, WebSocket): internal methods are invisible to it.
   */
  async call(methodName: string, rawParams: unknown, caller: Caller): Promise<unknown> {
    if (!isMethodName(methodName)) throw new RestoraError('UnknownMethod', `Unknown method: ${String(methodName).slice(0, 100)}`);
    const spec = methods[methodName];
    if (spec.exposure === 'internal' && caller === 'renderer') {
      throw new RestoraError('UnknownMethod', `Unknown method: ${methodName}`);
    }
    const parsed = spec.params.safeParse(rawParams ?? {});
    if (!parsed.success) throw new RestoraError('BadRequest', `Invalid parameters for ${methodName}: ${describeIssues(parsed.error)}`);
    if (spec.job) return { jobId: this.submitJob(methodName, parsed.data) };
    if (spec.service === 'host') return this.hostCall(methodName, parsed.data);
    const result = await this.slots[spec.service].request(methodName, parsed.data);
    return this.checkResult(methodName, result);
  }

  /** Typed call for trusted code (CLI, orchestrations, tests). */
  async invoke<M extends MethodName>(m: M, params: Params<M>): Promise<Result<M>> {
    return (await this.call(m, params, 'trusted')) as Result<M>;
  }

  /** Submits a job and waits for its result; throws its error if it failed or was cancelled. */
  async runJob<M extends MethodName>(m: M, params: Params<M>, onProgress?: (p: JobProgress) => void): Promise<Result<M>> {
    const { jobId } = (await this.call(m, params, 'trusted')) as { jobId: string };
    return (await this.awaitJob(jobId, onProgress)) as Result<M>;
  }

  /** Waits for a submitted job, forwarding its progress, and returns its result or throws its error. */
  private async awaitJob(jobId: string, onProgress?: (p: JobProgress) => void): Promise<unknown> {
    const off = onProgress
      ? this.onEvent((name, payload) => {
          if (name === 'job.progress' && (payload as JobProgress).jobId === jobId) onProgress(payload as JobProgress);
        })
      : () => undefined;
    try {
      return this.jobOutcome(await this.jobs.wait(jobId));
    } finally {
      off();
    }
  }

  private jobOutcome(info: JobInfo): unknown {
    if (info.state === 'done') return info.result;
    const err = info.error ?? { code: 'Internal' as const, message: `Job ended as ${info.state}` };
    throw RestoraError.fromWire(err);
  }

  private submitJob(m: MethodName, params: unknown): string {
    const spec = methods[m];
    const label = jobLabel(m, params);
    if (spec.service === 'host') {
      return this.jobs.submit({
        method: m,
        label,
        queue: 'host',
        run: (ctx) => this.runHostJob(m, params, ctx),
        requestStop: (jobId) => {
          const child = this.childJobs.get(jobId);
          if (child) this.jobs.cancel(child);
        },
      });
    }
    const slot = this.slots[spec.service];
    return this.jobs.submit({
      method: m,
      label,
      queue: spec.service,
      run: async (ctx) => this.checkResult(m, await slot.request(m, params, ctx.jobId)),
      requestStop: (jobId) => slot.cancel(jobId),
      kill: () => slot.kill(),
    });
  }

  private async runHostJob(m: MethodName, params: unknown, ctx: JobRunContext): Promise<unknown> {
    if (m === 'restore.preview') return this.runPreview(params as ParsedParams<'restore.preview'>, ctx);
    if (m === 'restore.photo') {
      return restorePhoto(params as ParsedParams<'restore.photo'>, ctx, {
        dataDir: this.opts.dataDir,
        invoke: (mm, pp) => this.invoke(mm, pp),
        runChild: (mm, pp, onProgress) => {
          const remote = this.opts.remoteRestore;
          if (remote && mm === 'engine.restoreFile') return remote(pp as Params<'engine.restoreFile'>, onProgress) as Promise<Result<typeof mm>>;
          return this.runChildJob(ctx, mm, pp, onProgress);
        },
        emitChanged: (photoId) => this.emit('library.changed', { entity: 'versions', ids: [photoId] }),
        newFileName: () => `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`,
        path,
      });
    }
    if (m === 'finetune.start') return startFinetune(params as ParsedParams<'finetune.start'>, ctx, this.finetuneDeps(ctx));
    if (m === 'finetune.resume') return resumeFinetune(params as ParsedParams<'finetune.resume'>, ctx, this.finetuneDeps(ctx));
    if (m === 'finetune.pair') return makePair(params as ParsedParams<'finetune.pair'>, ctx, this.finetuneDeps(ctx));
    throw new RestoraError('UnknownMethod', `${m} is not a host job`);
  }

  /** Fine-tuning runs with a job going on now (so the list can say "running", and a run never trains twice at once). */
  private activeRuns = new Set<string>();

  private finetuneDeps(ctx: JobRunContext | null): FinetuneDeps {
    return {
      dataDir: this.opts.dataDir,
      invoke: (mm, pp) => this.invoke(mm, pp),
      runChild: (mm, pp, onProgress) => {
        if (!ctx) throw new RestoraError('Internal', 'no job context');
        return this.runChildJob(ctx, mm, pp, onProgress);
      },
      registerPreview: (file) => this.registerPreview(file),
      active: this.activeRuns,
    };
  }

  /** A restored region of a photo, written to the cache and served by preview id (never by path). */
  private async runPreview(p: ParsedParams<'restore.preview'>, ctx: JobRunContext): Promise<Result<'restore.preview'>> {
    const source = await this.invoke('library.photoSource', { photoId: p.photoId });
    const dir = path.join(this.opts.dataDir, 'cache', 'previews');
    fs.mkdirSync(dir, { recursive: true });
    const stem = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    const before = path.join(dir, `${stem}-before.png`);
    const after = path.join(dir, `${stem}-after.png`);
    try {
      const r = await this.runChildJob(ctx, 'engine.restoreFile', { input: source.path, output: after, beforeOutput: before, region: p.region, settings: p.settings }, (pp) =>
        ctx.progress({ stage: pp.stage, fraction: pp.fraction, etaSeconds: pp.etaSeconds, elapsedSeconds: pp.elapsedSeconds, ...(pp.message ? { message: pp.message } : {}) }),
      );
      return { beforeId: this.registerPreview(before), afterId: this.registerPreview(after), semanticTokens: r.recipe.semanticTokens, seconds: r.recipe.totalSeconds };
    } catch (err) {
      fs.rmSync(before, { force: true });
      fs.rmSync(after, { force: true });
      throw err;
    }
  }

  private previews = new Map<number, string>();
  private nextPreviewId = 1;

  private registerPreview(file: string): number {
    const id = this.nextPreviewId++;
    this.previews.set(id, file);
    // Keep the cache small: forget (and delete) all but the last 40 previews.
    for (const [old, f] of this.previews) {
      if (this.previews.size <= 40) break;
      this.previews.delete(old);
      // Only the broker's own cache files; fine-tuning previews belong to their run folder.
      if (path.dirname(f) === path.join(this.opts.dataDir, 'cache', 'previews')) fs.rmSync(f, { force: true });
    }
    return id;
  }

  /** The file behind a media reference: previews are the broker's own, everything else the library's. */
  async resolveMedia(ref: MediaRef): Promise<{ path: string; mime: string }> {
    if (ref.kind === 'preview') {
      const file = this.previews.get(ref.id);
      if (!file || !fs.existsSync(file)) throw new RestoraError('NotFound', `No preview ${ref.id}`);
      return { path: file, mime: 'image/png' };
    }
    return this.invoke('library.resolveMedia', ref);
  }

  /** Runs a worker job on behalf of a host job, linking them for cancellation. */
  private async runChildJob<M extends MethodName>(parentCtx: JobRunContext, m: M, params: Params<M>, onProgress: (p: JobProgress) => void): Promise<Result<M>> {
    const { jobId } = (await this.call(m, params, 'trusted')) as { jobId: string };
    const parent = parentCtx.jobId;
    this.childJobs.set(parent, jobId);
    try {
      if (parentCtx.signal.aborted) this.jobs.cancel(jobId);
      return (await this.awaitJob(jobId, onProgress)) as Result<M>;
    } finally {
      this.childJobs.delete(parent);
    }
  }

  private async hostCall(m: MethodName, params: unknown): Promise<unknown> {
    switch (m) {
      case 'restore.analyze': {
        const { photoId } = params as { photoId: number };
        const source = await this.invoke('library.photoSource', { photoId });
        return this.invoke('engine.analyze', { input: source.path });
      }
      case 'app.info':
        return {
          name: 'Restora',
          version: this.opts.version,
          mode: this.opts.mode,
          dataDir: this.opts.dataDir,
          platform: `${process.platform}-${process.arch}`,
          runtime: { node: process.versions.node, electron: this.opts.electronVersion ?? null },
          workers: [this.workerStatus.library, this.workerStatus.engine],
        } satisfies Result<'app.info'>;
      case 'jobs.list':
        return this.jobs.list();
      case 'finetune.runs':
        return listRuns(this.finetuneDeps(null));
      case 'jobs.get':
        return this.jobs.get((params as { jobId: string }).jobId);
      case 'jobs.cancel':
        return this.jobs.cancel((params as { jobId: string }).jobId);
      default:
        throw new RestoraError('UnknownMethod', `${m} has no host handler`);
    }
  }

  private checkResult(m: MethodName, result: unknown): unknown {
    const checked = methods[m].result.safeParse(result);
    if (!checked.success) throw new RestoraError('Internal', `The ${methods[m].service} service broke the contract for ${m}: ${describeIssues(checked.error)}`);
    return checked.data;
  }

  private fromWorker(name: string, payload: unknown): void {
    if (!(name in events)) return;
    const ev = name as EventName;
    const checked = (events[ev] as z.ZodType).safeParse(payload);
    if (!checked.success) return;
    if (ev === 'job.progress') {
      if (!this.jobs.onProgress(checked.data as JobProgress)) return;
    }
    if (ev === 'job.state') return; // Job state is the broker's to announce, never a worker's.
    this.emit(ev, checked.data as EventPayload<typeof ev>);
  }

  private emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const l of this.listeners) {
      try {
        l(name, payload);
      } catch {
        /* one broken listener must not starve the others */
      }
    }
  }
}

function jobLabel(m: MethodName, params: unknown): string {
  const p = params as Record<string, unknown>;
  switch (m) {
    case 'library.import':
      return `Import ${(p.paths as string[]).length} item(s)`;
    case 'restore.photo':
      return `Restore photo ${String(p.photoId)}`;
    case 'restore.preview':
      return `Preview of photo ${String(p.photoId)}`;
    case 'engine.restoreFile':
      return `Restore ${path.basename(String(p.input))}`;
    case 'engine.calibrate':
      return 'Measure CPU speed';
    case 'finetune.start':
      return `Personalise "${String(p.name)}"`;
    case 'finetune.resume':
      return `Resume personalisation ${String(p.runId)}`;
    case 'finetune.pair':
      return `A/B pair for photo ${String(p.photoId)}`;
    case 'engine.finetune':
      return `Train adapter "${String(p.name)}"`;
    default:
      return m;
  }
}
