/**
 * `npm run bench:queue [-- --photos N] [--size WxH] [--lock-seconds S]`
 * Restoring through the queue (BullMQ on a local redis-server, loopback) with
 * 1 and 2 worker processes, beside a local restore of the same photos in the
 * same run: photos per minute, the queue's overhead per job (end to end and on
 * the worker: fetching and storing photos, progress), whether the results are
 * byte-identical to the local ones, the time to recover a job after its worker
 * is killed, and the figures that bound scaling out (a queue round trip, photo
 * transfer through the server). Workers on one machine share its cores (each
 * gets cores / workers threads), so 2 workers here measure the queue, not a
 * second machine. Prints a table; the last line is one JSON object. A
 * benchmark, never a test.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { Broker } from '../electron/broker/broker.js';
import { nodeSpawner } from '../electron/host/node-worker.js';
import { BlobStore } from '../electron/queue/blob-store.js';
import { fileHooks, planFileItems } from '../electron/queue/file-items.js';
import { submitBatch } from '../electron/queue/session.js';
import type { BatchItem } from '../electron/queue/batch.js';
import { writeTestPhoto } from '../devkit/images.js';
import { requireBuild } from '../devkit/services.js';
import { startRedis, startWorker, type RedisServer, type WorkerProc } from '../devkit/redis.js';

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const PHOTOS = Number(arg('photos') ?? 8);
const [W, H] = (arg('size') ?? '640x480').split('x').map(Number) as [number, number];
const LOCK_S = Number(arg('lock-seconds') ?? 20);
const CORES = os.availableParallelism?.() ?? os.cpus().length;
const SETTINGS = { instruction: 'remove the scratches and the noise' };

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const quiet = { log: () => undefined };

async function localRun(files: string[], work: string) {
  const broker = new Broker({ spawn: nodeSpawner(), dataDir: path.join(work, 'home-local'), mode: 'cli', version: 'bench' });
  await broker.start();
  await broker.runJob('engine.restoreFile', { input: files[0]!, output: path.join(work, 'warm.png'), settings: SETTINGS });
  const out = path.join(work, 'local');
  fs.mkdirSync(out, { recursive: true });
  const engine: number[] = [];
  const t0 = performance.now();
  for (const f of files) {
    const r = await broker.runJob('engine.restoreFile', { input: f, output: path.join(out, `${path.basename(f, '.png')}-restored.png`), settings: SETTINGS });
    engine.push(r.recipe.totalSeconds);
  }
  const wall = (performance.now() - t0) / 1000;
  return { broker, out, wall, engine };
}

async function queueRun(redis: RedisServer, broker: Broker, files: string[], outDir: string) {
  const t0 = performance.now();
  const { items } = await submitBatch({ url: redis.url, kind: 'files', items: planFileItems(files, outDir), settings: SETTINGS, broker, hooks: fileHooks, version: 'bench', ...quiet });
  const wall = (performance.now() - t0) / 1000;
  const failed = items.filter((it) => it.state !== 'done');
  if (failed.length) throw new Error(`queue run failed: ${failed.map((it) => it.error?.message).join('; ')}`);
  return { wall, items };
}

function workers(redis: RedisServer, n: number): WorkerProc[] {
  const threads = String(Math.max(1, Math.floor(CORES / n)));
  return Array.from({ length: n }, () => startWorker(redis.url, { env: { RESTORA_THREADS: threads, RESTORA_QUEUE_LOCK_MS: String(LOCK_S * 1000) } }));
}

/** One photo per worker first, so each engine has loaded its models before anything is timed. */
async function warm(redis: RedisServer, broker: Broker, files: string[], work: string) {
  await queueRun(redis, broker, files, path.join(work, `warm-${randomBytes(3).toString('hex')}`));
}

/** A round trip through BullMQ alone: add a job, an in-process worker answers at once, the result is read back. */
async function roundTrip(redis: RedisServer): Promise<number> {
  const conn = new Redis({ port: redis.port, host: '127.0.0.1', maxRetriesPerRequest: null });
  const name = 'bench-roundtrip';
  const q = new Queue(name, { connection: conn, prefix: 'restora-bench' });
  // BullMQ makes its own blocking connections from this one, and closes them; ours is closed below.
  const events = new QueueEvents(name, { connection: conn, prefix: 'restora-bench' });
  const w = new Worker(name, async (job) => job.data, { connection: conn, prefix: 'restora-bench', removeOnComplete: { count: 0 } });
  await Promise.all([w.waitUntilReady(), events.waitUntilReady()]);
  const times: number[] = [];
  for (let i = 0; i < 40; i++) {
    const t = performance.now();
    const job = await q.add('ping', { i });
    await job.waitUntilFinished(events, 10_000);
    times.push(performance.now() - t);
  }
  await w.close();
  await events.close();
  await q.close();
  conn.disconnect();
  return mean(times.slice(5));
}

/** Storing and fetching (with the hash check) a photo-sized blob through the server. */
async function transfer(redis: RedisServer): Promise<{ mb: number; putMBs: number; getMBs: number }> {
  const conn = new Redis({ port: redis.port, host: '127.0.0.1', maxRetriesPerRequest: null });
  const blobs = new BlobStore(conn);
  const buf = randomBytes(24 * 1024 * 1024);
  let put = 0, get = 0;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const ref = await blobs.put(buf, 'bench blob');
    put += performance.now() - t;
    const t2 = performance.now();
    await blobs.get(ref, 'bench blob');
    get += performance.now() - t2;
    await blobs.remove(ref.sha256);
  }
  conn.disconnect();
  const mb = buf.length / 2 ** 20;
  return { mb, putMBs: (3 * mb) / (put / 1000), getMBs: (3 * mb) / (get / 1000) };
}

async function recovery(redis: RedisServer, broker: Broker, file: string, work: string): Promise<{ takenAgainS: number; resultS: number }> {
  const ws = workers(redis, 2);
  try {
    await Promise.all(ws.map((w) => w.waitFor(/Waiting for jobs/, 120_000)));
    await warm(redis, broker, [file, file], work);
    const since = ws.map((w) => w.output().length);
    const run = queueRun(redis, broker, [file], path.join(work, 'recovery'));
    const first = await Promise.race(ws.map((w, i) => w.waitFor(/job (\S+) \(\S+\): started/, 120_000, since[i]).then((m) => ({ w, job: m[1]! }))));
    const victim = first.w;
    const survivor = ws.find((w) => w !== victim)!;
    victim.proc.kill('SIGKILL');
    const killed = performance.now();
    await survivor.waitFor(new RegExp(`job ${first.job} \\(\\S+\\): started`), 300_000);
    const takenAgainS = (performance.now() - killed) / 1000;
    await run;
    return { takenAgainS, resultS: (performance.now() - killed) / 1000 };
  } finally {
    await Promise.all(ws.map((w) => w.stop()));
  }
}

async function main() {
  requireBuild();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-qbench-'));
  const files: string[] = [];
  for (let i = 0; i < PHOTOS; i++) {
    const f = path.join(work, 'in', `photo-${i}.png`);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    await writeTestPhoto(f, W, H, 100 + i);
    files.push(f);
  }
  console.log(`Restora queue benchmark · ${PHOTOS} photos of ${W}×${H} · ${CORES} cores (${os.cpus()[0]?.model ?? 'cpu'}) · redis on loopback · queue lock ${LOCK_S} s`);
  const redis = await startRedis();
  const local = await localRun(files, work);
  const rows: Array<Record<string, number | string | boolean>> = [];
  const perPhoto = local.wall / PHOTOS;
  // Time per photo outside the engine, in the same run: the engine's own speed swings on a shared machine,
  // so the queue's cost is what it adds to that, not the difference of two totals.
  const localOutside = perPhoto - mean(local.engine);
  rows.push({ run: 'local engine', workers: 0, photosPerMin: 60 / perPhoto, secondsPerPhoto: perPhoto, engineSecondsPerPhoto: mean(local.engine), overheadPerJobS: 0, workerOverheadS: 0, identical: true });
  try {
    for (const n of [1, 2]) {
      const ws = workers(redis, n);
      try {
        await Promise.all(ws.map((w) => w.waitFor(/Waiting for jobs/, 120_000)));
        await warm(redis, local.broker, files.slice(0, n), work);
        const out = path.join(work, `queue-${n}`);
        const { wall, items } = await queueRun(redis, local.broker, files, out);
        const identical = items.every((it: BatchItem) => it.source.kind === 'file' && fs.readFileSync(it.source.output).equals(fs.readFileSync(path.join(local.out, path.basename(it.source.path, '.png') + '-restored.png'))));
        const engine = items.map((it) => it.result!.seconds);
        const busy = items.map((it) => it.result!.worker);
        // On the worker, around the engine: fetching the photo, writing it out, storing the result.
        const around = items.map((it) => (it.result!.workerSeconds ?? NaN) - it.result!.seconds);
        const s = wall / PHOTOS;
        rows.push({
          run: `queue, ${n} worker${n > 1 ? 's' : ''}`,
          workers: n,
          photosPerMin: 60 / s,
          secondsPerPhoto: s,
          // With one worker, jobs run one after another as locally: what it adds outside the engine is the queue's cost per job.
          overheadPerJobS: n === 1 ? s - mean(engine) - localOutside : NaN,
          engineSecondsPerPhoto: mean(engine),
          workerOverheadS: mean(around),
          workersUsed: new Set(busy).size,
          identical,
        });
      } finally {
        await Promise.all(ws.map((w) => w.stop()));
      }
    }
    const rt = await roundTrip(redis);
    const tx = await transfer(redis);
    const rec = await recovery(redis, local.broker, files[0]!, work);

    console.log('');
    console.log('run                 photos/min  s/photo  queue overhead/job  on the worker  engine s/photo  workers used  identical to local');
    for (const r of rows) {
      const f = (v: unknown, d = 2) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : '—');
      console.log(`${String(r.run).padEnd(20)}${f(r.photosPerMin, 1).padStart(10)}${f(r.secondsPerPhoto).padStart(9)}${(f(r.overheadPerJobS) + ' s').padStart(20)}${(f(r.workerOverheadS) + ' s').padStart(15)}${f(r.engineSecondsPerPhoto).padStart(16)}${String(r.workersUsed ?? '—').padStart(14)}${String(r.identical).padStart(20)}`);
    }
    console.log('');
    console.log(`queue round trip (add → worker → result, BullMQ alone): ${rt.toFixed(1)} ms`);
    console.log(`photo transfer through the server (${tx.mb.toFixed(0)} MiB, sha256 checked on fetch): store ${tx.putMBs.toFixed(0)} MiB/s, fetch ${tx.getMBs.toFixed(0)} MiB/s`);
    console.log(`worker killed mid-job: job taken again after ${rec.takenAgainS.toFixed(1)} s, result in ${rec.resultS.toFixed(1)} s (lock ${LOCK_S} s, stalled check every ${LOCK_S / 2} s)`);
    console.log(JSON.stringify({ bench: 'queue', photos: PHOTOS, width: W, height: H, cores: CORES, lockSeconds: LOCK_S, runs: rows, queueRoundTripMs: rt, transfer: tx, recovery: rec }));
  } finally {
    await local.broker.stop();
    await redis.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
