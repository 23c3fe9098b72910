/** Methods answered by the broker itself (Electron main or the browser-mode host). */
import { z } from 'zod';
import { method, job } from '../rpc.js';
import { JobInfo, JobRef } from '../jobs.js';
import { RestoreSettings } from '../recipe.js';
import { Geometry } from '../geometry.js';
import { Analysis, DamageMaskInfo, Region } from './engine.js';
import { SteeringRecord } from '../instructions/slots.js';

export const WorkerStatus = z.object({
  service: z.enum(['library', 'engine']),
  state: z.enum(['starting', 'ready', 'crashed', 'stopped']),
  pid: z.number().int().nullable(),
  restarts: z.number().int(),
  message: z.string().max(1000).optional(),
});
export type WorkerStatus = z.infer<typeof WorkerStatus>;

export const hostMethods = {
  'app.info': method('host', {
    doc: 'Version, run mode, data directory and worker status.',
    params: z.object({}).strict(),
    result: z.object({
      name: z.literal('Restora'),
      version: z.string(),
      mode: z.enum(['electron', 'browser', 'cli']),
      dataDir: z.string(),
      platform: z.string(),
      runtime: z.object({ node: z.string(), electron: z.string().nullable() }),
      workers: z.array(WorkerStatus),
    }),
  }),
  'jobs.list': method('host', {
    doc: 'The jobs of this session, newest first; the steps a job runs for itself (its engine pass) only with includeSteps.',
    params: z.object({ includeSteps: z.boolean().default(false) }).strict(),
    result: z.array(JobInfo),
  }),
  'jobs.clear': method('host', {
    doc: 'Forgets the finished jobs (done, failed, cancelled); running and paused ones stay.',
    params: z.object({}).strict(),
    result: z.object({ removed: z.array(z.string()) }),
  }),
  'jobs.pause': method('host', {
    doc: 'Pauses a pausable job (a batch) after the photo it is working on.',
    params: JobRef.strict(),
    result: JobInfo,
  }),
  'jobs.resume': method('host', {
    doc: 'Resumes a paused job.',
    params: JobRef.strict(),
    result: JobInfo,
  }),
  'jobs.get': method('host', { doc: 'One job.', params: JobRef.strict(), result: JobInfo }),
  'jobs.cancel': method('host', {
    doc: 'Asks a job to stop. A worker that does not stop within a second is killed and restarted.',
    params: JobRef.strict(),
    result: JobInfo,
  }),
  'restore.analyze': method('host', {
    doc: 'Analyses a catalog photo (cropped and turned as `geometry` says): damage estimates, faces, suggested instructions.',
    params: z.object({ photoId: z.number().int().positive(), geometry: Geometry.optional() }).strict(),
    result: Analysis,
  }),
  'restore.sourcePreview': method('host', {
    doc: 'A photo cropped, turned and straightened as `geometry` says, at preview size (served as a preview id), to choose a region on.',
    params: z.object({ photoId: z.number().int().positive(), geometry: Geometry }).strict(),
    result: z.object({ previewId: z.number().int().positive(), width: z.number().int(), height: z.number().int() }),
  }),
  'restore.preview': job('host', {
    doc: 'Restores one region of a photo with the given settings, for a quick before/after look. Nothing is saved in the library.',
    label: (p) => `Preview of photo ${p.photoId}`,
    params: z.object({
      photoId: z.number().int().positive(),
      settings: RestoreSettings,
      region: Region,
      /** Repair with the mask the user edited (restore.uploadMask). */
      editedMask: z.boolean().optional(),
    }).strict(),
    result: z.object({
      beforeId: z.number().int().positive(),
      afterId: z.number().int().positive(),
      semanticTokens: z.array(z.string()),
      /** Every setting as understood (words, edits, what the photo decided), for the chips. */
      understood: SteeringRecord.optional(),
      seconds: z.number(),
    }),
  }),
  'restore.photo': job('host', {
    doc: 'Restores a catalog photo and stores the result as a new version with its recipe.',
    label: (p) => `Restore photo ${p.photoId}`,
    params: z.object({
      photoId: z.number().int().positive(),
      settings: RestoreSettings,
      label: z.string().max(200).optional(),
      /** Repair with the damage mask a version of this photo used (its recipe's damage.mask, e.g. one the user edited) instead of detecting it again. */
      repeatMaskOf: z.number().int().positive().optional(),
      /** Repair with the mask the user edited in the Restore panel (restore.uploadMask) instead of detecting it. */
      editedMask: z.boolean().optional(),
    }).strict(),
    result: z.object({ photoId: z.number().int(), versionId: z.number().int() }),
  }),
  'restore.detectDamage': job('host', {
    doc: 'Finds the damage in a catalog photo (cropped and turned as `geometry` says) and returns the repair mask at full size as a preview id (greyscale PNG, white = repair), to show and edit.',
    label: (p) => `Find damage in photo ${p.photoId}`,
    params: z.object({ photoId: z.number().int().positive(), geometry: Geometry.optional(), instruction: z.string().max(10_000).default('') }).strict(),
    result: DamageMaskInfo.extend({ maskId: z.number().int().positive() }),
  }),
  'restore.uploadMask': method('host', {
    doc: 'Sends the damage mask the user edited (a PNG the size of the photo as restored; light opaque pixels are repaired) in base64 parts of at most 600,000 characters; the last part checks and keeps it for restores and previews with `editedMask`.',
    params: z.object({
      photoId: z.number().int().positive(),
      geometry: Geometry.optional(),
      uploadId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/),
      part: z.number().int().min(0).max(255),
      parts: z.number().int().min(1).max(256),
      data: z.string().max(600_000).regex(/^[A-Za-z0-9+/]*={0,2}$/),
    }).strict(),
    result: z.object({ done: z.boolean(), width: z.number().int().optional(), height: z.number().int().optional() }),
  }),
} as const;
