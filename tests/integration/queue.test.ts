/**
 * Restoring through the queue as a user does it: a real redis-server, a real
 * `restora worker` with its engine process, real images. Results must be
 * byte-identical to a local restore, library results must become versions
 * with their recipes, and a batch can be looked up again by id.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Broker } from '../../electron/broker/broker.js';
import { nodeSpawner } from '../../electron/host/node-worker.js';
import { queueRestore } from '../../electron/queue/remote-restore.js';
import { requireBuild, runCli, tempDir } from '../../devkit/services.js';
import { writeTestPhoto } from '../../devkit/images.js';
import { startRedis, startWorker, type RedisServer, type WorkerProc } from '../../devkit/redis.js';

requireBuild();
let redis: RedisServer;
let worker: WorkerProc;
const home = tempDir();
const work = tempDir('restora-queue-');

before(async () => {
  redis = await startRedis();
  worker = startWorker(redis.url);
  await worker.waitFor(/Waiting for jobs/);
  fs.mkdirSync(path.join(work, 'in'));
  await writeTestPhoto(path.join(work, 'in', 'kitchen 1952.png'), 96, 72, 3);
  await writeTestPhoto(path.join(work, 'in', 'garden.png'), 80, 64, 5);
});
after(async () => {
  await worker?.stop();
  await redis?.stop();
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

const restora = (...args: string[]) => runCli(home, args, 180_000);

test('restore --queue gives the same bytes as a local restore, with the same result lines', () => {
  const local = restora('restore', path.join(work, 'in'), '-o', path.join(work, 'local'), '--instruction', 'remove the dust', '--json');
  assert.equal(local.status, 0, local.stderr);
  const queued = restora('restore', path.join(work, 'in'), '-o', path.join(work, 'queued'), '--instruction', 'remove the dust', '--queue', redis.url, '--json');
  assert.equal(queued.status, 0, queued.stderr);
  const a = JSON.parse(local.stdout) as Array<{ input: string; output: string; mode: string }>;
  const b = JSON.parse(queued.stdout) as Array<{ input: string; output: string; mode: string; worker: string }>;
  assert.deepEqual(b.map((r) => r.input), a.map((r) => r.input));
  for (const [i, r] of b.entries()) {
    assert.equal(path.basename(r.output), path.basename(a[i]!.output));
    assert.equal(r.mode, 'fast');
    assert.match(r.worker, /-\d+$/);
    assert.ok(fs.readFileSync(r.output).equals(fs.readFileSync(a[i]!.output)), `${r.output} differs from the local restore`);
  }
  assert.match(queued.stderr, /Batch b[a-z0-9]+ on redis:\/\/127\.0\.0\.1:\d+/);
  // Nothing is left on the queue server but the batch record: photos and results are removed once collected.
  const text = restora('restore', path.join(work, 'in', 'garden.png'), '-o', path.join(work, 'queued'), '--queue', redis.url);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^✓ .*garden\.png → .*garden-restored \(2\)\.png \(\d+\.\d s on .+\)$/m);
});

test('queue status reattaches to a batch by id and reports each photo', () => {
  const r = restora('restore', path.join(work, 'in', 'garden.png'), '-o', path.join(work, 'status'), '--queue', redis.url);
  assert.equal(r.status, 0, r.stderr);
  const batch = /Batch (b[a-z0-9]+)/.exec(r.stderr)![1]!;
  const s = restora('queue', 'status', batch, '--queue', redis.url, '--json');
  assert.equal(s.status, 0, s.stderr);
  const status = JSON.parse(s.stdout);
  assert.equal(status.batch, batch);
  assert.equal(status.total, 1);
  assert.equal(status.items[0].state, 'done');
  assert.ok(fs.existsSync(status.items[0].output));
  const missing = restora('queue', 'status', 'bnosuchbatch1', '--queue', redis.url);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /No batch bnosuchbatch1 on the queue server/);
});

test('library photos restored through the queue come back as versions with their recipes', async () => {
  const imp = restora('import', path.join(work, 'in'), '--json');
  assert.equal(imp.status, 0, imp.stderr);
  const ids: number[] = JSON.parse(restora('list', '--json').stdout).items.map((p: { id: number }) => p.id).sort();
  const r = restora('restore', '--library', String(ids[0]), '--instruction', 'remove the scratches', '--queue', redis.url, '--json');
  assert.equal(r.status, 0, r.stderr);
  const [done] = JSON.parse(r.stdout);
  assert.equal(done.photoId, ids[0]);
  assert.ok(done.versionId > 0);
  // The setting: library restores go through the saved queue without --queue.
  const use = restora('queue', 'use', redis.url);
  assert.equal(use.status, 0, use.stderr);
  assert.doesNotMatch(use.stdout, /:[^/@]*@/, 'no credentials printed');
  const since = worker.output().length;
  const viaSetting = restora('restore', '--library', String(ids[1]), '--json');
  assert.equal(viaSetting.status, 0, viaSetting.stderr);
  await worker.waitFor(/: done in/, 10_000, since); // the worker ran it
  assert.equal(restora('queue', 'use', 'off').status, 0);

  const broker = new Broker({ spawn: nodeSpawner(), dataDir: home, mode: 'cli', version: 'test' });
  try {
    const photo = await broker.invoke('library.getPhoto', { photoId: ids[0]! });
    assert.equal(photo.versions.length, 1);
    const v = photo.versions[0]!;
    assert.equal(v.preferred, true, 'the first restoration becomes the preferred version, as locally');
    assert.equal(v.recipe.instruction, 'remove the scratches');
    assert.equal(v.recipe.mode, 'fast');
    assert.ok(v.recipe.models.some((m) => m.id === 'restora-restorer'));
    assert.equal(v.width, photo.photo.width);
  } finally {
    await broker.stop();
  }
});

test('with the queue setting, the app\'s restore.photo job runs on the queue and saves a version', async () => {
  const ids: number[] = JSON.parse(restora('list', '--json').stdout).items.map((p: { id: number }) => p.id).sort();
  const lines: string[] = [];
  const broker: Broker = new Broker({ spawn: nodeSpawner(), dataDir: home, mode: 'browser', version: 'test', remoteRestore: queueRestore(redis.url, () => broker, 'test', (l) => lines.push(l)) });
  try {
    const since = worker.output().length;
    const r = await broker.runJob('restore.photo', { photoId: ids[1]!, settings: { instruction: 'make it sharper' } });
    await worker.waitFor(/: done in/, 10_000, since); // the worker ran it
    const photo = await broker.invoke('library.getPhoto', { photoId: ids[1]! });
    const v = photo.versions.find((x) => x.id === r.versionId)!;
    assert.equal(v.recipe.instruction, 'make it sharper');
    assert.equal(v.preferred, false, 'a later restoration waits for the user\'s choice, as locally');
  } finally {
    await broker.stop();
  }
});
