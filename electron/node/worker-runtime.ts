/**
 * The worker side of the contract: listens on the parent port (an Electron
 * utility process's `process.parentPort`, or Node's child-process IPC), checks
 * every inbound message against the contract, runs the handler and sends back
 * a validated result or a typed error. Jobs get a context with cancellation
 * and throttled progress events that carry an ETA.
 */
import { z } from 'zod';
import {
  methods,
  isMethodName,
  type MethodName,
  type Methods,
  type ParsedParams,
  type Result,
  type EventName,
  type EventPayload,
  events,
} from '../shared/contract/index.js';
import { WorkerInbound, describeIssues, MAX_MESSAGE_BYTES, type WorkerOutbound } from '../shared/rpc.js';
import { RestoraError, toWireError } from '../shared/errors.js';
import { EtaEstimator } from '../shared/eta.js';

export type WorkerService = 'library' | 'engine';

export interface ProgressUpdate {
  stage: string;
  /** Overall completion 0..1. */
  fraction: number;
  message?: string;
  data?: Record<string, number | string | boolean | null>;
}

export interface HandlerContext {
  /** Set when the request runs as a job. */
  readonly jobId: string | undefined;
  /** Aborted when the broker asks the job to stop. */
  readonly signal: AbortSignal;
  /** Throws a Cancelled error if the job was asked to stop. Call it between units of work. */
  throwIfCancelled(): void;
  progress(update: ProgressUpdate): void;
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
}

export type Handler<M extends MethodName> = (params: ParsedParams<M>, ctx: HandlerContext) => Promise<Result<M>> | Result<M>;

export type ServiceHandlers<S extends WorkerService> = {
  [M in MethodName as Methods[M]['service'] extends S ? M : never]: Handler<M>;
};

interface Port {
  send(msg: WorkerOutbound): void;
  onMessage(cb: (msg: unknown) => void): void;
}

function parentPort(): Port {
  const electronPort = (process as unknown as { parentPort?: { on(ev: 'message', cb: (e: { data: unknown }) => void): void; postMessage(m: unknown): void } }).parentPort;
  if (electronPort) {
    return {
      send: (msg) => electronPort.postMessage(msg),
      onMessage: (cb) => electronPort.on('message', (e) => cb(e.data)),
    };
  }
  if (typeof process.send === 'function') {
    return {
      send: (msg) => {
        if (process.connected) process.send!(msg);
      },
      onMessage: (cb) => process.on('message', cb),
    };
  }
  throw new Error('This worker must be started by the Restora broker (no parent port).');
}

const PROGRESS_INTERVAL_MS = 200;
/** How long a stopping worker waits for cancelled jobs to wind down before it closes anyway. */
const STOP_WAIT_MS = 4000;

export interface WorkerOptions {
  /** Runs once before a clean exit (a stop message, SIGTERM, SIGINT or the broker going away): close files here. */
  onStop?(): void;
}

/** Starts answering contract requests for `service`. */
export function serveWorker<S extends WorkerService>(service: S, handlers: ServiceHandlers<S>, options: WorkerOptions = {}): void {
  const port = parentPort();
  const running = new Map<string, AbortController>();
  const inFlight = new Set<Promise<void>>();
  let stopping = false;

  // A clean stop: running jobs are cancelled and given a moment to finish their current unit of
  // work (an import commits or drops its file, never half), then files are closed and the process exits.
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    for (const c of running.values()) c.abort();
    const wait = new Promise((r) => setTimeout(r, STOP_WAIT_MS).unref());
    await Promise.race([Promise.allSettled([...inFlight]), wait]);
    try {
      options.onStop?.();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());

  process.on('uncaughtException', (err) => {
    process.stderr.write(`[${service}] uncaught: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(70);
  });
  process.on('unhandledRejection', (err) => {
    process.stderr.write(`[${service}] unhandled rejection: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(70);
  });
  // A broker that goes away takes its workers with it (cleanly: the catalog is closed, not dropped).
  process.on('disconnect', () => void stop());

  const emit = <E extends EventName>(name: E, payload: EventPayload<E>) => {
    const checked = (events[name] as z.ZodType).safeParse(payload);
    if (!checked.success) {
      process.stderr.write(`[${service}] dropped invalid event ${name}: ${describeIssues(checked.error)}\n`);
      return;
    }
    port.send({ t: 'evt', name, payload: checked.data });
  };

  port.onMessage(async (raw) => {
    const size = approxSize(raw);
    const envelope = WorkerInbound.safeParse(raw);
    if (!envelope.success) {
      const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : 0;
      port.send({ t: 'res', id, ok: false, error: { code: 'BadRequest', message: `Malformed message: ${describeIssues(envelope.error)}` } });
      return;
    }
    const msg = envelope.data;
    if (msg.t === 'cancel') {
      running.get(msg.job)?.abort();
      return;
    }
    if (msg.t === 'stop') return void stop();
    const reply = (res: { ok: true; result: unknown } | { ok: false; error: ReturnType<typeof toWireError> }) =>
      port.send({ t: 'res', id: msg.id, ...res } as WorkerOutbound);
    let settle!: () => void;
    const settled = new Promise<void>((r) => (settle = r));
    inFlight.add(settled);
    try {
      if (stopping) throw new RestoraError('WorkerCrashed', `The ${service} process is shutting down`);
      if (size > MAX_MESSAGE_BYTES) throw new RestoraError('TooLarge', `Message of ${size} bytes exceeds ${MAX_MESSAGE_BYTES}`);
      if (!isMethodName(msg.method) || methods[msg.method].service !== service) {
        throw new RestoraError('UnknownMethod', `Unknown method ${msg.method} for the ${service} service`);
      }
      const spec = methods[msg.method];
      const params = spec.params.safeParse(msg.params);
      if (!params.success) throw new RestoraError('BadRequest', `Invalid parameters for ${msg.method}: ${describeIssues(params.error)}`);
      const controller = new AbortController();
      if (msg.job) running.set(msg.job, controller);
      const ctx = makeContext(msg.job, controller.signal, emit);
      try {
        const handler = (handlers as unknown as Record<string, Handler<MethodName>>)[msg.method];
        if (!handler) throw new RestoraError('UnknownMethod', `${msg.method} is not implemented`);
        const result = await handler(params.data as never, ctx);
        const checked = spec.result.safeParse(result);
        if (!checked.success) throw new RestoraError('Internal', `Result of ${msg.method} broke the contract: ${describeIssues(checked.error)}`);
        reply({ ok: true, result: checked.data });
      } finally {
        if (msg.job) running.delete(msg.job);
      }
    } catch (err) {
      reply({ ok: false, error: toWireError(err) });
    } finally {
      inFlight.delete(settled);
      settle();
    }
  });

  port.send({ t: 'ready', service, pid: process.pid });
}

function makeContext(
  jobId: string | undefined,
  signal: AbortSignal,
  emit: <E extends EventName>(name: E, payload: EventPayload<E>) => void,
): HandlerContext {
  const eta = new EtaEstimator();
  let lastSent = 0;
  let lastStage = '';
  return {
    jobId,
    signal,
    throwIfCancelled() {
      if (signal.aborted) throw new RestoraError('Cancelled', 'Cancelled');
    },
    progress(update) {
      if (!jobId) return;
      const now = Date.now();
      const fraction = Math.min(1, Math.max(0, update.fraction));
      const etaSeconds = eta.update(fraction, now);
      const important = update.stage !== lastStage || fraction >= 1;
      if (!important && now - lastSent < PROGRESS_INTERVAL_MS) return;
      lastSent = now;
      lastStage = update.stage;
      emit('job.progress', {
        jobId,
        stage: update.stage,
        fraction,
        etaSeconds,
        elapsedSeconds: eta.elapsedSeconds(now),
        ...(update.message ? { message: update.message.slice(0, 500) } : {}),
        ...(update.data ? { data: update.data } : {}),
      });
    },
    emit,
  };
}

function approxSize(raw: unknown): number {
  try {
    return JSON.stringify(raw)?.length ?? 0;
  } catch {
    return Infinity;
  }
}
