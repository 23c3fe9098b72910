/** A worker process talked to directly, as a hostile or buggy peer would: it answers with typed errors and stays up. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import fs from 'node:fs';
import { workerEntry } from '../../electron/node/app-paths.js';
import { requireBuild, tempDir } from '../../devkit/services.js';

requireBuild();
const home = tempDir();
const child = fork(workerEntry('engine'), [], { env: { ...process.env, RESTORA_HOME: home }, stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
after(() => {
  child.kill('SIGKILL');
  fs.rmSync(home, { recursive: true, force: true });
});

const inbox: any[] = [];
child.on('message', (m) => inbox.push(m));
const next = async (pred: (m: any) => boolean) => {
  const start = Date.now();
  while (Date.now() - start < 15_000) {
    const i = inbox.findIndex(pred);
    if (i >= 0) return inbox.splice(i, 1)[0];
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('no answer');
};

test('announces itself', async () => {
  const ready = await next((m) => m.t === 'ready');
  assert.equal(ready.service, 'engine');
});

test('malformed envelopes, unknown methods, other services and bad params get typed errors', async () => {
  child.send({ hello: 'world' });
  assert.equal((await next((m) => m.t === 'res' && m.id === 0)).error.code, 'BadRequest');
  child.send({ t: 'req', id: 11, method: 'engine.format', params: {} });
  assert.equal((await next((m) => m.id === 11)).error.code, 'UnknownMethod');
  child.send({ t: 'req', id: 12, method: 'library.listPhotos', params: {} });
  assert.equal((await next((m) => m.id === 12)).error.code, 'UnknownMethod');
  child.send({ t: 'req', id: 13, method: 'engine.calibrate', params: { seconds: -5 } });
  assert.equal((await next((m) => m.id === 13)).error.code, 'BadRequest');
  child.send({ t: 'req', id: 14, method: 'engine.info', params: { extra: 'x'.repeat(2 * 1024 * 1024) } });
  assert.equal((await next((m) => m.id === 14)).error.code, 'TooLarge');
});

test('still answers after all that', async () => {
  child.send({ t: 'req', id: 20, method: 'engine.info', params: {} });
  const res = await next((m) => m.id === 20);
  assert.equal(res.ok, true);
  assert.equal(res.result.pid, child.pid);
});
