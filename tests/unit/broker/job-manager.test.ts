import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobManager, type JobSpec } from '../../../electron/broker/job-manager.js';
import type { JobInfo } from '../../../electron/shared/jobs.js';

function manager(grace = 50) {
  const states: JobInfo[] = [];
  const m = new JobManager((i) => states.push(i), () => undefined, grace);
  return { m, states };
}

function spec(run: JobSpec['run'], extra: Partial<JobSpec> = {}): JobSpec {
  return { method: 'engine.calibrate', label: 'test', queue: 'engine', run, requestStop: () => undefined, ...extra };
}

test('jobs on one worker run one at a time, in order', async () => {
  const { m } = manager();
  const order: string[] = [];
  const mk = (name: string) => spec(async () => {
    order.push(`start ${name}`);
    await new Promise((r) => setTimeout(r, 20));
    order.push(`end ${name}`);
    return name;
  });
  const a = m.submit(mk('a'));
  const b = m.submit(mk('b'));
  const [ia, ib] = await Promise.all([m.wait(a), m.wait(b)]);
  assert.deepEqual(order, ['start a', 'end a', 'start b', 'end b']);
  assert.equal(ia.state, 'done');
  assert.equal(ib.result, 'b');
});

test('cancelling a queued job never starts it', async () => {
  const { m } = manager();
  let ran = false;
  const first = m.submit(spec(() => new Promise((r) => setTimeout(r, 30))));
  const second = m.submit(spec(async () => {
    ran = true;
  }));
  assert.equal(m.cancel(second).state, 'cancelled');
  await m.wait(first);
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(ran, false);
});

test('a job that ignores cancel is killed after the grace period and ends cancelled', async () => {
  const { m } = manager(50);
  let killed = false;
  let rejectRun!: (e: Error) => void;
  const id = m.submit(spec(() => new Promise((_r, reject) => (rejectRun = reject)), { kill: () => {
    killed = true;
    rejectRun(Object.assign(new Error('process died'), { code: 'WorkerCrashed' }));
  } }));
  await new Promise((r) => setTimeout(r, 5));
  m.cancel(id);
  const info = await m.wait(id);
  assert.equal(killed, true);
  assert.equal(info.state, 'cancelled');
});

test('a failing job reports its error code and message', async () => {
  const { m, states } = manager();
  const id = m.submit(spec(async () => {
    throw Object.assign(new Error('bad pixels'), { code: 'CorruptInput' });
  }));
  const info = await m.wait(id);
  assert.equal(info.state, 'failed');
  assert.deepEqual(info.error, { code: 'CorruptInput', message: 'bad pixels' });
  assert.deepEqual(states.filter((s) => s.jobId === id).map((s) => s.state), ['queued', 'running', 'failed']);
});

test('a batch pauses between items, resumes where it stopped, and cancels while paused', async () => {
  const { m, states } = manager();
  const done: number[] = [];
  let release!: () => void;
  const firstItem = new Promise<void>((r) => (release = r));
  const batch = (items: number) => spec(async (ctx) => {
    for (let i = 0; i < items; i++) {
      await ctx.checkpoint();
      if (i === 0) await firstItem;
      done.push(i);
    }
    return done.length;
  }, { pausable: true, queue: 'host' });
  const id = m.submit(batch(3));
  await new Promise((r) => setTimeout(r, 10));
  // Asked while the first item runs: it finishes that item, then waits.
  assert.equal(m.pause(id).pauseRequested, true);
  release();
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(m.get(id).state, 'paused');
  assert.deepEqual(done, [0]);
  assert.ok(states.some((s) => s.jobId === id && s.state === 'paused'), 'the pause is announced');
  const resumed = m.resume(id);
  assert.equal(resumed.state, 'running');
  assert.equal(resumed.pauseRequested, undefined);
  const info = await m.wait(id);
  assert.equal(info.state, 'done');
  assert.deepEqual(done, [0, 1, 2]);

  // Cancelled while paused: it stops at once, nothing more is done.
  done.length = 0;
  const again = m.submit(spec(async (ctx) => {
    for (let i = 0; i < 3; i++) {
      await ctx.checkpoint();
      done.push(i);
    }
  }, { pausable: true, queue: 'host' }));
  m.pause(again);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(m.get(again).state, 'paused');
  assert.deepEqual(done, [], 'a queued job asked to pause pauses before its first item');
  m.cancel(again);
  assert.equal((await m.wait(again)).state, 'cancelled');
  assert.deepEqual(done, []);
});

test('only pausable jobs pause; steps stay out of the list; clearing forgets finished jobs only', async () => {
  const { m } = manager();
  const plain = m.submit(spec(() => new Promise((r) => setTimeout(r, 30))));
  assert.throws(() => m.pause(plain), /cannot be paused/);
  const parent = m.submit(spec(() => new Promise((r) => setTimeout(r, 60)), { queue: 'host', label: 'Restore IMG_1.jpg' }));
  const step = m.submit(spec(async () => 'x', { parentId: parent, queue: 'library' }));
  assert.deepEqual(m.list().map((j) => j.jobId), [parent, plain], 'one row per job: its steps are not listed');
  assert.deepEqual(m.list(true).map((j) => j.jobId), [step, parent, plain]);
  await m.wait(step);
  await m.wait(plain);
  const removed = m.clearFinished();
  assert.deepEqual(removed.sort(), [plain, step].sort());
  assert.deepEqual(m.list().map((j) => j.jobId), [parent], 'the running job stays');
  assert.throws(() => m.get(plain), /No job/);
  await m.wait(parent);
});

test('a job can be renamed while it runs (the photo it works on), not after', async () => {
  const { m, states } = manager();
  let relabel!: (l: string) => void;
  const id = m.submit(spec(async (ctx) => {
    relabel = ctx.relabel;
    ctx.relabel('Restore Grandma 1952.jpg');
    ctx.relabel('x'.repeat(300));
  }));
  const info = await m.wait(id);
  assert.ok(states.some((s) => s.label === 'Restore Grandma 1952.jpg'));
  assert.equal(info.label.length, 200);
  relabel('later');
  assert.notEqual(m.get(id).label, 'later');
});
