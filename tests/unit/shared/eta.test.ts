import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EtaEstimator, formatDuration } from '../../../electron/shared/eta.js';

test('ETA follows a steady rate', () => {
  const eta = new EtaEstimator(0);
  assert.equal(eta.update(0, 100), null);
  const left = eta.update(0.25, 10_000);
  assert.ok(left !== null && Math.abs(left - 30) < 1, `expected ~30 s, got ${left}`);
  assert.equal(eta.update(1, 40_000), 0);
});

test('ETA adapts when a job speeds up after a slow start', () => {
  const eta = new EtaEstimator(0, 5_000);
  eta.update(0.01, 20_000); // slow model load
  for (let t = 21_000; t <= 30_000; t += 1000) eta.update(0.01 + ((t - 20_000) / 1000) * 0.05, t);
  const left = eta.update(0.51, 30_000)!;
  // Overall rate alone would say ~29 s; the recent rate says ~10 s. The blend lands between.
  assert.ok(left > 8 && left < 29, `got ${left}`);
});

test('durations read naturally', () => {
  assert.equal(formatDuration(null), '—');
  assert.equal(formatDuration(12.4), '12 s');
  assert.equal(formatDuration(65), '1 min 05 s');
  assert.equal(formatDuration(7380), '2 h 03 min');
});
