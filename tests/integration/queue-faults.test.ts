/**
 * Faults while a batch runs through the queue, on a real redis-server with
 * real workers: a worker killed mid-job (its job is taken again by the other),
 * the queue server restarted and emptied mid-batch (the submitter waits and
 * sends again what was lost), and a job that keeps failing (it ends with its
 * reason after its tries).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { keys } from '../../electron/queue/protocol.js';
import { requireBuild, runCli, tempDir, waitFor } from '../../devkit/services.js';
import { writeTestPhoto } from '../../devkit/images.js';
import { runCliAsync, startRedis, startWorker, type RedisServer, type WorkerProc } from '../../devkit/redis.js';

requireBuild();
let redis: RedisServer;
const workers: WorkerProc[] = [];
const home = tempDir();
const work = tempDir('restora-qfaults-');

before(async () => {
  redis = await startRedis();
  fs.mkdirSync(path.join(work, 'in'));
  await writeTestPhoto(path.join(work, 'in', 'big.png'), 480, 360, 7);
  for (const [i, size] of [[0, 88], [1, 72], [2, 64]] as const) await writeTestPhoto(path.join(work, 'in', `small-${i}.png`), size, size, 11 + i);
});
after(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await redis?.stop();
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

function worker(env: Record<string, string> = {}): WorkerProc {
  const w = startWorker(redis.url, { env });
  workers.push(w);
  return w;
}

test('a worker killed mid-job loses nothing: the other worker takes the job again', async (t) => {
  const a = worker();
  const b = worker();
  t.after(() => Promise.all([a.stop(), b.stop()]).then(() => undefined));
  await Promise.all([a.waitFor(/Waiting for jobs/), b.waitFor(/Waiting for jobs/)]);
  const nameOf = (w: WorkerProc) => /worker (\S+) on /.exec(w.output())![1]!;
  const run = runCliAsync(home, ['restore', path.join(work, 'in', 'big.png'), '-o', path.join(work, 'killed'), '--queue', redis.url, '--json']);
  const first = await Promise.race([a, b].map((w) => w.waitFor(/job (\S+) \(big\.png\): started/, 120_000).then((m) => ({ w, job: m[1]! }))));
  const survivor = first.w === a ? b : a;
  first.w.proc.kill('SIGKILL');
  const killedAt = Date.now();
  await survivor.waitFor(new RegExp(`job ${first.job} \\(big\\.png\\): started`), 60_000);
  t.diagnostic(`job taken again ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill`);
  const r = await run.done;
  assert.equal(r.code, 0, r.stderr);
  const [result] = JSON.parse(r.stdout);
  assert.equal(result.worker, nameOf(survivor));
  assert.ok(fs.statSync(result.output).size > 1000);
  await survivor.stop();
});

test('the queue server restarting empty mid-batch pauses the batch, which resumes and completes', async (t) => {
  const w = worker();
  // Stopped even when an assertion fails, so that it cannot take the next test's jobs.
  t.after(() => w.stop());
  await w.waitFor(/Waiting for jobs/);
  const files = [0, 1, 2].map((i) => path.join(work, 'in', `small-${i}.png`));
  const run = runCliAsync(home, ['restore', ...files, '-o', path.join(work, 'restart'), '--queue', redis.url, '--json']);
  await w.waitFor(/\(small-0\.png\): started/, 120_000);
  await redis.restart(1500);
  const r = await run.done;
  assert.equal(r.code, 0, `${r.stderr}\n${w.output()}`);
  assert.match(r.stderr, /(Lost the connection to|Cannot reach) the queue server at redis:\/\/127\.0\.0\.1:\d+.*Waiting for it to come back/);
  assert.match(r.stderr, /is back; carrying on/);
  const results = JSON.parse(r.stdout) as Array<{ output: string }>;
  assert.equal(results.length, 3);
  for (const x of results) assert.ok(fs.existsSync(x.output), x.output);
  assert.match(w.output(), /waiting for it to come back/);
  await w.stop();
});

test('a submitter that exits can reattach to its batch, which then finishes where the first run said', async (t) => {
  // No worker yet: the photos wait in the queue while the submitter is killed.
  const files = [0, 1].map((i) => path.join(work, 'in', `small-${i}.png`));
  const out = path.join(work, 'reattach');
  const run = runCliAsync(home, ['restore', ...files, '-o', out, '--queue', redis.url]);
  const batch = await waitFor(() => /Batch (b[a-z0-9]+) on/.exec(run.output().stderr)?.[1], 120_000, 'the batch id');
  const redisClient = new Redis({ port: redis.port, host: '127.0.0.1' });
  try {
    for (let i = 0; i < 600; i++) {
      const states = (await redisClient.hvals(keys.batchItems(batch))).map((v) => JSON.parse(v).state);
      if (states.length === 2 && states.every((st) => st === 'sent')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    redisClient.disconnect();
  }
  run.proc.kill('SIGKILL');
  await run.done;
  const w = worker();
  t.after(() => w.stop());
  await w.waitFor(/Waiting for jobs/);
  const r = runCli(home, ['queue', 'status', batch, '--queue', redis.url, '--json'], 180_000);
  assert.equal(r.status, 0, `${r.stderr}\n${w.output()}`);
  const status = JSON.parse(r.stdout);
  assert.equal(status.followed, true);
  assert.deepEqual(status.items.map((it: { state: string; output: string }) => [it.state, path.basename(it.output)]), [['done', 'small-0-restored.png'], ['done', 'small-1-restored.png']]);
  for (const it of status.items) assert.equal(path.dirname(it.output), out);
  await w.stop();
});

test('a job that keeps failing ends, after its tries, with its reason', async () => {
  // A worker whose scratch folder cannot be created: every try fails the same way.
  const broken = tempDir('restora-qbroken-');
  fs.mkdirSync(path.join(broken, 'tmp'), { recursive: true });
  fs.writeFileSync(path.join(broken, 'tmp', 'queue'), 'not a folder');
  const w = worker({ RESTORA_HOME: broken });
  await w.waitFor(/Waiting for jobs/);
  const r = await runCliAsync(home, ['restore', path.join(work, 'in', 'small-2.png'), '-o', path.join(work, 'broken'), '--queue', redis.url]).done;
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^✗ .*small-2\.png: .*(EEXIST|ENOTDIR).* \(after 3 tries\)$/m);
  assert.equal((w.output().match(/\(small-2\.png\): started/g) ?? []).length, 3);
  await w.stop();
  fs.rmSync(broken, { recursive: true, force: true });
});
