/**
 * Who is working: each worker keeps a short-lived record on the queue server
 * (its models, version, engines, device), renewed every few seconds. A
 * submitter reads them to refuse, before sending anything, a queue whose
 * workers all have other models; `restora queue status` lists them.
 */
import { z } from 'zod';
import type { Redis } from 'ioredis';
import { keys, WORKER_TTL_SECONDS } from './protocol.js';

export const WorkerRecord = z.object({
  name: z.string().max(255),
  version: z.string().max(40),
  protocol: z.number().int(),
  queue: z.string().max(200),
  fingerprint: z.string().max(64),
  models: z.array(z.object({ id: z.string().max(100), version: z.string().max(40), sha256: z.string().max(64) })).max(50),
  engines: z.number().int(),
  device: z.string().max(20),
  busy: z.number().int(),
  startedAt: z.number(),
});
export type WorkerRecord = z.infer<typeof WorkerRecord>;

/** Keeps this worker's record fresh until the returned function is called (which removes it). */
export function keepAnnounced(redis: Redis, record: () => WorkerRecord): () => Promise<void> {
  const write = () => redis.set(keys.worker(record().name), JSON.stringify(record()), 'EX', WORKER_TTL_SECONDS).catch(() => undefined);
  void write();
  const timer = setInterval(write, (WORKER_TTL_SECONDS * 1000) / 3);
  timer.unref();
  return async () => {
    clearInterval(timer);
    // The server may be gone; the record expires by itself then.
    await Promise.race([redis.del(keys.worker(record().name)).catch(() => undefined), new Promise((r) => setTimeout(r, 500).unref())]);
  };
}

export async function liveWorkers(redis: Redis): Promise<WorkerRecord[]> {
  const names: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', keys.workerPattern, 'COUNT', 500);
    cursor = next;
    names.push(...found);
  } while (cursor !== '0' && names.length < 10_000);
  if (!names.length) return [];
  const values = await redis.mget(...names);
  return values.flatMap((v) => {
    if (!v) return [];
    try {
      const parsed = WorkerRecord.safeParse(JSON.parse(v));
      return parsed.success ? [parsed.data] : [];
    } catch {
      return [];
    }
  });
}
