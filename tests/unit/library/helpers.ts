/** Shared test plumbing: temp folders, a real Library on a real SQLite file, and a job context that records what it was told. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HandlerContext, ProgressUpdate } from '../../../electron/node/worker-runtime.js';
import { RestoraError } from '../../../electron/shared/errors.js';
import { createLibrary, type Library } from '../../../electron/library/library.js';
import type { Recipe } from '../../../electron/shared/recipe.js';
import { methods, type MethodName, type Methods, type Params, type Result } from '../../../electron/shared/contract/index.js';
import { libraryHandlers } from '../../../electron/library/handlers.js';

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

type LibraryMethod = { [M in MethodName]: Methods[M]['service'] extends 'library' ? M : never }[MethodName];
export type ContractHandlers = { [M in LibraryMethod]: (params: Params<M>, ctx: HandlerContext) => Promise<Result<M>> };

/**
 * The library's handlers behind the contract's own validation, as the worker
 * runs them: params parsed (defaults filled in), results checked against the
 * declared schema, so a handler that breaks the contract fails its test.
 */
export function contractHandlers(lib: Library): ContractHandlers {
  const raw = libraryHandlers(lib) as unknown as Record<string, (p: unknown, ctx: HandlerContext) => unknown>;
  const out: Record<string, (p: unknown, ctx: HandlerContext) => Promise<unknown>> = {};
  for (const name of Object.keys(raw)) {
    const spec = methods[name as LibraryMethod];
    out[name] = async (params, ctx) => {
      const parsed = spec.params.parse(params);
      const result = await raw[name]!(parsed, ctx);
      const checked = spec.result.safeParse(result);
      if (!checked.success) throw new Error(`${name} broke its result contract: ${checked.error.message}`);
      return checked.data;
    };
  }
  return out as unknown as ContractHandlers;
}
