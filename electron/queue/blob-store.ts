/**
 * Photos and restored files travel through the queue server itself, stored by
 * content: the key is the sha256 of the bytes, and whoever reads a blob hashes
 * it again, so a photo altered or truncated on the way is refused rather than
 * restored (or a wrong result accepted). Blobs expire after a week in case
 * nobody comes back for them; the submitter deletes them once collected.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RestoraError } from '../shared/errors.js';
import { MAX_QUEUE_PHOTO_BYTES, type BlobRef } from '../shared/queue-job.js';
import { BLOB_TTL_SECONDS, keys } from './protocol.js';

export function sha256(buf: Uint8Array): string {
  return createHash('sha256').update(buf).digest('hex');
}

export function tooLarge(what: string, bytes: number): RestoraError {
  return new RestoraError('TooLarge', `${what} is ${(bytes / 2 ** 20).toFixed(1)} MiB; the queue carries files up to ${MAX_QUEUE_PHOTO_BYTES / 2 ** 20} MiB`);
}

export class BlobStore {
  constructor(private readonly redis: Redis) {}

  /** Stores bytes under their hash (a no-op when already there, apart from refreshing the expiry). */
  async put(buf: Buffer, what: string): Promise<BlobRef> {
    if (buf.length > MAX_QUEUE_PHOTO_BYTES) throw tooLarge(what, buf.length);
    if (buf.length === 0) throw new RestoraError('CorruptInput', `${what} is empty`);
    const ref = { sha256: sha256(buf), bytes: buf.length };
    const key = keys.blob(ref.sha256);
    const created = await this.redis.set(key, buf, 'EX', BLOB_TTL_SECONDS, 'NX');
    if (created === null) await this.redis.expire(key, BLOB_TTL_SECONDS);
    return ref;
  }

  /** The bytes of a blob, checked against its hash and size; NotFound or CorruptInput otherwise. */
  async get(ref: BlobRef, what: string): Promise<Buffer> {
    const buf = await this.redis.getBuffer(keys.blob(ref.sha256));
    if (!buf) throw new RestoraError('NotFound', `${what} is not in the queue's store (it expired or was removed); submit it again`);
    if (buf.length !== ref.bytes || sha256(buf) !== ref.sha256) {
      throw new RestoraError('CorruptInput', `${what} was altered on the way: its content no longer matches its sha256 ${ref.sha256.slice(0, 12)}…`);
    }
    return buf;
  }

  async has(sha: string): Promise<boolean> {
    return (await this.redis.exists(keys.blob(sha))) === 1;
  }

  async remove(...shas: string[]): Promise<void> {
    if (shas.length) await this.redis.del(...shas.map(keys.blob));
  }
}
