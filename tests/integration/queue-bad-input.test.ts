/**
 * Bad input around the queue, against real redis-servers and real workers: an
 * unreachable URL, wrong or missing passwords (never printed), jobs on the
 * queue that break the contract or whose photo is missing or altered, a
 * worker whose models differ from the submitter's, and a queue of jobs from an
 * older queue format (kept, and named, not taken).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Broker } from '../../electron/broker/broker.js';
import { nodeSpawner } from '../../electron/host/node-worker.js';
import { shippedModelsDir } from '../../electron/node/app-paths.js';
import { BlobStore, sha256 } from '../../electron/queue/blob-store.js';
import { MAX_QUEUE_PHOTO_BYTES } from '../../electron/shared/queue-job.js';
import { modelSet } from '../../electron/queue/models.js';
import { keys, PREFIX, queueName } from '../../electron/queue/protocol.js';
import { requireBuild, runCli, tempDir } from '../../devkit/services.js';
import { writeTestPhoto } from '../../devkit/images.js';
import { freePort, startRedis, startWorker, type RedisServer, type WorkerProc } from '../../devkit/redis.js';

requireBuild();
const home = tempDir();
const work = tempDir('restora-qbad-');
const servers: RedisServer[] = [];
const workers: WorkerProc[] = [];
let photo: string;
let fingerprint: string;

before(async () => {
  photo = path.join(work, 'photo.png');
  await writeTestPhoto(photo, 64, 48, 2);
  const broker = new Broker({ spawn: nodeSpawner(), dataDir: home, mode: 'cli', version: 'test' });
  try {
    fingerprint = modelSet(await broker.invoke('engine.info', {})).fingerprint;
  } finally {
    await broker.stop();
  }
});
after(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await Promise.all(servers.map((s) => s.stop()));
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

async function server(opts: { password?: string } = {}): Promise<RedisServer> {
  const s = await startRedis(opts);
  servers.push(s);
  return s;
}

const restora = (...args: string[]) => runCli(home, args, 120_000);

test('an unreachable queue is named, with what to check, at once', async () => {
  const url = `redis://127.0.0.1:${await freePort()}`;
  const t0 = Date.now();
  const r = restora('restore', photo, '-o', path.join(work, 'out'), '--queue', url);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /Cannot reach the queue server at redis:\/\/127\.0\.0\.1:\d+ \(connection refused: is redis-server running there/);
  const w = restora('worker', '--queue', url);
  assert.equal(w.status, 1);
  assert.match(w.stderr, /Cannot reach the queue server/);
  assert.ok(Date.now() - t0 < 60_000);
  const bad = restora('restore', photo, '-o', path.join(work, 'out'), '--queue', 'http://:secret@127.0.0.1:80');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /must start with redis:\/\//);
  assert.doesNotMatch(bad.stderr, /secret/);
});

test('a wrong or missing password is refused with a clear message, and never printed', async () => {
  const s = await server({ password: 'right-horse-battery' });
  const wrong = restora('restore', photo, '-o', path.join(work, 'out'), '--queue', `redis://:wrong-staple@127.0.0.1:${s.port}`);
  assert.equal(wrong.status, 1);
  assert.match(wrong.stderr, /The queue server at redis:\/\/127\.0\.0\.1:\d+ refused the password/);
  assert.doesNotMatch(wrong.stdout + wrong.stderr, /wrong-staple/);
  const none = restora('worker', '--queue', `redis://127.0.0.1:${s.port}`);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /needs a password/);
  const w = startWorker(s.url);
  workers.push(w);
  await w.waitFor(/Waiting for jobs/);
  assert.doesNotMatch(w.output(), /right-horse-battery/);
  await w.stop();
});

test('a worker with other models is refused by the submitter, naming the difference', async () => {
  const s = await server();
  // The same shipped models, but the restorer's manifest claims another version and hash.
  const models = tempDir('restora-qmodels-');
  for (const e of fs.readdirSync(shippedModelsDir(), { withFileTypes: true })) {
    if (!e.isDirectory()) continue;
    const from = path.join(shippedModelsDir(), e.name);
    fs.mkdirSync(path.join(models, e.name));
    for (const f of fs.readdirSync(from)) fs.symlinkSync(path.join(from, f), path.join(models, e.name, f));
  }
  const manifestFile = path.join(models, 'restora-restorer', 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  fs.rmSync(manifestFile);
  fs.writeFileSync(manifestFile, JSON.stringify({ ...manifest, version: '9.9.9', sha256: 'ab'.repeat(32) }));
  const w = startWorker(s.url, { env: { RESTORA_MODELS_DIR: models } });
  workers.push(w);
  await w.waitFor(/Waiting for jobs/);
  const r = restora('restore', photo, '-o', path.join(work, 'mismatch'), '--queue', s.url);
  assert.equal(r.status, 1);
  // the shipped restorer's version and the start of its hash, as this computer describes them
  const here = `restora-restorer ${manifest.version.replace(/\./g, '\\.')} \\(${manifest.sha256.slice(0, 8)}…\\)`;
  assert.match(r.stderr, new RegExp(`Refused: the 1 worker\\(s\\) on redis://127\\.0\\.0\\.1:\\d+ restore with other models than this computer \\(${here} here, 9\\.9\\.9 \\(abababab…\\) on \\S+\\)\\. Results must come from the same model versions`));
  assert.ok(!fs.existsSync(path.join(work, 'mismatch')) || fs.readdirSync(path.join(work, 'mismatch')).length === 0);
  await w.stop();
  fs.rmSync(models, { recursive: true, force: true });
});

test('jobs on the queue that break the contract, or whose photo is missing or altered, fail at once with their reason', async () => {
  const s = await server();
  const redis = new Redis({ port: s.port, host: '127.0.0.1', maxRetriesPerRequest: null });
  // An older Restora's queue with a photo waiting: the worker names it and leaves it alone.
  const oldQueueName = queueName(fingerprint, 0);
  const oldQueue = new Queue(oldQueueName, { connection: redis, prefix: PREFIX });
  await oldQueue.add('restore', { protocol: 0, anything: 'older' }, { jobId: 'old-1' });
  await redis.set(keys.queueInfo(oldQueueName), JSON.stringify({ queue: oldQueueName, protocol: 0, version: '0.0.9', models: [] }));

  const w = startWorker(s.url);
  workers.push(w);
  await w.waitFor(/Waiting for jobs/);
  assert.match(w.output(), /Note: 1 photo\(s\) wait from Restora 0\.0\.9 \(queue format 0; this worker speaks 1\).*They are kept\./);

  const queue = new Queue(queueName(fingerprint), { connection: redis, prefix: PREFIX });
  const good = fs.readFileSync(photo);
  const put = async (buf: Buffer) => {
    await redis.set(keys.blob(sha256(buf)), buf);
    return { sha256: sha256(buf), bytes: buf.length };
  };
  const base = { protocol: 1, batch: 'btest0001', name: 'photo.png', settings: { instruction: '' }, models: fingerprint, submitter: { version: 'test', host: 'test' } };
  // Another photo, stored under its own hash with one byte flipped on the way.
  await writeTestPhoto(path.join(work, 'other.png'), 48, 48, 9);
  const other = fs.readFileSync(path.join(work, 'other.png'));
  const altered = { sha256: sha256(other), bytes: other.length };
  await redis.set(keys.blob(altered.sha256), Buffer.concat([other.subarray(0, other.length - 1), Buffer.from([other[other.length - 1]! ^ 1])]));
  const jobs: Record<string, [unknown, RegExp]> = {
    missing: [{ ...base, item: 0, input: { sha256: 'cd'.repeat(32), bytes: 100 } }, /\[NotFound\] The photo photo\.png is not in the queue's store/],
    altered: [{ ...base, item: 1, input: altered }, /\[CorruptInput\] The photo photo\.png was altered on the way/],
    contract: [{ ...base, item: 2, input: await put(good), settings: { fidelity: 5 } }, /\[BadRequest\] Refused a job that breaks the contract: settings\.fidelity/],
    extra: [{ ...base, item: 3, input: await put(good), output: '/etc/passwd' }, /\[BadRequest\] Refused a job that breaks the contract/],
    format: [{ ...base, item: 4, protocol: 0, input: await put(good) }, /\[Unsupported\] This job was made by a Restora speaking queue format 0/],
    models: [{ ...base, item: 5, input: await put(good), models: 'ef'.repeat(32) }, /\[Conflict\] This job was made for other models/],
    garbage: [{ ...base, item: 6, input: await put(Buffer.from('this is not an image at all')) }, /\[(CorruptInput|Unsupported)\]/],
  };
  for (const [id, [data]] of Object.entries(jobs)) await queue.add('restore', data, { jobId: `bad-${id}`, attempts: 3 });
  try {
    for (const [id, [, reason]] of Object.entries(jobs)) {
      let state = '';
      const started = Date.now();
      while (state !== 'failed' && Date.now() - started < 120_000) {
        state = await queue.getJobState(`bad-${id}`);
        if (state !== 'failed') await new Promise((r) => setTimeout(r, 200));
      }
      const failed = (await queue.getJob(`bad-${id}`))!;
      assert.equal(state, 'failed', id);
      assert.match(failed.failedReason, reason, id);
      assert.equal(failed.attemptsMade, 1, `${id} is not tried again`);
    }
    assert.equal(await oldQueue.getJobState('old-1'), 'waiting', 'the older queue\'s job is kept');
  } finally {
    await queue.close();
    await oldQueue.close();
    redis.disconnect();
    await w.stop();
  }
});

test('the store refuses a file whose bytes no longer match its hash, and one too large to carry', async () => {
  const s = await server();
  const redis = new Redis({ port: s.port, host: '127.0.0.1', maxRetriesPerRequest: null });
  try {
    const blobs = new BlobStore(redis);
    const ref = await blobs.put(fs.readFileSync(photo), 'The restored photo.png');
    assert.ok((await blobs.get(ref, 'The restored photo.png')).equals(fs.readFileSync(photo)));
    await redis.setrange(keys.blob(ref.sha256), 100, 'X');
    await assert.rejects(blobs.get(ref, 'The restored photo.png'), /\[?CorruptInput\]?|altered on the way/);
    await assert.rejects(blobs.put(Buffer.alloc(MAX_QUEUE_PHOTO_BYTES + 1), 'A huge scan'), /A huge scan is 128\.0 MiB; the queue carries files up to 128 MiB/);
  } finally {
    redis.disconnect();
  }
});
