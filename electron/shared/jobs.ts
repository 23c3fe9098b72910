/** Job bookkeeping types: the states a long operation goes through and its progress. */
import { z } from 'zod';
import { WireError } from './errors.js';

export const JobId = z.string().regex(/^job-[a-z0-9-]{1,48}$/);
export type JobId = z.infer<typeof JobId>;

/** 'paused': a pausable job (a batch) waiting between two items for jobs.resume. */
export const JobState = z.enum(['queued', 'running', 'paused', 'done', 'failed', 'cancelled']);
export type JobState = z.infer<typeof JobState>;

export const JobProgress = z.object({
  jobId: JobId,
  /** Short machine name of the current stage, e.g. 'decode', 'faces', 'tiles'. */
  stage: z.string().max(64),
  /** Overall completion 0..1 across all stages. */
  fraction: z.number().min(0).max(1),
  /** Seconds left, estimated from the observed rate; null until there is a rate. */
  etaSeconds: z.number().nonnegative().nullable(),
  elapsedSeconds: z.number().nonnegative(),
  /** What the user reads, e.g. 'Tile 12 of 48'. */
  message: z.string().max(500).optional(),
  /** Stage-specific numbers (items done, loss, ...). */
  data: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])).optional(),
});
export type JobProgress = z.infer<typeof JobProgress>;

export const JobInfo = z.object({
  jobId: JobId,
  method: z.string().max(100),
  label: z.string().max(200),
  state: JobState,
  submittedAt: z.number(),
  startedAt: z.number().optional(),
  finishedAt: z.number().optional(),
  progress: JobProgress.optional(),
  error: WireError.optional(),
  result: z.unknown().optional(),
  /** Set for a step another job runs (e.g. the engine pass of a restore): lists show the job that started it. */
  parentId: JobId.optional(),
  /** Whether jobs.pause applies (batches pause between photos). */
  pausable: z.boolean().optional(),
  /** Pause was asked while an item was in progress: the job pauses when that item is done. */
  pauseRequested: z.boolean().optional(),
});
export type JobInfo = z.infer<typeof JobInfo>;

export const JobRef = z.object({ jobId: JobId });

export function isFinished(state: JobState): boolean {
  return state === 'done' || state === 'failed' || state === 'cancelled';
}
