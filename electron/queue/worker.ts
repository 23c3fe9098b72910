/**
 * `restora worker --queue redis://HOST:PORT [--concurrency N] [--device D]`:
 * takes restore jobs from the queue for this machine's models and runs them
 * on N engine processes, one job each. A worker killed mid-job loses nothing:
 * its claim lapses and another worker takes the job again (BullMQ's stalled
 * jobs). The queue server going away pauses the worker until it returns.
 */
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'bullmq';
import { QUEUE_PROTOCOL } from '../shared/queue-job.js';
import type { ExecutionDevice } from '../shared/recipe.js';
import { BlobStore } from './blob-store.js';
import { connectQueue } from './connection.js';
import { EnginePool } from './engine-pool.js';
import { runQueueJob, parseFailure } from './job-runner.js';
import { modelSet } from './models.js';
import { PREFIX, queueName, timings, MAX_STALLS } from './protocol.js';
import { otherQueuesNotice } from './queue-info.js';
import { keepAnnounced } from './registry.js';

export interface QueueWorkerOptions {
  url: string;
  concurrency: number;
  device?: ExecutionDevice;
  dataDir: string;
  logDir: string;
  version: string;
  log(line: string): void;
}

export interface RunningWorker {
  name: string;
  queue: string;
  /** Stops taking jobs; waits for running ones unless `now`. */
  stop(now?: boolean): Promise<void>;
}

export async function startQueueWorker(o: QueueWorkerOptions): Promise<RunningWorker> {
  const conn = await connectQueue(o.url);
  const engines = new EnginePool(o.concurrency, { dataDir: o.dataDir, logDir: o.logDir, version: o.version });
  let worker: Worker | null = null;
  try {
    const info = await engines.start();
    const models = modelSet(info);
    const queue = queueName(models.fingerprint);
    const name = `${os.hostname().replace(/[^\w.-]/g, '_')}-${process.pid}`;
    const { lockMs, stalledCheckMs } = timings();
    o.log(`Restora ${o.version} worker ${name} on ${conn.address.display}: queue ${queue}, ${o.concurrency} engine(s), device ${o.device ?? 'as each job asks'}`);
    o.log(`Models: ${models.models.map((m) => `${m.id} ${m.version}`).join(', ') || 'none (classical restorer)'}`);
    for (const line of await otherQueuesNotice(conn.client, { queue, protocol: QUEUE_PROTOCOL, models: models.models })) o.log(`Note: ${line}`);

    const blobs = new BlobStore(conn.client);
    const startedAt = Date.now();
    let busy = 0;
    worker = new Worker(
      queue,
      async (job) => {
        busy++;
        try {
          return await runQueueJob(job, {
            blobs,
            engines,
            fingerprint: models.fingerprint,
            workerName: name,
            version: o.version,
            tmpDir: path.join(o.dataDir, 'tmp', 'queue'),
            ...(o.device ? { device: o.device } : {}),
          });
        } finally {
          busy--;
        }
      },
      {
        connection: conn.client,
        prefix: PREFIX,
        name,
        concurrency: o.concurrency,
        lockDuration: lockMs,
        stalledInterval: stalledCheckMs,
        maxStalledCount: MAX_STALLS,
        // Results are collected by their submitter and recorded in its batch; finished jobs need not pile up.
        removeOnComplete: { age: 24 * 3600, count: 10_000 },
        removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
        autorun: false,
      },
    );
    const label = (job: { id?: string | undefined; data?: { name?: unknown } }) => `job ${job.id} (${typeof job.data?.name === 'string' ? job.data.name : '?'})`;
    worker.on('active', (job) => o.log(`${label(job)}: started${job.attemptsStarted > 1 ? ` (try ${job.attemptsStarted})` : ''}`));
    worker.on('completed', (job) => o.log(`${label(job)}: done in ${(job.returnvalue as { worker?: { seconds?: number } })?.worker?.seconds?.toFixed(1) ?? '?'} s`));
    worker.on('failed', (job, err) => o.log(`${job ? label(job) : 'a job'}: failed: ${parseFailure(err.message).message}`));
    // Connection trouble is reported once per outage by onStatus; BullMQ repeats it for every command.
    worker.on('error', () => undefined);
    conn.onStatus((up, reason) => o.log(up ? `${reason}; taking jobs again` : `${reason}; waiting for it to come back`));

    const unannounce = keepAnnounced(conn.client, () => ({
      name,
      version: o.version,
      protocol: QUEUE_PROTOCOL,
      queue,
      fingerprint: models.fingerprint,
      models: models.models,
      engines: o.concurrency,
      device: o.device ?? 'cpu',
      busy,
      startedAt,
    }));
    void worker.run();
    await worker.waitUntilReady();
    o.log('Waiting for jobs (Ctrl-C to stop)');
    const w = worker;
    return {
      name,
      queue,
      async stop(now = false) {
        await w.close(now).catch(() => undefined);
        await unannounce();
        await engines.stop();
        await conn.close();
      },
    };
  } catch (err) {
    await worker?.close(true).catch(() => undefined);
    await engines.stop();
    await conn.close();
    throw err;
  }
}
