/**
 * The wire protocol shared by every channel (Electron IPC, utility-process
 * ports, Node child-process IPC, the browser-mode WebSocket) and the helpers
 * that declare contract members. Pure TypeScript: no node:, electron or DOM.
 */
import { z } from 'zod';
import { WireError } from './errors.js';

/** Which process answers a method. 'host' = the broker in main / browser host. */
export type ServiceName = 'host' | 'library' | 'engine';

/** 'renderer' methods may be called by the UI; 'internal' only by trusted code (broker, CLI). */
export type Exposure = 'renderer' | 'internal';

export interface MethodSpec<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType, J extends boolean = boolean, S extends ServiceName = ServiceName> {
  readonly service: S;
  readonly params: P;
  readonly result: R;
  readonly exposure: Exposure;
  /**
   * A job method answers at once with `{ jobId }`; progress arrives as
   * `job.progress` events and the final result (validated by `result`) in the
   * `job.state` event when the job is done.
   */
  readonly job: J;
  readonly doc: string;
  /** Jobs only: what the jobs list calls a job started with these (validated) parameters. */
  label?(params: z.output<P>): string;
}

export function method<S extends ServiceName, P extends z.ZodType, R extends z.ZodType>(
  service: S,
  spec: { params: P; result: R; doc: string; exposure?: Exposure },
): MethodSpec<P, R, false, S> {
  return { service, params: spec.params, result: spec.result, doc: spec.doc, exposure: spec.exposure ?? 'renderer', job: false };
}

export function job<S extends ServiceName, P extends z.ZodType, R extends z.ZodType>(
  service: S,
  spec: { params: P; result: R; doc: string; label: (params: z.output<P>) => string; exposure?: Exposure },
): MethodSpec<P, R, true, S> {
  return { service, params: spec.params, result: spec.result, doc: spec.doc, label: spec.label, exposure: spec.exposure ?? 'renderer', job: true };
}

/** The last part of a file path, for labels (shared code has no node:path). */
export function baseName(file: string): string {
  return file.split(/[\\/]/).filter(Boolean).pop() ?? file;
}

/** Largest JSON message any channel accepts, in bytes. Pixels never travel as JSON. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

const Id = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const Name = z.string().min(1).max(100).regex(/^[a-zA-Z][\w.]*$/);

export const RequestEnvelope = z.object({
  t: z.literal('req'),
  id: Id,
  method: Name,
  params: z.unknown(),
  /** Set by the broker when the request runs as a job. */
  job: z.string().max(64).optional(),
});
export type RequestEnvelope = z.infer<typeof RequestEnvelope>;

export const ResponseEnvelope = z.discriminatedUnion('ok', [
  z.object({ t: z.literal('res'), id: Id, ok: z.literal(true), result: z.unknown() }),
  z.object({ t: z.literal('res'), id: Id, ok: z.literal(false), error: WireError }),
]);
export type ResponseEnvelope = z.infer<typeof ResponseEnvelope>;

export const EventEnvelope = z.object({ t: z.literal('evt'), name: Name, payload: z.unknown() });
export type EventEnvelope = z.infer<typeof EventEnvelope>;

/** Broker → worker: stop this job soon. */
export const CancelEnvelope = z.object({ t: z.literal('cancel'), job: z.string().max(64) });
/** Broker → worker: finish or cancel what is running, close files (the catalog checkpoints its log) and exit. */
export const StopEnvelope = z.object({ t: z.literal('stop') });
/** Worker → broker once it is listening. */
export const ReadyEnvelope = z.object({ t: z.literal('ready'), service: z.enum(['library', 'engine']), pid: z.number().int() });

export const WorkerInbound = z.discriminatedUnion('t', [RequestEnvelope, CancelEnvelope, StopEnvelope]);
export type WorkerInbound = z.infer<typeof WorkerInbound>;
export const WorkerOutbound = z.union([ResponseEnvelope, EventEnvelope, ReadyEnvelope]);
export type WorkerOutbound = z.infer<typeof WorkerOutbound>;

/** What a UI client sends and receives (IPC in Electron, WebSocket in browser mode). */
export const ClientInbound = z.union([ResponseEnvelope, EventEnvelope]);
export type ClientInbound = z.infer<typeof ClientInbound>;

/** Human-readable summary of a zod failure, short enough for a toast. */
export function describeIssues(error: z.ZodError, limit = 3): string {
  return error.issues
    .slice(0, limit)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}
