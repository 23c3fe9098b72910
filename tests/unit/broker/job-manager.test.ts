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
