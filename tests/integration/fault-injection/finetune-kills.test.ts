/**
 * Fault injection, fine-tuning: the engine killed with SIGKILL at seeded
 * training steps, twice. Each time the run's checkpoint on disk must be whole
 * (its state describes a complete state file), the catalog sound and the
 * photos untouched; resuming continues from the checkpoint and yields a
 * usable adapter, and no temporary file of the killed writes survives the
 * library's next start.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServices } from '../../../devkit/services.js';
import { sharedDataDir } from '../../../devkit/shared-data.js';
import { loadState, readConfig } from '../../../electron/engine/finetune/run-state.js';
import { assertCatalogSound, assertOriginalsUntouched, fingerprints, killWhen, moments, restarted, temporaryFiles } from './checks.js';

const faces = path.join(sharedDataDir(), 'faces-flr');
const files = ['010_03.jpg', '010_08.jpg', '011_03.jpg'].map((f, i) => path.join(faces, i === 1 ? 'smiling_front' : 'neutral_front', f));
const missing = files.find((f) => !fs.existsSync(f));

test('fine-tuning killed at two random steps keeps a whole checkpoint and resumes to a usable adapter', { skip: missing && `shared test photos not found (${missing})` }, async () => {
  const svc = await startServices();
  try {
    const originals = fingerprints(files);
    await svc.broker.runJob('library.import', { paths: files });
    const photoIds = (await svc.broker.invoke('library.listPhotos', { limit: 10 })).items.map((p) => p.id);
    const m = moments(6);
    const steps = 16;
    let runId = '';
    for (let round = 0; round < 2; round++) {
      const jobId = runId ? svc.broker.startJob('finetune.resume', { runId }) : svc.broker.startJob('finetune.start', { name: 'Fault person', photoIds, options: { steps, previewEvery: 0 } });
      const atStep = m.int(round === 0 ? 2 : 9, round === 0 ? 7 : 13);
      const extra = m.int(0, 150);
      const pid = await killWhen(svc.broker, 'engine', jobId, (p) => {
        if (typeof p.data?.runId === 'string') runId = p.data.runId;
        return Number(p.data?.step ?? 0) >= atStep;
      }, extra);
      const info = await svc.broker.jobs.wait(jobId);
      assert.notEqual(info.state, 'done', 'the kill came before the end');
      await restarted(svc.broker, 'engine', pid);
      assert.ok(runId, 'the run announced its id');
      const runDir = path.join(svc.dataDir, 'finetune', runId);
      const cfg = readConfig(runDir);
      assert.ok(cfg, 'the run configuration is readable');
      // A checkpoint on disk is whole or absent, never half written.
      const size = (fs.existsSync(path.join(runDir, 'state.json')) ? JSON.parse(fs.readFileSync(path.join(runDir, 'state.json'), 'utf8')).size : 0) as number;
      if (size) assert.ok(loadState(runDir, size), 'the saved state loads');
      const run = (await svc.broker.invoke('finetune.runs', {})).runs.find((r) => r.runId === runId)!;
      assert.equal(run.state, 'stopped', `round ${round + 1}: killed at step ${atStep} + ${extra} ms`);
      assertCatalogSound(svc.dataDir, `fine-tuning kill ${round + 1}`);
      assertOriginalsUntouched(originals);
    }
    const r = await svc.broker.runJob('finetune.resume', { runId });
    assert.equal(r.adapter.steps, steps);
    assert.ok((await svc.broker.invoke('adapters.list', {})).adapters.some((a) => a.name === 'Fault person' && a.compatible));
    const lib = svc.broker.workerPid('library');
    process.kill(lib!, 'SIGKILL');
    await restarted(svc.broker, 'library', lib);
    await new Promise((res) => setTimeout(res, 300));
    assert.deepEqual(temporaryFiles(path.join(svc.dataDir, 'finetune')), []);
    assert.deepEqual(temporaryFiles(path.join(svc.dataDir, 'adapters')), []);
  } finally {
    await svc.stop();
  }
});
