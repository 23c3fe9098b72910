/** Shared test plumbing: temp folders, a real Library on a real SQLite file, and a job context that records what it was told. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HandlerContext, ProgressUpdate } from '../../../electron/node/worker-runtime.js';
import { RestoraError } from '../../../electron/shared/errors.js';
import { createLibrary, type Library } from '../../../electron/library/library.js';
import type { Recipe } from '../../../electron/shared/recipe.js';

export function tempDir(prefix = 'restora-lib-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface RecordingContext extends HandlerContext {
  readonly progressLog: ProgressUpdate[];
  readonly events: Array<{ name: string; payload: unknown }>;
  readonly controller: AbortController;
}

export function testContext(jobId = 'job-test'): RecordingContext {
  const controller = new AbortController();
  const progressLog: ProgressUpdate[] = [];
  const events: Array<{ name: string; payload: unknown }> = [];
  return {
    jobId,
    signal: controller.signal,
    controller,
    progressLog,
    events,
    throwIfCancelled() {
      if (controller.signal.aborted) throw new RestoraError('Cancelled', 'Cancelled');
    },
    progress(update) {
      progressLog.push(update);
    },
    emit(name, payload) {
      events.push({ name, payload });
    },
  };
}

/** A fresh data dir with a Library open on it; closed and deleted after the test. */
export function freshLibrary(t: { after(fn: () => void): void }): { lib: Library; home: string } {
  const home = tempDir('restora-home-');
  const lib = createLibrary(home);
  t.after(() => {
    try {
      lib.close();
    } catch {
      // already closed by the test
    }
    fs.rmSync(home, { recursive: true, force: true });
  });
  return { lib, home };
}

export function rmAfter(t: { after(fn: () => void): void }, dir: string): string {
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A complete recipe as the engine would record it. */
export function recipe(instruction: string, seed = 7): Recipe {
  return {
    engineVersion: '0.1.0',
    models: [{ id: 'restorer-s', version: '1', sha256: 'ab'.repeat(32) }],
    instruction,
    semanticTokens: ['scratches', 'fading'],
    mode: 'fast',
    fidelity: 0.7,
    seed,
    settings: { tile: 512 },
    executionProvider: 'cpu',
    adapter: null,
    timings: { total: 1.5 },
    totalSeconds: 1.5,
  };
}
