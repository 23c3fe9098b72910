/**
 * Local fine-tuning with the real engine worker, real ONNX graphs and real
 * portraits (held-out people of the faces set): a short training that helps on
 * held-out photos and is applied in a restore; cancel and resume; bad input.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { startServices, waitFor } from '../../devkit/services.js';
import { sharedDataDir } from '../../devkit/shared-data.js';
import type { JobProgress } from '../../electron/shared/jobs.js';
import { encodeAdapter } from '../../electron/engine/finetune/adapter-file.js';

const faces = path.join(sharedDataDir(), 'faces-flr');
const photo = (who: string, smiling = false) => path.join(faces, smiling ? 'smiling_front' : 'neutral_front', `${who}_${smiling ? '08' : '03'}.jpg`);

let svc: Awaited<ReturnType<typeof startServices>>;
let ids: Record<string, number> = {};
before(async () => {
  svc = await startServices();
  const files = [photo('006'), photo('006', true), photo('007'), photo('008'), photo('008', true), photo('009')];
  await svc.broker.runJob('library.import', { paths: files });
  const page = await svc.broker.invoke('library.listPhotos', { limit: 100 });
  ids = Object.fromEntries(page.items.map((p) => [`${p.folder.endsWith('smiling_front') ? 's' : 'n'}${p.fileName.slice(0, 3)}`, p.id]));
});
after(() => svc.stop());

test('a short training on library photos helps on held-out photos, streams loss and previews, and is applied in a restore', async () => {
  const progress: JobProgress[] = [];
  const r = await svc.broker.runJob('finetune.start', { name: 'Person six', photoIds: [ids.n006!, ids.s006!, ids.n007!], options: { steps: 40, previewEvery: 20 } }, (p) => progress.push(p));
  const steps = new Set(progress.filter((p) => p.stage === 'train' && typeof p.data?.loss === 'number').map((p) => p.data!.step));
  assert.ok(steps.size >= 3, `loss reported at ${steps.size} steps`);
  assert.ok(progress.some((p) => p.etaSeconds !== null && p.etaSeconds > 0), 'an ETA is shown');
  const last = progress.filter((p) => typeof p.data?.previewAdapted === 'number').at(-1);
  assert.ok(last && typeof last.data!.previewBefore === 'number' && typeof last.data!.previewBase === 'number', 'before/base/adapted previews');
  const media = await svc.broker.resolveMedia({ kind: 'preview', id: last.data!.previewAdapted as number, size: 'full' });
  assert.ok(fs.statSync(media.path).size > 1000);

  assert.equal(r.evaluation.n, 2, 'one held-out photo, two degradations');
  assert.ok(r.evaluation.psnrAdapted > r.evaluation.psnrBase, `adapted ${r.evaluation.psnrAdapted} dB vs base ${r.evaluation.psnrBase} dB`);
  assert.equal(r.recommended, r.evaluation.verdict === 'helped');
  const runs = await svc.broker.invoke('finetune.runs', {});
  const run = runs.runs.find((x) => x.runId === r.runId)!;
  assert.equal(run.state, 'done');
  assert.equal(run.losses.length, 40);
  const list = await svc.broker.invoke('adapters.list', {});
  assert.deepEqual(list.adapters.map((a) => [a.name, a.compatible]), [['Person six', true]]);

  // Restore a small, blurred and JPEG-damaged copy of another photo with and without the adapter (a clean
  // photo is left almost as it is by the restorer, with or without an adapter).
  const input = path.join(svc.dataDir, 'small.png');
  const damaged = await sharp(photo('009')).resize(160, 160).blur(1.5).jpeg({ quality: 20 }).toBuffer();
  await sharp(damaged).png().toFile(input);
  const plain = await svc.broker.runJob('engine.restoreFile', { input, output: path.join(svc.dataDir, 'plain.png'), settings: { faces: [] } });
  const adapted = await svc.broker.runJob('engine.restoreFile', { input, output: path.join(svc.dataDir, 'adapted.png'), settings: { faces: [], adapter: 'Person six' } });
  assert.equal(plain.recipe.adapter, null);
  assert.equal(adapted.recipe.adapter, 'Person six');
  assert.ok(adapted.recipe.models.some((m) => m.id === 'restora-restorer-adapter'));
  assert.ok(adapted.recipe.models.some((m) => m.id === 'adapter:Person six'));
  const [a, b] = await Promise.all([plain.output, adapted.output].map((f) => sharp(f).raw().toBuffer()));
  let diff = 0;
  for (let i = 0; i < a!.length; i++) diff += Math.abs(a![i]! - b![i]!);
  assert.ok(diff / a!.length > 0.2, `the adapter changes the result (mean |diff| ${diff / a!.length})`);
  await assert.rejects(svc.broker.runJob('engine.restoreFile', { input, output: path.join(svc.dataDir, 'x.png'), settings: { adapter: 'Nobody' } }), /no adapter named "Nobody"/);
});

test('cancel keeps the last checkpoint; resume finishes the run from it', async () => {
  const jobId = svc.broker.startJob('finetune.start', { name: 'Resumable', photoIds: [ids.n008!, ids.s008!, ids.n009!], options: { steps: 24, previewEvery: 0 } });
  let runId = '';
  await waitFor(() => {
    const p = svc.broker.jobs.get(jobId).progress;
    if (typeof p?.data?.runId === 'string') runId = p.data.runId;
    return typeof p?.data?.step === 'number' && p.data.step >= 12;
  }, 120_000);
  svc.broker.jobs.cancel(jobId);
  const info = await svc.broker.jobs.wait(jobId);
  assert.equal(info.state, 'cancelled');
  const stopped = (await svc.broker.invoke('finetune.runs', {})).runs.find((r) => r.runId === runId)!;
  assert.equal(stopped.state, 'stopped');
  assert.ok(stopped.step >= 10 && stopped.step < 24, `checkpoint at step ${stopped.step}`);
  assert.equal(stopped.losses.length, stopped.step);
  assert.equal((await svc.broker.invoke('adapters.list', {})).adapters.some((a) => a.name === 'Resumable'), false, 'nothing applied from a cancelled run');

  // The references' face search is kept with the run: a resume reads it instead of searching again.
  const runDir = path.join(svc.dataDir, 'finetune', runId);
  const cfg = JSON.parse(fs.readFileSync(path.join(runDir, 'config.json'), 'utf8'));
  assert.deepEqual(cfg.faceless, [], 'a face was found in every portrait');
  fs.writeFileSync(path.join(runDir, 'config.json'), JSON.stringify({ ...cfg, faceless: [cfg.references[1]] }));
  const r = await svc.broker.runJob('finetune.resume', { runId });
  assert.ok(r.notices.some((n) => n.startsWith(`No face was found in ${path.basename(cfg.references[1])};`)), r.notices.join(' | '));
  assert.equal(r.steps, 24 - stopped.step, 'resumed from the checkpoint, not from the start');
  assert.equal(r.adapter.steps, 24);
  const done = (await svc.broker.invoke('finetune.runs', {})).runs.find((x) => x.runId === runId)!;
  assert.equal(done.losses.length, 24);
  assert.deepEqual(done.losses.slice(0, stopped.step), stopped.losses, 'history kept across the resume');
});

test('bad input: too few photos, contradictory picks, corrupt, foreign and incompatible adapter files', async () => {
  const runDir = path.join(svc.dataDir, 'finetune', 'ft-badinput');
  const broken = path.join(svc.dataDir, 'broken.jpg');
  fs.writeFileSync(broken, Buffer.from('not a jpeg at all'));
  await assert.rejects(
    svc.broker.runJob('engine.finetune', { runDir, name: 'Few', references: [photo('006'), broken], picks: [], options: {} }),
    (err: Error) => /Too few usable reference photos \(1\)/.test(err.message) && /broken\.jpg/.test(err.message),
  );
  const pick = { input: photo('006'), instructionA: '', instructionB: 'restore gently' };
  await assert.rejects(
    svc.broker.runJob('engine.finetune', { runDir: runDir + '2', name: 'Picky', references: [], picks: [{ ...pick, choice: 'a' }, { ...pick, choice: 'b' }], options: {} }),
    /Contradictory picks: for 006_03\.jpg/,
  );
  await assert.rejects(svc.broker.invoke('adapters.importData', { base64: Buffer.from('hello, not an adapter').toString('base64') }), /not a usable Restora adapter: it does not start like an adapter file/);
  const before = (await svc.broker.invoke('adapters.list', {})).adapters;
  const good = before[0];
  assert.ok(good, 'an adapter made by the tests above');
  const exported = await svc.broker.invoke('adapters.exportData', { name: good!.name });
  const bytes = Buffer.from(exported.base64, 'base64');
  bytes[bytes.length - 5]! ^= 0x10;
  await assert.rejects(svc.broker.invoke('adapters.importData', { base64: bytes.toString('base64'), name: 'Damaged' }), /checksum/);
  const foreignBase = encodeAdapter({ name: 'Other', base: { id: 'restora-restorer', sha256: 'f'.repeat(64) }, createdAt: 1, steps: 1, references: 2, picks: 0, evaluation: null }, new Float32Array(good!.size));
  await assert.rejects(svc.broker.invoke('adapters.importData', { base64: foreignBase.toString('base64') }), /different version of the restorer/);
  // A valid export imports under a new name; rename and delete work; the list never showed the refused files.
  const imported = await svc.broker.invoke('adapters.importData', { base64: exported.base64, name: 'Copy' });
  assert.equal(imported.compatible, true);
  await svc.broker.invoke('adapters.rename', { name: 'Copy', newName: 'Copy two' });
  await assert.rejects(svc.broker.invoke('adapters.rename', { name: 'Copy two', newName: good!.name }), /already exists/);
  await svc.broker.invoke('adapters.delete', { name: 'Copy two' });
  const names = (await svc.broker.invoke('adapters.list', {})).adapters.map((a) => a.name).sort();
  assert.deepEqual(names, before.map((a) => a.name).sort());
});
