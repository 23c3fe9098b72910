/**
 * What each restore queue on the server is for: the submitters that fill a
 * queue describe it (queue format, Restora version, models), so a worker can
 * say in plain words which waiting photos it will not take, and why.
 */
import { z } from 'zod';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { BATCH_TTL_SECONDS, keys, PREFIX } from './protocol.js';
import { describeDifference, type ModelSet } from './models.js';

const QueueInfo = z.object({
  queue: z.string().max(200),
  protocol: z.number().int(),
  version: z.string().max(40),
  models: z.array(z.object({ id: z.string().max(100), version: z.string().max(40), sha256: z.string().max(64) })).max(50),
});
type QueueInfo = z.infer<typeof QueueInfo>;

export async function describeQueue(redis: Redis, info: QueueInfo): Promise<void> {
  await redis.set(keys.queueInfo(info.queue), JSON.stringify(info), 'EX', BATCH_TTL_SECONDS);
}

async function allQueueInfos(redis: Redis): Promise<QueueInfo[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', keys.queueInfoPattern, 'COUNT', 200);
    cursor = next;
    found.push(...batch);
  } while (cursor !== '0' && found.length < 1000);
  const values = found.length ? await redis.mget(...found) : [];
  return values.flatMap((v) => {
    try {
      const p = QueueInfo.safeParse(JSON.parse(v ?? 'null'));
      return p.success ? [p.data] : [];
    } catch {
      return [];
    }
  });
}

/** Sentences about photos waiting in other queues than `mine` (other models, other queue formats). */
export async function otherQueuesNotice(redis: Redis, mine: { queue: string; protocol: number; models: ModelSet['models'] }): Promise<string[]> {
  const lines: string[] = [];
  for (const info of await allQueueInfos(redis)) {
    if (info.queue === mine.queue) continue;
    const q = new Queue(info.queue, { connection: redis, prefix: PREFIX });
    try {
      const c = await q.getJobCounts('wait', 'delayed', 'prioritized', 'active');
      const waiting = Object.values(c).reduce((a, b) => a + b, 0);
      if (!waiting) continue;
      lines.push(
        info.protocol !== mine.protocol
          ? `${waiting} photo(s) wait from Restora ${info.version} (queue format ${info.protocol}; this worker speaks ${mine.protocol}): run a worker of that version for them, or submit them again with this one. They are kept.`
          : `${waiting} photo(s) wait for workers with other models (${describeDifference(mine.models, info.models, 'here', 'theirs')}); this worker will not take them: results must come from the same model versions.`,
      );
    } finally {
      await q.close().catch(() => undefined);
    }
  }
  return lines;
}
