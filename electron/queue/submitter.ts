/**
 * Drives a batch through the queue: sends photos (a bounded window at a time,
 * so the server's memory holds a few photos, not the whole collection), follows
 * their jobs, checks each result against what was asked (same photo, same
 * models, content hash, image size, the contract's result shape) and hands it
 * to the caller to store. Idempotent: jobs are named by batch and position, so
 * sending one twice is a no-op, and a job the server lost is simply sent again.
 */
import { Queue, QueueEvents } from 'bullmq';
import { methods } from '../shared/contract/index.js';
import { EtaEstimator } from '../shared/eta.js';
import { ErrorCode, RestoraError, toWireError } from '../shared/errors.js';
import type { JobProgress } from '../shared/jobs.js';
import { describeIssues } from '../shared/rpc.js';
import { QUEUE_PROTOCOL, QueueJobData, QueueJobResult, QueueProgress } from '../shared/queue-job.js';
import { BlobStore } from './blob-store.js';
import { BatchStore, CLAIM_SECONDS, jobIdOf, ownerId, thisHost, type BatchItem, type BatchMeta, type ItemResult } from './batch.js';
import type { QueueConnection } from './connection.js';
import { parseFailure } from './job-runner.js';
import { pngSize } from './png-size.js';
import { ATTEMPTS, PREFIX } from './protocol.js';

export interface ItemHooks {
  /** The photo's bytes: a file, or a library original. */
  read(item: BatchItem): Promise<Buffer>;
  /** Stores a checked result where it belongs (a file, a new version) and says what became of it. */
  collect(item: BatchItem, result: QueueJobResult, png: Buffer): Promise<ItemResult>;
}

export interface DriveOptions {
  conn: QueueConnection;
  meta: BatchMeta;
  items: BatchItem[];
  hooks: ItemHooks;
  log(line: string): void;
  onProgress?(p: JobProgress): void;
}

const WINDOW = 32;
const WINDOW_BYTES = 512 * 1024 * 1024;
const RECONCILE_MS = 2000;

const finished = (it: BatchItem) => it.state === 'done' || it.state === 'failed';

export async function driveBatch(o: DriveOptions): Promise<BatchItem[]> {
  const { conn, meta, items } = o;
  const store = new BatchStore(conn.client);
  const blobs = new BlobStore(conn.client);
  const owner = ownerId();
  if (!(await store.claim(meta.id, owner, CLAIM_SECONDS))) {
    throw new RestoraError('Conflict', `Batch ${meta.id} is being followed by another submitter; try again when it has stopped (or in ${CLAIM_SECONDS} s if it was killed)`);
  }
  const queue = new Queue(meta.queue, { connection: conn.client, prefix: PREFIX });
  // BullMQ reads events on a blocking connection of its own, made from this one.
  const events = new QueueEvents(meta.queue, { connection: conn.client, prefix: PREFIX });
  events.on('error', () => undefined);
  const byJob = new Map(items.map((it) => [jobIdOf(meta.id, it.index), it]));
  const fractions = new Map<number, number>();
  const eta = new EtaEstimator();
  let wake: (() => void) | null = null;
  const poke = () => wake?.();
  let rewrite = false;

  const report = () => {
    if (!o.onProgress) return;
    const done = items.filter(finished).length;
    const running = items.filter((it) => it.state === 'sent' && (fractions.get(it.index) ?? 0) > 0).length;
    const fraction = meta.total ? (done + [...fractions.values()].reduce((a, b) => a + b, 0)) / meta.total : 1;
    o.onProgress({ jobId: 'job-queue', stage: 'queue', fraction: Math.min(1, fraction), etaSeconds: eta.update(fraction), elapsedSeconds: eta.elapsedSeconds(), message: `${done} of ${meta.total} done, ${running} restoring` });
  };

  events.on('progress', ({ jobId, data }) => {
    const it = byJob.get(jobId);
    const p = QueueProgress.safeParse(data);
    if (!it || !p.success || finished(it)) return;
    fractions.set(it.index, p.data.fraction);
    report();
  });
  events.on('completed', ({ jobId }) => byJob.has(jobId) && poke());
  events.on('failed', ({ jobId }) => byJob.has(jobId) && poke());
  const offStatus = conn.onStatus((up, reason) => {
    if (up) {
      rewrite = true;
      o.log(`${reason}; carrying on`);
      poke();
    } else o.log(`${reason}. Waiting for it to come back; what was sent is kept (reattach later with: restora queue status ${meta.id})`);
  });

  const save = (it: BatchItem) => store.update(meta.id, it);
  const sharedInput = (sha: string, except: BatchItem) => items.some((x) => x !== except && !finished(x) && x.input?.sha256 === sha);

  const finish = async (it: BatchItem, patch: Pick<BatchItem, 'state'> & Partial<BatchItem>, outputSha?: string) => {
    Object.assign(it, patch);
    fractions.delete(it.index);
    await save(it);
    const drop = [...(outputSha ? [outputSha] : []), ...(it.input && !sharedInput(it.input.sha256, it) ? [it.input.sha256] : [])];
    await blobs.remove(...drop);
    await queue.remove(jobIdOf(meta.id, it.index)).catch(() => undefined);
  };

  const fail = (it: BatchItem, err: unknown) => {
    const wire = toWireError(err);
    return finish(it, { state: 'failed', error: { code: wire.code, message: wire.message } });
  };

  const send = async (it: BatchItem) => {
    let buf: Buffer;
    try {
      buf = await o.hooks.read(it);
    } catch (err) {
      return fail(it, err);
    }
    try {
      it.input = await blobs.put(buf, `The photo ${it.name}`);
    } catch (err) {
      return fail(it, err);
    }
    const data = QueueJobData.parse({
      protocol: QUEUE_PROTOCOL,
      batch: meta.id,
      item: it.index,
      name: it.name,
      input: it.input,
      settings: meta.settings,
      models: meta.models,
      submitter: { version: meta.version, host: thisHost() },
    });
    await queue.add('restore', data, { jobId: jobIdOf(meta.id, it.index), attempts: ATTEMPTS, backoff: { type: 'exponential', delay: 2000 } });
    it.state = 'sent';
    await save(it);
  };

  const collect = async (it: BatchItem, returned: unknown) => {
    const parsed = QueueJobResult.safeParse(returned);
    if (!parsed.success) return fail(it, new RestoraError('BadRequest', `The worker's answer for ${it.name} breaks the contract: ${describeIssues(parsed.error)}`));
    const r = parsed.data;
    if (r.input !== it.input?.sha256 || r.models !== meta.models || r.recipe.instruction !== (meta.settings.instruction ?? '')) {
      return fail(it, new RestoraError('Conflict', `The result for ${it.name} is not what was asked (another photo, other models or another instruction); it was not used`));
    }
    try {
      const png = await blobs.get(r.output, `The restored ${it.name}`);
      const size = pngSize(png);
      if (!size || size.width !== r.width || size.height !== r.height) throw new RestoraError('CorruptInput', `The restored ${it.name} is not the ${r.width}×${r.height} PNG its worker reported`);
      const checked = methods['engine.restoreFile'].result.safeParse({ output: it.source.kind === 'file' ? it.source.output : it.name, width: r.width, height: r.height, recipe: r.recipe });
      if (!checked.success) throw new RestoraError('BadRequest', `The result for ${it.name} breaks the contract: ${describeIssues(checked.error)}`);
      const result = await o.hooks.collect(it, r, png);
      await finish(it, { state: 'done', result }, r.output.sha256);
    } catch (err) {
      await fail(it, err);
    }
  };

  const reconcile = async () => {
    const sent = items.filter((it) => it.state === 'sent');
    const states = await Promise.all(sent.map((it) => queue.getJobState(jobIdOf(meta.id, it.index))));
    for (const [i, it] of sent.entries()) {
      const state = states[i];
      if (state === 'completed' || state === 'failed') {
        const job = await queue.getJob(jobIdOf(meta.id, it.index));
        if (!job) continue;
        if (state === 'completed') await collect(it, job.returnvalue);
        else {
          const f = parseFailure(job.failedReason);
          const code = ErrorCode.safeParse(f.code).success ? (f.code as ErrorCode) : 'Internal';
          await fail(it, new RestoraError(code, `${f.message}${job.attemptsMade > 1 ? ` (after ${job.attemptsMade} tries)` : ''}`));
        }
      } else if (state === 'unknown') {
        // The server lost the job (restarted without its data): send the photo again.
        await send(it);
      }
    }
  };

  const refill = async () => {
    let inFlight = items.filter((it) => it.state === 'sent');
    let bytes = inFlight.reduce((a, it) => a + (it.input?.bytes ?? 0), 0);
    for (const it of items) {
      if (inFlight.length >= WINDOW || bytes >= WINDOW_BYTES) break;
      if (it.state !== 'planned') continue;
      await send(it);
      // send() may have failed the item instead.
      if ((it.state as BatchItem['state']) === 'sent') {
        inFlight = [...inFlight, it];
        bytes += it.input?.bytes ?? 0;
      }
      report();
    }
  };

  try {
    report();
    while (!items.every(finished)) {
      if (!(await store.claim(meta.id, owner, CLAIM_SECONDS))) throw new RestoraError('Conflict', `Another submitter took over batch ${meta.id}`);
      if (rewrite) {
        rewrite = false;
        await store.save(meta, items);
      }
      await refill();
      await reconcile();
      report();
      if (items.every(finished)) break;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, RECONCILE_MS);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wake = null;
    }
    return items;
  } finally {
    offStatus();
    await events.close().catch(() => undefined);
    await queue.close().catch(() => undefined);
    await store.release(meta.id, owner).catch(() => undefined);
  }
}
