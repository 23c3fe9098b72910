/** Methods answered by the broker itself (Electron main or the browser-mode host). */
import { z } from 'zod';
import { method, job } from '../rpc.js';
import { JobInfo, JobRef } from '../jobs.js';
import { RestoreSettings } from '../recipe.js';
import { Analysis, Region } from './engine.js';
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
    doc: 'All jobs of this session, newest first.',
    params: z.object({}).strict(),
    result: z.array(JobInfo),
  }),
  'jobs.get': method('host', { doc: 'One job.', params: JobRef.strict(), result: JobInfo }),
  'jobs.cancel': method('host', {
    doc: 'Asks a job to stop. A worker that does not stop within a second is killed and restarted.',
    params: JobRef.strict(),
    result: JobInfo,
  }),
  'restore.analyze': method('host', {
    doc: 'Analyses a catalog photo: damage estimates, faces, suggested instructions.',
    params: z.object({ photoId: z.number().int().positive() }).strict(),
    result: Analysis,
  }),
  'restore.preview': job('host', {
    doc: 'Restores one region of a photo with the given settings, for a quick before/after look. Nothing is saved in the library.',
    label: (p) => `Preview of photo ${p.photoId}`,
    params: z.object({ photoId: z.number().int().positive(), settings: RestoreSettings, region: Region }).strict(),
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
    params: z.object({ photoId: z.number().int().positive(), settings: RestoreSettings, label: z.string().max(200).optional() }).strict(),
    result: z.object({ photoId: z.number().int(), versionId: z.number().int() }),
  }),
} as const;
