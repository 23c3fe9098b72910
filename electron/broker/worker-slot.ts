/**
 * One supervised worker: starts it, waits for its ready message, matches
 * responses to requests, and restarts it after a crash (with a back-off, and
 * giving up after repeated crashes in a short window so a broken install does
 * not spin the CPU).
 */
import { WorkerOutbound, ResponseEnvelope, type WorkerInbound } from '../shared/rpc.js';
import { RestoraError } from '../shared/errors.js';
import type { WorkerProcess, Spawner, WorkerServiceName } from './worker-process.js';

export type SlotState = 'starting' | 'ready' | 'crashed' | 'stopped';

interface Pending {
  resolve(v: unknown): void;
  reject(e: RestoraError): void;
  job?: string;
}

export interface SlotEvents {
  onEvent(name: string, payload: unknown): void;
  onStatus(status: { state: SlotState; pid: number | null; restarts: number; message?: string }): void;
  /** The process died; `jobs` were running on it. */
  onCrash(jobs: string[], reason: string): void;
}

const START_TIMEOUT_MS = 30_000;
/** How long a stopping worker may take to wind down before it is killed (its own wait is 4 s). */
const STOP_GRACE_MS = 6000;
const MAX_CRASHES = 5;
const CRASH_WINDOW_MS = 60_000;

export class WorkerSlot {
  private proc: WorkerProcess | null = null;
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private readyPromise: Promise<void> | null = null;
  private crashes: number[] = [];
  private stopping = false;
  private exitWaiters: Array<() => void> = [];
  state: SlotState = 'stopped';
  restarts = 0;

  constructor(
    readonly service: WorkerServiceName,
    private readonly spawn: Spawner,
    private readonly env: Record<string, string>,
    private readonly events: SlotEvents,
  ) {}

  get pid(): number | null {
    return this.proc?.pid ?? null;
  }

  /** Starts the process if it is not running and resolves once it is ready. */
  ensureStarted(): Promise<void> {
    if (this.readyPromise) return this.readyPromise;
    this.stopping = false;
    if (this.state === 'crashed') this.restarts++;
    this.state = 'starting';
    this.events.onStatus({ state: 'starting', pid: null, restarts: this.restarts });
    const proc = this.spawn({ service: this.service, env: this.env });
    this.proc = proc;
    this.readyPromise = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new RestoraError('Timeout', `The ${this.service} process did not start within ${START_TIMEOUT_MS / 1000} s`));
        proc.kill();
      }, START_TIMEOUT_MS);
      proc.onMessage((raw) => {
        const msg = WorkerOutbound.safeParse(raw);
        if (!msg.success) return; // A worker that speaks nonsense is ignored, not trusted.
        const m = msg.data;
        if (m.t === 'ready') {
          clearTimeout(timer);
          this.state = 'ready';
          this.events.onStatus({ state: 'ready', pid: proc.pid, restarts: this.restarts });
          resolve();
        } else if (m.t === 'evt') {
          this.events.onEvent(m.name, m.payload);
        } else {
          this.settle(m);
        }
      });
      proc.onExit((code, reason) => {
        clearTimeout(timer);
        this.handleExit(proc, code, reason);
        reject(new RestoraError('WorkerCrashed', `The ${this.service} process exited during start (${reason})`));
      });
    });
    this.readyPromise.catch(() => undefined);
    return this.readyPromise;
  }

  async request(method: string, params: unknown, job?: string): Promise<unknown> {
    await this.ensureStarted();
    const proc = this.proc;
    if (!proc) throw new RestoraError('WorkerCrashed', `The ${this.service} process is not running`);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, ...(job ? { job } : {}) });
      const msg: WorkerInbound = job ? { t: 'req', id, method, params, job } : { t: 'req', id, method, params };
      try {
        proc.send(msg);
      } catch (err) {
        this.pending.delete(id);
        reject(new RestoraError('WorkerCrashed', `Could not reach the ${this.service} process: ${String(err)}`));
      }
    });
  }

  cancel(job: string): void {
    try {
      this.proc?.send({ t: 'cancel', job });
    } catch {
      /* the process is going away anyway */
    }
  }

  /** Kills the process; pending requests fail and it restarts on the next request. */
  kill(): void {
    this.proc?.kill();
  }

  /**
   * Stops the process cleanly: it cancels what is running, closes its files (the catalog
   * checkpoints its log) and exits; killed if it has not gone after `graceMs`.
   */
  async stop(graceMs = STOP_GRACE_MS): Promise<void> {
    this.stopping = true;
    const proc = this.proc;
    if (!proc) return;
    const gone = new Promise<void>((resolve) => proc.onExit(() => resolve()));
    try {
      proc.send({ t: 'stop' });
    } catch {
      proc.kill();
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
    if ((await Promise.race([gone, late])) === 'late') {
      proc.kill();
      await gone;
    }
    clearTimeout(timer);
  }

  /** Stops the process and starts a fresh one, which reads its environment (settings) again. */
  async restart(): Promise<void> {
    if (this.proc) {
      const gone = new Promise<void>((resolve) => this.exitWaiters.push(resolve));
      this.stopping = true;
      this.proc.kill();
      await gone;
    }
    await this.ensureStarted();
  }

  private settle(res: ResponseEnvelope): void {
    const p = this.pending.get(res.id);
    if (!p) return;
    this.pending.delete(res.id);
    if (res.ok) p.resolve(res.result);
    else p.reject(RestoraError.fromWire(res.error));
  }

  private handleExit(proc: WorkerProcess, code: number | null, reason: string): void {
    if (this.proc !== proc) return;
    this.proc = null;
    this.readyPromise = null;
    const jobs: string[] = [];
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) {
      if (p.job) jobs.push(p.job);
      p.reject(new RestoraError('WorkerCrashed', `The ${this.service} process stopped unexpectedly (${reason}); it has been restarted`));
    }
    if (this.stopping) {
      this.state = 'stopped';
      this.events.onStatus({ state: 'stopped', pid: null, restarts: this.restarts });
      for (const w of this.exitWaiters.splice(0)) w();
      return;
    }
    this.state = 'crashed';
    this.events.onStatus({ state: 'crashed', pid: null, restarts: this.restarts, message: reason });
    this.events.onCrash(jobs, reason);
    const now = Date.now();
    this.crashes = this.crashes.filter((t) => now - t < CRASH_WINDOW_MS);
    this.crashes.push(now);
    if (this.crashes.length >= MAX_CRASHES) {
      this.events.onStatus({
        state: 'crashed',
        pid: null,
        restarts: this.restarts,
        message: `The ${this.service} process crashed ${MAX_CRASHES} times in a minute; it will start again on the next request`,
      });
      return;
    }
    // Come back at once so the app keeps working; a short delay after repeated crashes.
    const delay = Math.min(2000, 100 * 2 ** (this.crashes.length - 1));
    setTimeout(() => {
      if (this.stopping || this.proc) return;
      this.ensureStarted().catch(() => undefined);
    }, delay).unref?.();
    void code;
  }
}
