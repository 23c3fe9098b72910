/**
 * A batch: the photos one `restora restore --queue` sends, recorded on the
 * queue server so a submitter that exits can reattach (`restora queue status
 * BATCH`): what was asked (settings, models), each photo's source and where its
 * result goes, and how far each has come. The submitter also keeps it in
 * memory and writes it again if the server lost its data.
 */
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Redis } from 'ioredis';
import { RestoreSettings } from '../shared/recipe.js';
import { WireError } from '../shared/errors.js';
import { BatchId, BlobRef, Sha256 } from '../shared/queue-job.js';
import { BATCH_TTL_SECONDS, keys } from './protocol.js';

export const BatchMeta = z.object({
  id: BatchId,
  kind: z.enum(['files', 'library']),
  queue: z.string().max(200),
  protocol: z.number().int(),
  version: z.string().max(40),
  models: Sha256,
  settings: RestoreSettings,
  host: z.string().max(255),
  /** The submitter's data folder: library results are recorded there. */
  dataDir: z.string().max(4096),
  createdAt: z.number(),
  total: z.number().int().nonnegative(),
});
export type BatchMeta = z.infer<typeof BatchMeta>;

export const ItemResult = z.object({
  output: z.string().max(4096).optional(),
  versionId: z.number().int().optional(),
  /** The engine's time (as a local restore reports it). */
  seconds: z.number(),
  /** The worker's whole time on the job: fetching the photo, the engine, storing the result. */
  workerSeconds: z.number().optional(),
  mode: z.string().max(20),
  seed: z.number().int().nullable(),
  worker: z.string().max(255),
  notices: z.array(z.string().max(2000)).max(50).default([]),
});
export type ItemResult = z.infer<typeof ItemResult>;

export const BatchItem = z.object({
  index: z.number().int().nonnegative(),
  name: z.string().max(255),
  source: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('file'), path: z.string().max(4096), output: z.string().max(4096) }),
    z.object({ kind: z.literal('photo'), photoId: z.number().int().positive() }),
  ]),
  state: z.enum(['planned', 'sent', 'done', 'failed']),
  input: BlobRef.optional(),
  result: ItemResult.optional(),
  error: WireError.optional(),
});
export type BatchItem = z.infer<typeof BatchItem>;

export function newBatchId(): string {
  return `b${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}

export function jobIdOf(batch: string, index: number): string {
  return `${batch}-${index}`;
}

export function thisHost(): string {
  return os.hostname().slice(0, 255);
}

/** Who drives a batch: this process. */
export function ownerId(): string {
  return `${thisHost()}-${process.pid}`;
}

/** A batch's driver renews its claim every few seconds; a killed one lets go after this long. */
export const CLAIM_SECONDS = 10;

export class BatchStore {
  constructor(private readonly redis: Redis) {}

  async save(meta: BatchMeta, items: BatchItem[]): Promise<void> {
    const multi = this.redis.multi().set(keys.batch(meta.id), JSON.stringify(meta), 'EX', BATCH_TTL_SECONDS);
    for (let i = 0; i < items.length; i += 1000) {
      const chunk = items.slice(i, i + 1000).flatMap((it) => [String(it.index), JSON.stringify(it)]);
      multi.hset(keys.batchItems(meta.id), ...chunk);
    }
    await multi.expire(keys.batchItems(meta.id), BATCH_TTL_SECONDS).exec();
  }

  async update(batch: string, item: BatchItem): Promise<void> {
    await this.redis.hset(keys.batchItems(batch), String(item.index), JSON.stringify(item));
  }

  async load(batch: string): Promise<{ meta: BatchMeta; items: BatchItem[] } | null> {
    const id = BatchId.safeParse(batch);
    if (!id.success) return null;
    const [rawMeta, rawItems] = await Promise.all([this.redis.get(keys.batch(batch)), this.redis.hgetall(keys.batchItems(batch))]);
    if (!rawMeta) return null;
    const meta = BatchMeta.parse(JSON.parse(rawMeta));
    const items = Object.values(rawItems)
      .map((v) => BatchItem.parse(JSON.parse(v)))
      .sort((a, b) => a.index - b.index);
    return { meta, items };
  }

  /** Claims the right to drive the batch (send photos, collect results) for a while; false when someone else has it. */
  async claim(batch: string, owner: string, seconds: number): Promise<boolean> {
    const key = `${keys.batch(batch)}:owner`;
    if ((await this.redis.set(key, owner, 'EX', seconds, 'NX')) === 'OK') return true;
    if ((await this.redis.get(key)) !== owner) return false;
    await this.redis.expire(key, seconds);
    return true;
  }

  async release(batch: string, owner: string): Promise<void> {
    const key = `${keys.batch(batch)}:owner`;
    if ((await this.redis.get(key)) === owner) await this.redis.del(key);
  }
}
