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
import { z } from 'zod';
import {
  methods,
  events,
  isMethodName,
  isJobMethod,
  jobLabel,
  methodSpec,
  parseParams,
  parseResult,
  type MethodName,
  type JobMethodName,
  type NonJobMethodName,
  type Params,
  type ParsedParams,
  type Result,
  type EventName,
  type EventPayload,
} from '../shared/contract/index.js';
import type { WorkerStatus } from '../shared/contract/host.js';
import { RestoraError } from '../shared/errors.js';
import type { JobProgress, JobInfo } from '../shared/jobs.js';
import { JobManager, type JobRunContext } from './job-manager.js';
import { WorkerSlot } from './worker-slot.js';
import type { Spawner, WorkerServiceName } from './worker-process.js';
import { hostHandlers, type HostHandlers, type RemoteRestore } from './handlers.js';
import { BatchRegistry } from './restore-batch.js';
import { SettingsStore } from './settings-store.js';
import { trimFolder } from './cache-space.js';
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

export type { RemoteRestore } from './handlers.js';

export class Broker {
  private readonly slots: Record<WorkerServiceName, WorkerSlot>;
  readonly jobs: JobManager;
  private listeners = new Set<EventListener>();
  private workerStatus: Record<WorkerServiceName, WorkerStatus>;
  /** Host job → the worker job it is waiting on, so cancel can reach it. */
  private childJobs = new Map<string, string>();
  /** Fine-tuning runs with a job going on now (so the list can say "running", and a run never trains twice at once). */
  private activeRuns = new Set<string>();
  private readonly host: HostHandlers;
  readonly settings: SettingsStore;
  private readonly env: Record<string, string>;

  constructor(private readonly opts: BrokerOptions) {
    this.settings = new SettingsStore(path.join(opts.dataDir, 'settings.json'));
    const env = (this.env = { ...(opts.workerEnv ?? {}), RESTORA_HOME: opts.dataDir });
    this.applySettingsToEnv();
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
      (info) => {
        this.emit('job.state', info);
        this.afterJob(info);
      },
      (p) => this.emit('job.progress', p),
      opts.cancelGraceMs ?? 1000,
    );
    this.host = hostHandlers({
      dataDir: opts.dataDir,
      jobs: this.jobs,
      about: () => ({
        version: opts.version,
        mode: opts.mode,
        electronVersion: opts.electronVersion ?? null,
        workers: [this.workerStatus.library, this.workerStatus.engine],
      }),
      invoke: (m, p) => this.invoke(m, p),
      runChild: (parent, m, p, onProgress) => this.runChildJob(parent, m, p, onProgress),
      registerPreview: (file) => this.registerPreview(file),
      versionsChanged: (photoId) => this.emit('library.changed', { entity: 'versions', ids: [photoId] }),
      activeRuns: this.activeRuns,
      batches: new BatchRegistry(),
      settings: this.settings,
      restartEngine: () => this.restartEngine(),
      jobsCleared: (jobIds) => this.emit('jobs.cleared', { jobIds }),
      remoteRestore: opts.remoteRestore,
    });
  }

  /**
   * With the findPeopleAfterImport setting, an import finished in the app is
   * followed by the find-people job on its new photos (not in the CLI, whose
   * workers stop when its command is done).
   */
  private afterJob(info: JobInfo): void {
    if (info.state !== 'done' || this.opts.mode === 'cli' || (info.method !== 'library.import' && info.method !== 'library.resumeImport')) return;
    const photoIds = (info.result as { photoIds?: number[] } | undefined)?.photoIds ?? [];
    if (!photoIds.length || !this.settings.read().settings.findPeopleAfterImport) return;
    // A run over the whole library already going reaches the new photos (they come after the ones it has done).
    if (this.jobs.list().some((j) => j.method === 'people.find' && (j.state === 'running' || j.state === 'queued') && j.label === jobLabel('people.find', {}))) return;
    try {
      this.startJob('people.find', { photoIds });
    } catch {
      // The import itself is done; finding people can be started by hand.
    }
  }

  /** Settings the engine reads from its environment at start (threads, tile size); the caller's explicit workerEnv wins. */
  private applySettingsToEnv(): void {
    const { threads, tileSize } = this.settings.read().settings;
    for (const [key, value] of [['RESTORA_THREADS', threads], ['RESTORA_TILE_SIZE', tileSize]] as const) {
      if (this.opts.workerEnv?.[key] !== undefined) continue;
      if (value > 0) this.env[key] = String(value);
      else delete this.env[key];
    }
  }

  /** Restarts the engine with the current settings when no engine job is running. */
  private async restartEngine(): Promise<boolean> {
    this.applySettingsToEnv();
    if (this.jobs.list(true).some((j) => j.method.startsWith('engine.') && (j.state === 'running' || j.state === 'queued'))) return false;
    await this.slots.engine.restart();
    return true;
  }

  /** Keeps the cache under the size the settings allow (after jobs that write to it). */
  private trimCache(): void {
    const limit = this.settings.read().settings.cacheLimitMB * 2 ** 20;
    const keep = new Set(this.previews.values());
    trimFolder(path.join(this.opts.dataDir, 'cache'), limit, keep);
  }

  get dataDir(): string {
    return this.opts.dataDir;
  }

  /** Starts both workers and waits until they answer. */
  async start(): Promise<void> {
    fs.mkdirSync(this.opts.dataDir, { recursive: true });
    await Promise.all([this.slots.library.ensureStarted(), this.slots.engine.ensureStarted()]);
  }

  /** Stops both workers cleanly (see WorkerSlot.stop); resolves when they have exited. */
  async stop(): Promise<void> {
    await Promise.all([this.slots.library.stop(), this.slots.engine.stop()]);
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
    const spec = methodSpec(methodName);
    if (spec.exposure === 'internal' && caller === 'renderer') {
      throw new RestoraError('UnknownMethod', `Unknown method: ${methodName}`);
    }
    if (isJobMethod(methodName)) return { jobId: this.submitJob(methodName, parseParams(methodName, rawParams ?? {})) };
    return this.answer(methodName, parseParams(methodName, rawParams ?? {}));
  }

  /** Typed call for trusted code (CLI, orchestrations, tests). */
  async invoke<M extends NonJobMethodName>(m: M, params: Params<M>): Promise<Result<M>> {
    return this.answer(m, parseParams(m, params));
  }

  /** Starts a job for trusted code and returns its id; follow it with `jobs.wait` or the job events. */
  startJob<M extends JobMethodName>(m: M, params: Params<M>): string {
    return this.submitJob(m, parseParams(m, params));
  }

  /** Submits a job and waits for its result; throws its error if it failed or was cancelled. */
  async runJob<M extends JobMethodName>(m: M, params: Params<M>, onProgress?: (p: JobProgress) => void): Promise<Result<M>> {
    return this.awaitJob(m, this.startJob(m, params), onProgress);
  }

  /** Waits for a submitted job, forwarding its progress, and returns its result or throws its error. */
  private async awaitJob<M extends JobMethodName>(m: M, jobId: string, onProgress?: (p: JobProgress) => void): Promise<Result<M>> {
    const off = onProgress
      ? this.onEvent((name, payload) => {
          if (name === 'job.progress' && (payload as JobProgress).jobId === jobId) onProgress(payload as JobProgress);
        })
      : () => undefined;
    try {
      return parseResult(m, this.jobOutcome(await this.jobs.wait(jobId)));
    } finally {
      off();
    }
  }

  private jobOutcome(info: JobInfo): unknown {
    if (info.state === 'done') return info.result;
    const err = info.error ?? { code: 'Internal' as const, message: `Job ended as ${info.state}` };
    throw RestoraError.fromWire(err);
  }

  /** A method that answers at once: the broker's own (host) or its worker's, checked against the contract. */
  private async answer<M extends NonJobMethodName>(m: M, params: ParsedParams<M>): Promise<Result<M>> {
    const service = methodSpec(m).service;
    const raw = service === 'host' ? await this.hostHandler(m)(params, null) : await this.slots[service].request(m, params);
    return parseResult(m, raw);
  }

  /**
   * The host handler of `m` (a job's gets its context, others none). The
   * parameters were validated against m's own schema; TypeScript cannot follow
   * a method name through the map, so the table is seen through the signature
   * every handler satisfies, as the worker runtime does.
   */
  private hostHandler(m: MethodName): (params: unknown, ctx: JobRunContext | null) => unknown {
    const table: Partial<Record<MethodName, (params: never, ctx: never) => unknown>> = this.host;
    const handler = table[m];
    if (!handler) throw new RestoraError('UnknownMethod', `${m} has no host handler`);
    return (params, ctx) => handler(params as never, ctx as never);
  }

  private submitJob(m: JobMethodName, params: unknown, parentId?: string): string {
    const spec = methods[m];
    const label = jobLabel(m, params);
    const family = parentId ? { parentId } : {};
    if (spec.service === 'host') {
      const run = this.hostHandler(m);
      return this.jobs.submit({
        method: m,
        label,
        queue: 'host',
        ...family,
        pausable: m === 'restore.batch' || m === 'restore.folder',
        run: async (ctx) => {
          try {
            return parseResult(m, await run(params, ctx));
          } finally {
            this.trimCache();
          }
        },
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
      ...family,
      run: async (ctx) => parseResult(m, await slot.request(m, params, ctx.jobId)),
      requestStop: (jobId) => slot.cancel(jobId),
      kill: () => slot.kill(),
    });
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
      return { path: file, mime: /\.jpe?g$/i.test(file) ? 'image/jpeg' : /\.webp$/i.test(file) ? 'image/webp' : 'image/png' };
    }
    return this.invoke('library.resolveMedia', ref);
  }

  /** Runs a worker job on behalf of a host job, linking them for cancellation. */
  private async runChildJob<M extends JobMethodName>(parentCtx: JobRunContext, m: M, params: Params<M>, onProgress: (p: JobProgress) => void): Promise<Result<M>> {
    const parent = parentCtx.jobId;
    const jobId = this.submitJob(m, parseParams(m, params), parent);
    this.childJobs.set(parent, jobId);
    try {
      if (parentCtx.signal.aborted) this.jobs.cancel(jobId);
      return await this.awaitJob(m, jobId, onProgress);
    } finally {
      this.childJobs.delete(parent);
    }
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
