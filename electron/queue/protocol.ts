/**
 * Names and timings shared by submitters and workers. Restore jobs for one set
 * of models and one queue format live in their own BullMQ queue
 * (`restore-v<protocol>-<models>`), so a worker only ever sees jobs it may
 * run: a queue of jobs from an older version, or made for other models, stays
 * untouched (nothing lost) until a matching worker takes it.
 */
import { QUEUE_PROTOCOL } from '../shared/queue-job.js';

/** Prefix of every key Restora writes on the queue server (BullMQ's and its own). */
export const PREFIX = 'restora';

export function queueName(modelsFingerprint: string, protocol = QUEUE_PROTOCOL): string {
  return `restore-v${protocol}-${modelsFingerprint.slice(0, 16)}`;
}

/** Parses a queue name made by queueName (any protocol version). */
export function parseQueueName(name: string): { protocol: number; models: string } | null {
  const m = /^restore-v(\d+)-([0-9a-f]{16})$/.exec(name);
  return m ? { protocol: Number(m[1]), models: m[2]! } : null;
}

export const keys = {
  blob: (sha256: string) => `${PREFIX}:blob:${sha256}`,
  batch: (id: string) => `${PREFIX}:batch:${id}`,
  batchItems: (id: string) => `${PREFIX}:batch:${id}:items`,
  worker: (name: string) => `${PREFIX}:worker:${name}`,
  workerPattern: `${PREFIX}:worker:*`,
  /** What a queue holds: the models and version of the submitters that filled it (for messages). */
  queueInfo: (queue: string) => `${PREFIX}:queue-info:${queue}`,
  queueInfoPattern: `${PREFIX}:queue-info:*`,
};

function envMs(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v >= 200 ? v : fallback;
}

/**
 * How long a worker's claim on a job lasts without renewal (renewed at half
 * that by the worker's event loop, which stays free because the engine runs in
 * a child process), and how often workers look for claims that lapsed (a
 * killed worker's job goes back to the queue then). Tests and the benchmark
 * shorten both with RESTORA_QUEUE_LOCK_MS.
 */
export function timings(): { lockMs: number; stalledCheckMs: number } {
  const lockMs = envMs('RESTORA_QUEUE_LOCK_MS', 20_000);
  return { lockMs, stalledCheckMs: Math.max(200, Math.round(lockMs / 2)) };
}

/** A job runs at most this often: the first time and two retries (the engine crashed, the photo could not be fetched). */
export const ATTEMPTS = 3;
/** A job whose worker vanished this many times is failed rather than handed out again. */
export const MAX_STALLS = 2;
/** Photos and results expire from the queue's store after this long, in case a submitter never comes back. */
export const BLOB_TTL_SECONDS = 7 * 24 * 3600;
export const BATCH_TTL_SECONDS = 30 * 24 * 3600;
/** A worker that has not said it is alive for this long is gone. */
export const WORKER_TTL_SECONDS = 15;
