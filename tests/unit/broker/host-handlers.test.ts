/**
 * The broker's own methods as the broker runs them: the typed handler map
 * answers every 'host' method of the contract, its answers fit the contract,
 * and host jobs run their worker steps as child jobs of the job they belong to.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostHandlers, type HostServices } from '../../../electron/broker/handlers.js';
import { JobManager, type JobRunContext } from '../../../electron/broker/job-manager.js';
import { methodsOf, parseResult, type NonJobMethodName, type Params, type Result } from '../../../electron/shared/contract/index.js';
import { RestoraError } from '../../../electron/shared/errors.js';
import { RestoreSettings } from '../../../electron/shared/recipe.js';
import { BatchRegistry } from '../../../electron/broker/restore-batch.js';
import { SettingsStore } from '../../../electron/broker/settings-store.js';

/** Answers of the worker methods the host methods call, keyed by method. */
type Answers = Partial<{ [M in NonJobMethodName]: (p: Params<M>) => Result<M> }>;

function services(answers: Answers = {}): HostServices & { invoked: string[]; children: string[] } {
  const invoked: string[] = [];
  const children: string[] = [];
  return {
    invoked,
    children,
    dataDir: '/nonexistent/restora-data',
    jobs: new JobManager(() => undefined, () => undefined),
    about: () => ({ version: '9.9.9', mode: 'cli', electronVersion: null, workers: [{ service: 'library', state: 'ready', pid: 10, restarts: 0 }] }),
    invoke: async (m, p) => {
      invoked.push(m);
      const answer = answers[m] as ((p: unknown) => unknown) | undefined;
      if (!answer) throw new RestoraError('NotFound', `no answer for ${m}`);
      return parseResult(m, answer(p));
    },
    runChild: async (parent, m) => {
      children.push(`${parent.jobId} → ${m}`);
      throw new RestoraError('Cancelled', 'Cancelled');
    },
    registerPreview: () => 1,
    versionsChanged: () => undefined,
    activeRuns: new Set(),
    batches: new BatchRegistry(),
    settings: new SettingsStore('/nonexistent/restora-data/settings.json'),
    restartEngine: async () => false,
    jobsCleared: () => undefined,
  };
}

const ctx = (jobId = 'job-1-test'): JobRunContext => ({ jobId, signal: new AbortController().signal, progress: () => undefined, checkpoint: async () => undefined, relabel: () => undefined });

test('every host method of the contract has a handler, and nothing else does', () => {
  const handlers = hostHandlers(services());
  assert.deepEqual(Object.keys(handlers).sort(), methodsOf('host').sort());
});

test('app.info answers within the contract with what the broker reports', async () => {
  const info = parseResult('app.info', await hostHandlers(services())['app.info']({}));
  assert.equal(info.version, '9.9.9');
  assert.equal(info.mode, 'cli');
  assert.equal(info.workers[0]!.pid, 10);
  assert.match(info.platform, /^\w+-\w+$/);
});

test('restore.analyze looks up the original in the library and asks the engine about that file', async () => {
  const s = services({
    'library.photoSource': (p) => ({ path: `/photos/${p.photoId}.jpg`, width: 10, height: 10, sha256: 'x' }),
    'engine.analyze': (p) => ({ width: 10, height: 10, severity: { noise: 0.5 }, source: 'heuristic', suggestions: [p.input], faces: [], facesDetected: false, notes: [], seconds: 0 }),
  });
  const a = await hostHandlers(s)['restore.analyze']({ photoId: 7 });
  assert.deepEqual(s.invoked, ['library.photoSource', 'engine.analyze']);
  assert.deepEqual(a.suggestions, ['/photos/7.jpg']);
});

test('restore.analyze stores the faces it found in the library with their descriptors (for the Faces filter, the photo view and people), and nothing when detection could not run', async () => {
  const descriptor = Array.from({ length: 128 }, (_, i) => i / 1000);
  const face = { x: 1, y: 2, w: 3, h: 4, score: 0.9, landmarks: [[1, 2], [3, 2], [2, 3], [1, 5], [3, 5]] as Array<[number, number]>, descriptor };
  const stored: unknown[] = [];
  const analysis = (facesDetected: boolean) => ({ width: 10, height: 10, severity: {}, source: 'heuristic' as const, suggestions: [], faces: facesDetected ? [face] : [], facesDetected, notes: [], seconds: 0 });
  for (const detected of [true, false]) {
    const s = services({
      'library.photoSource': (p) => ({ path: `/photos/${p.photoId}.jpg`, width: 10, height: 10, sha256: 'x' }),
      'engine.analyze': (p) => {
        assert.equal(p.descriptors, true, 'the analysis asks for descriptors');
        return analysis(detected);
      },
      'library.storeFaces': (p) => {
        stored.push(p);
        return { ok: true };
      },
    });
    const a = await hostHandlers(s)['restore.analyze']({ photoId: 7 });
    assert.deepEqual(s.invoked, ['library.photoSource', 'engine.analyze', ...(detected ? ['library.storeFaces'] : [])]);
    assert.ok(a.faces.every((f) => f.descriptor === undefined), 'the panel gets boxes, not descriptors');
  }
  assert.deepEqual(stored, [{ photoId: 7, faces: [face] }]);
});

test('restore.analyze on a cropped, turned photo stores its faces in the original’s pixels and keeps the faces stored outside the crop', async () => {
  // A 400×200 original turned 90° clockwise (200×400), then its lower half kept (200×200).
  const geometry = { rotate: 90 as const, straighten: 0, crop: { x: 0, y: 0.5, w: 1, h: 0.5 }, ratio: 'free' as const };
  const inCrop = { x: 20, y: 30, w: 40, h: 50, score: 0.9, landmarks: [[30, 40], [50, 40], [40, 55], [32, 70], [48, 70]] as Array<[number, number]> };
  const stored: Array<Params<'library.storeFaces'>> = [];
  const s = services({
    'library.photoSource': () => ({ path: '/photos/7.jpg', width: 400, height: 200, sha256: 'x' }),
    'library.geometrySource': (p) => {
      assert.deepEqual(p.geometry, geometry);
      return { path: '/cache/7-shaped.png', width: 200, height: 200 };
    },
    'engine.analyze': (p) => ({ width: 200, height: 200, severity: {}, source: 'heuristic', suggestions: [p.input], faces: [inCrop], facesDetected: true, notes: [], seconds: 0 }),
    'library.photoFaces': () => ({
      photoId: 7,
      width: 400,
      height: 200,
      faces: [
        { faceId: 1, x: 300, y: 50, w: 45, h: 45, score: 0.7, personId: null, personName: null }, // in the original's right half, which the crop keeps: replaced by what was found now
        { faceId: 2, x: 100, y: 120, w: 30, h: 30, score: 0.8, personId: 4, personName: 'Ann' }, // in the left half, cut off by the crop: kept
      ],
    }),
    'library.storeFaces': (p) => {
      stored.push(p);
      return { ok: true };
    },
  });
  const a = await hostHandlers(s)['restore.analyze']({ photoId: 7, geometry });
  // The panel gets the analysed picture's pixels (the restore's face choices use them)...
  assert.deepEqual(a.faces, [inCrop]);
  assert.deepEqual(a.suggestions, ['/cache/7-shaped.png']);
  // ...the library the original's: turned picture (x', y') = (200 − y, x), the crop (the original's right half) starting at y' = 200.
  assert.equal(stored.length, 1);
  const [found, kept] = stored[0]!.faces;
  assert.deepEqual({ x: found!.x, y: found!.y, w: found!.w, h: found!.h }, { x: 230, y: 140, w: 50, h: 40 });
  assert.deepEqual(found!.landmarks![0], [240, 170]);
  assert.deepEqual({ x: kept!.x, y: kept!.y, w: kept!.w, h: kept!.h, score: kept!.score }, { x: 100, y: 120, w: 30, h: 30, score: 0.8 });
  assert.equal(stored[0]!.faces.length, 2);
});

test('a missing photo fails restore.analyze with the library’s error', async () => {
  await assert.rejects(async () => hostHandlers(services())['restore.analyze']({ photoId: 7 }), (e: RestoraError) => e.code === 'NotFound');
});

test('host jobs run their engine step as a child of their own job', async () => {
  const s = services({ 'library.photoSource': () => ({ path: '/photos/1.jpg', width: 10, height: 10, sha256: 'x' }) });
  const settings = RestoreSettings.parse({});
  await assert.rejects(hostHandlers(s)['restore.preview']({ photoId: 1, settings, region: { x: 0, y: 0, w: 1, h: 1 } }, ctx('job-2-preview')));
  assert.deepEqual(s.children, ['job-2-preview → engine.restoreFile']);
});

test('jobs.get and jobs.cancel reach the job manager', async () => {
  const s = services();
  const handlers = hostHandlers(s);
  let stopped = false;
  const jobId = s.jobs.submit({ method: 'engine.calibrate', label: 'Measure CPU speed', queue: 'engine', run: () => new Promise(() => undefined), requestStop: () => (stopped = true) });
  assert.equal((await handlers['jobs.get']({ jobId })).label, 'Measure CPU speed');
  assert.equal((await handlers['jobs.list']({ includeSteps: false }))[0]!.jobId, jobId);
  await handlers['jobs.cancel']({ jobId });
  assert.ok(stopped, 'the running job was asked to stop');
});
