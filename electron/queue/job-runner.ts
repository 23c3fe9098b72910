/**
 * What a queue worker does with one job: check it against the contract and
 * against this worker's models, fetch the photo by content and verify it,
 * restore it on a free engine, and put the result back by content. Running a
 * job twice (a stalled job is handed out again) gives the same result under
 * the same key, so doing so is harmless.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { UnrecoverableError, type Job } from 'bullmq';
import { toWireError } from '../shared/errors.js';
import { describeIssues } from '../shared/rpc.js';
import { QUEUE_PROTOCOL, QueueJobData, type QueueJobResult, type QueueProgress } from '../shared/queue-job.js';
import type { ExecutionDevice } from '../shared/recipe.js';
import type { BlobStore } from './blob-store.js';
import type { EnginePool } from './engine-pool.js';
import { writeFileAtomicSync } from '../node/atomic-write.js';

export interface JobRunnerDeps {
  blobs: BlobStore;
  engines: EnginePool;
  fingerprint: string;
  workerName: string;
  version: string;
  tmpDir: string;
  /** Replaces the job's device (a worker restores on its own hardware). */
  device?: ExecutionDevice;
}

/** Errors that another try cannot fix end the job at once, with their reason. */
const FINAL: ReadonlySet<string> = new Set(['BadRequest', 'CorruptInput', 'Unsupported', 'TooLarge', 'NotFound', 'Unauthorized', 'Conflict']);
const PROGRESS_INTERVAL_MS = 500;

/** The reason a failed job carries: "[Code] message", so the submitter can show the message and keep the code. */
export function failureText(code: string, message: string): string {
  return `[${code}] ${message}`;
}

export function parseFailure(reason: string | undefined): { code: string; message: string } {
  const m = /^\[(\w+)\] ([\s\S]*)$/.exec(reason ?? '');
  return m ? { code: m[1]!, message: m[2]! } : { code: 'Internal', message: reason || 'failed without a reason' };
}

function refuse(code: string, message: string): never {
  throw new UnrecoverableError(failureText(code, message));
}

export async function runQueueJob(job: Job, deps: JobRunnerDeps): Promise<QueueJobResult> {
  const started = performance.now();
  const parsed = QueueJobData.safeParse(job.data);
  if (!parsed.success) {
    const protocol = (job.data as { protocol?: unknown } | null)?.protocol;
    if (protocol !== QUEUE_PROTOCOL) refuse('Unsupported', `This job was made by a Restora speaking queue format ${String(protocol ?? 'unknown')}; this worker speaks format ${QUEUE_PROTOCOL}. Run a worker of the submitter's version, or submit the photo again.`);
    refuse('BadRequest', `Refused a job that breaks the contract: ${describeIssues(parsed.error)}`);
  }
  const data = parsed.data;
  if (data.models !== deps.fingerprint) {
    refuse('Conflict', `This job was made for other models (${data.models.slice(0, 12)}…) than this worker has (${deps.fingerprint.slice(0, 12)}…); results must come from the same model versions.`);
  }
  if (data.settings.adapter) {
    refuse('Unsupported', `Personal adapters ("${data.settings.adapter}") stay on the computer that made them and are not sent through the queue; restore with an adapter locally.`);
  }
  const what = `The photo ${data.name}`;
  let input: Buffer;
  try {
    input = await deps.blobs.get(data.input, what);
  } catch (err) {
    const wire = toWireError(err);
    refuse(wire.code, wire.message);
  }
  // One folder per run; the photo keeps its own name there, so engine messages name it as the user knows it.
  const dir = path.join(deps.tmpDir, `${String(job.id).replace(/[^\w.-]/g, '_')}-${randomBytes(4).toString('hex')}`);
  const inFile = path.join(dir, data.name.replace(/[^\w. ()-]/g, '_').replace(/^\.+/, '_') || 'photo');
  const outFile = path.join(dir, '.restored.png');
  fs.mkdirSync(dir, { recursive: true });
  try {
    writeFileAtomicSync(inFile, input);
    let last = 0;
    let lastStage = '';
    const settings = deps.device ? { ...data.settings, device: deps.device } : data.settings;
    const restored = await deps.engines.restore({ input: inFile, output: outFile, settings }, (p) => {
      const now = Date.now();
      if (p.stage === lastStage && now - last < PROGRESS_INTERVAL_MS && p.fraction < 1) return;
      last = now;
      lastStage = p.stage;
      const progress: QueueProgress = { stage: p.stage, fraction: p.fraction, etaSeconds: p.etaSeconds, worker: deps.workerName, ...(p.message ? { message: p.message } : {}) };
      // Never awaited: progress must not hold up the restore while the server is away.
      job.updateProgress(progress).catch(() => undefined);
    });
    const output = await deps.blobs.put(fs.readFileSync(outFile), `The restored ${data.name}`);
    return {
      protocol: QUEUE_PROTOCOL,
      input: data.input.sha256,
      models: deps.fingerprint,
      output,
      width: restored.width,
      height: restored.height,
      recipe: restored.recipe,
      worker: { name: deps.workerName, version: deps.version, seconds: (performance.now() - started) / 1000 },
    };
  } catch (err) {
    if (err instanceof UnrecoverableError) throw err;
    const wire = toWireError(err);
    if (FINAL.has(wire.code)) refuse(wire.code, wire.message);
    // Worth another try, maybe on another machine: the engine crashed, a timeout.
    throw new Error(failureText(wire.code, wire.message));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
