/**
 * What travels through the restore queue (BullMQ on Redis) between a
 * submitter and the workers on other machines. A job names its photo by
 * content (sha256) and carries the same RestoreSettings a local request would;
 * a result names its restored file by content and carries the recipe. Both
 * sides parse everything they take from the queue with these schemas.
 */
import { z } from 'zod';
import { Recipe, RestoreSettings } from './recipe.js';

/** Bumped whenever job or result shapes change; it is part of the queue's name, so versions never mix. */
export const QUEUE_PROTOCOL = 1;

/** Largest photo (and restored file) the queue's store carries. */
export const MAX_QUEUE_PHOTO_BYTES = 128 * 1024 * 1024;

export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'not a sha256 in hex');

/** A file in the queue's store: its content hash and size. */
export const BlobRef = z.object({
  sha256: Sha256,
  bytes: z.number().int().positive().max(MAX_QUEUE_PHOTO_BYTES, `photos larger than ${MAX_QUEUE_PHOTO_BYTES / 2 ** 20} MiB do not travel through the queue`),
}).strict();
export type BlobRef = z.infer<typeof BlobRef>;

/** Batch ids are made by submitters; they also name the batch's jobs, so they stay short and plain. */
export const BatchId = z.string().regex(/^b[a-z0-9]{6,40}$/, 'not a batch id');

export const QueueJobData = z.object({
  protocol: z.literal(QUEUE_PROTOCOL),
  batch: BatchId,
  /** Position of the photo in its batch. */
  item: z.number().int().min(0).max(10_000_000),
  /** The photo's file name, for logs and messages only (never used as a path). */
  name: z.string().min(1).max(255),
  input: BlobRef,
  settings: RestoreSettings,
  /** Fingerprint of the submitter's models (see electron/queue/models.ts); a worker with others refuses the job. */
  models: Sha256,
  submitter: z.object({ version: z.string().max(40), host: z.string().max(255) }).strict(),
}).strict();
export type QueueJobData = z.infer<typeof QueueJobData>;
export type QueueJobInput = z.input<typeof QueueJobData>;

export const QueueJobResult = z.object({
  protocol: z.literal(QUEUE_PROTOCOL),
  /** What was restored and with which models: checked by the submitter against what it asked. */
  input: Sha256,
  models: Sha256,
  output: BlobRef,
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  recipe: Recipe,
  worker: z.object({ name: z.string().max(255), version: z.string().max(40), seconds: z.number().nonnegative() }).strict(),
}).strict();
export type QueueJobResult = z.infer<typeof QueueJobResult>;

/** What a worker reports with job progress (the same fields a local job's progress has). */
export const QueueProgress = z.object({
  stage: z.string().max(64),
  fraction: z.number().min(0).max(1),
  etaSeconds: z.number().nonnegative().nullable(),
  message: z.string().max(500).optional(),
  worker: z.string().max(255),
}).strict();
export type QueueProgress = z.infer<typeof QueueProgress>;
