/**
 * Maps every 'host' contract method to the broker's own functions, as
 * library/handlers.ts does for the library worker: one line per method,
 * parameters already validated against the contract, results checked against
 * it by the broker. Jobs among them get the job's context (cancellation,
 * progress) and run their worker steps as linked child jobs.
 */
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { MethodName, Methods, NonJobMethodName, JobMethodName, Params, ParsedParams, Result } from '../shared/contract/index.js';
import type { WorkerStatus } from '../shared/contract/host.js';
import type { JobProgress } from '../shared/jobs.js';
import { RestoraError } from '../shared/errors.js';
import type { JobManager, JobRunContext } from './job-manager.js';
import { restorePhoto } from './restore-photo.js';
import { restorePreview } from './restore-preview.js';
import { detectDamageMask, MaskUploads } from './damage-mask.js';
import { startFinetune, resumeFinetune, listRuns, makePair, type FinetuneDeps } from './finetune-jobs.js';
import { restoreBatch, restoreFolder, type BatchRegistry } from './restore-batch.js';
import type { SettingsStore } from './settings-store.js';
import { browseFolder } from './folder-browser.js';
import { folderBytes, trimFolder } from './cache-space.js';
import { analyzePhoto } from './analyze-photo.js';
import { findPeople } from './find-people.js';

export type HostMethodName = { [M in MethodName]: Methods[M]['service'] extends 'host' ? M : never }[MethodName];

export type HostHandler<M extends MethodName> = Methods[M]['job'] extends true
  ? (params: ParsedParams<M>, ctx: JobRunContext) => Promise<Result<M>>
  : (params: ParsedParams<M>) => Promise<Result<M>> | Result<M>;

/** Restores one photo elsewhere (the job queue) with the local engine's contract. */
export type RemoteRestore = (params: Params<'engine.restoreFile'>, onProgress: (p: JobProgress) => void) => Promise<Result<'engine.restoreFile'>>;

export type HostHandlers = { [M in HostMethodName]: HostHandler<M> };

/** What of the broker the host methods use. */
export interface HostServices {
  readonly dataDir: string;
  readonly jobs: JobManager;
  /** Version, run mode and worker status, as app.info reports them. */
  about(): { version: string; mode: 'electron' | 'browser' | 'cli'; electronVersion: string | null; workers: WorkerStatus[] };
  invoke<M extends NonJobMethodName>(m: M, p: Params<M>): Promise<Result<M>>;
  /** Runs a worker job for the host job `parent`, so cancelling the parent reaches it. */
  runChild<M extends JobMethodName>(parent: JobRunContext, m: M, p: Params<M>, onProgress: (p: JobProgress) => void): Promise<Result<M>>;
  /** A file in the data folder the UI may load as a preview by the id returned. */
  registerPreview(file: string): number;
  /** Tells every UI that a photo's versions changed. */
  versionsChanged(photoId: number): void;
  /** Fine-tuning runs with a job going on now (so the list can say "running", and a run never trains twice at once). */
  readonly activeRuns: Set<string>;
  /** Photo lists of batch jobs, for batch.status. */
  readonly batches: BatchRegistry;
  readonly settings: SettingsStore;
  /** Restarts the engine with the current settings if it has no job; false when it is busy (the change applies at its next start). */
  restartEngine(): Promise<boolean>;
  /** Tells every UI that finished jobs left the list. */
  jobsCleared(jobIds: string[]): void;
  /** When set (the library's queue setting), a photo's engine step goes through the job queue instead of the local engine. */
  readonly remoteRestore?: RemoteRestore;
}

export function hostHandlers(h: HostServices): HostHandlers {
  const finetune = (ctx: JobRunContext | null): FinetuneDeps => ({
    dataDir: h.dataDir,
    invoke: (m, p) => h.invoke(m, p),
    runChild: (m, p, onProgress) => {
      if (!ctx) throw new RestoraError('Internal', 'no job context');
      return h.runChild(ctx, m, p, onProgress);
    },
    registerPreview: (file) => h.registerPreview(file),
    active: h.activeRuns,
  });
  const restoring = (ctx: JobRunContext) => ({
    dataDir: h.dataDir,
    invoke: h.invoke.bind(h),
    runChild: <M extends JobMethodName>(m: M, p: Params<M>, onProgress: (p: JobProgress) => void) => h.runChild(ctx, m, p, onProgress),
  });
  const versions = (ctx: JobRunContext) => ({
    ...restoring(ctx),
    // With the library's queue setting, a photo's engine step goes through the job queue instead of the local engine.
    runChild: <M extends JobMethodName>(m: M, pp: Params<M>, onProgress: (p: JobProgress) => void) => {
      const remote = h.remoteRestore;
      if (remote && m === 'engine.restoreFile') return remote(pp as Params<'engine.restoreFile'>, onProgress) as Promise<Result<M>>;
      return h.runChild(ctx, m, pp, onProgress);
    },
    emitChanged: (photoId: number) => h.versionsChanged(photoId),
    newFileName: () => `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`,
    path,
  });
  const cacheDir = path.join(h.dataDir, 'cache');
  const maskUploads = new MaskUploads({ dataDir: h.dataDir, invoke: h.invoke.bind(h) });
  const limitBytes = () => h.settings.read().settings.cacheLimitMB * 2 ** 20;
  return {
    'app.info': () => {
      const a = h.about();
      return {
        name: 'Restora',
        version: a.version,
        mode: a.mode,
        dataDir: h.dataDir,
        platform: `${process.platform}-${process.arch}`,
        runtime: { node: process.versions.node, electron: a.electronVersion },
        workers: a.workers,
      };
    },
    'jobs.list': (p) => h.jobs.list(p.includeSteps),
    'jobs.get': (p) => h.jobs.get(p.jobId),
    'jobs.cancel': (p) => h.jobs.cancel(p.jobId),
    'jobs.pause': (p) => h.jobs.pause(p.jobId),
    'jobs.resume': (p) => h.jobs.resume(p.jobId),
    'jobs.clear': () => {
      const removed = h.jobs.clearFinished();
      h.batches.forget(removed);
      if (removed.length) h.jobsCleared(removed.slice(0, 1000));
      return { removed };
    },
    'restore.analyze': (p) => analyzePhoto(p, h),
    'restore.sourcePreview': async (p) => {
      const shaped = await h.invoke('library.geometrySource', { photoId: p.photoId, geometry: p.geometry, size: 'preview' });
      return { previewId: h.registerPreview(shaped.path), width: shaped.width, height: shaped.height };
    },
    'restore.preview': (p, ctx) => restorePreview(p, ctx, { ...restoring(ctx), registerPreview: (file) => h.registerPreview(file) }),
    'restore.photo': (p, ctx) => restorePhoto(p, ctx, versions(ctx)),
    'restore.detectDamage': (p, ctx) => detectDamageMask(p, ctx, { ...restoring(ctx), registerPreview: (f) => h.registerPreview(f) }),
    'restore.uploadMask': (p) => maskUploads.receive(p),
    'restore.batch': (p, ctx) => restoreBatch(p, ctx, { ...versions(ctx), batches: h.batches, registerPreview: (f) => h.registerPreview(f) }),
    'restore.folder': (p, ctx) => restoreFolder(p, ctx, { ...versions(ctx), batches: h.batches, registerPreview: (f) => h.registerPreview(f) }),
    'batch.status': (p) => {
      if (h.batches.has(p.jobId)) return h.batches.status(p.jobId);
      const job = h.jobs.get(p.jobId);
      if (job.method !== 'restore.batch' && job.method !== 'restore.folder') throw new RestoraError('NotFound', `No batch ${p.jobId}`);
      // Just started: still reading its photos' names.
      return { jobId: p.jobId, items: [], etaSeconds: null };
    },
    'settings.get': () => ({ ...h.settings.read(), file: h.settings.file }),
    'settings.set': async (p) => {
      const before = h.settings.read().settings;
      const settings = h.settings.write(p);
      const engineRestarted = settings.threads !== before.threads || settings.tileSize !== before.tileSize ? await h.restartEngine() : false;
      if (settings.cacheLimitMB < before.cacheLimitMB) trimFolder(cacheDir, settings.cacheLimitMB * 2 ** 20);
      return { settings, file: h.settings.file, engineRestarted };
    },
    'files.browse': (p) => browseFolder(p.path),
    'cache.info': () => ({ thumbnailsBytes: folderBytes(path.join(h.dataDir, 'thumbnails')), cacheBytes: folderBytes(cacheDir), limitBytes: limitBytes() }),
    'cache.clear': () => ({ freedBytes: trimFolder(cacheDir, 0) }),
    'people.find': (p, ctx) => findPeople(p, ctx, restoring(ctx)),
    'finetune.start': (p, ctx) => startFinetune(p, ctx, finetune(ctx)),
    'finetune.resume': (p, ctx) => resumeFinetune(p, ctx, finetune(ctx)),
    'finetune.pair': (p, ctx) => makePair(p, ctx, finetune(ctx)),
    'finetune.runs': () => listRuns(finetune(null)),
  };
}
