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
import { startFinetune, resumeFinetune, listRuns, makePair, type FinetuneDeps } from './finetune-jobs.js';

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
    'jobs.list': () => h.jobs.list(),
    'jobs.get': (p) => h.jobs.get(p.jobId),
    'jobs.cancel': (p) => h.jobs.cancel(p.jobId),
    'restore.analyze': async (p) => {
      const source = await h.invoke('library.photoSource', { photoId: p.photoId });
      const analysis = await h.invoke('engine.analyze', { input: source.path });
      // What was found is kept: the Faces filter and the photo view read it from the library.
      if (analysis.facesDetected) await h.invoke('library.storeFaces', { photoId: p.photoId, faces: analysis.faces });
      return analysis;
    },
    'restore.preview': (p, ctx) => restorePreview(p, ctx, { ...restoring(ctx), registerPreview: (file) => h.registerPreview(file) }),
    'restore.photo': (p, ctx) =>
      restorePhoto(p, ctx, {
        ...restoring(ctx),
        runChild: <M extends JobMethodName>(m: M, pp: Params<M>, onProgress: (p: JobProgress) => void) => {
          const remote = h.remoteRestore;
          if (remote && m === 'engine.restoreFile') return remote(pp as Params<'engine.restoreFile'>, onProgress) as Promise<Result<M>>;
          return h.runChild(ctx, m, pp, onProgress);
        },
        emitChanged: (photoId) => h.versionsChanged(photoId),
        newFileName: () => `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`,
        path,
      }),
    'finetune.start': (p, ctx) => startFinetune(p, ctx, finetune(ctx)),
    'finetune.resume': (p, ctx) => resumeFinetune(p, ctx, finetune(ctx)),
    'finetune.pair': (p, ctx) => makePair(p, ctx, finetune(ctx)),
    'finetune.runs': () => listRuns(finetune(null)),
  };
}
