/**
 * The one contract between Restora's processes. Every method and event is
 * declared once here; main, preload, renderer, library, engine, the browser
 * host and the CLI all derive their types and their runtime validation from it.
 */
import { z } from 'zod';
import { describeIssues, type MethodSpec, type ServiceName } from '../rpc.js';
import { RestoraError } from '../errors.js';
import { hostMethods } from './host.js';
import { libraryMethods } from './library.js';
import { engineMethods } from './engine.js';
import { finetuneMethods } from './finetune.js';
import { batchMethods } from './batch.js';
import { appSettingsMethods } from './app-settings.js';
import { peopleMethods } from './people.js';

export { events } from './events.js';
export type { EventName, EventPayload } from './events.js';

export const methods = { ...hostMethods, ...batchMethods, ...appSettingsMethods, ...libraryMethods, ...engineMethods, ...finetuneMethods, ...peopleMethods } as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
/** What a caller passes (defaults may be omitted). */
export type Params<M extends MethodName> = z.input<Methods[M]['params']>;
/** What a handler receives after validation (defaults filled in). */
export type ParsedParams<M extends MethodName> = z.output<Methods[M]['params']>;
export type Result<M extends MethodName> = z.output<Methods[M]['result']>;
export type JobMethodName = { [K in MethodName]: Methods[K]['job'] extends true ? K : never }[MethodName];
/** Methods that answer at once (not jobs). */
export type NonJobMethodName = Exclude<MethodName, JobMethodName>;

/** The immediate answer of a job method. */
export const JobStarted = z.object({ jobId: z.string() });

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}

export function isJobMethod(name: MethodName): name is JobMethodName {
  return methods[name].job;
}

export function methodSpec(name: MethodName): MethodSpec {
  return methods[name] as MethodSpec;
}

export function methodsOf(service: ServiceName): MethodName[] {
  return (Object.keys(methods) as MethodName[]).filter((m) => methods[m].service === service);
}

/** A method's parameters checked against the contract (defaults filled in); BadRequest when they do not fit. */
export function parseParams<M extends MethodName>(m: M, raw: unknown): ParsedParams<M> {
  const checked = methodSpec(m).params.safeParse(raw);
  if (!checked.success) throw new RestoraError('BadRequest', `Invalid parameters for ${m}: ${describeIssues(checked.error)}`);
  // TypeScript cannot tie methods[M]'s schema to M through the map; the schema checked is that of M.
  return checked.data as ParsedParams<M>;
}

/**
 * A method's answer (or a job's result) checked against the contract. What
 * fails is the answering side's bug, reported as Internal with the method named.
 */
export function parseResult<M extends MethodName>(m: M, raw: unknown): Result<M> {
  const spec = methodSpec(m);
  const checked = spec.result.safeParse(raw);
  if (!checked.success) throw new RestoraError('Internal', `The ${spec.service} service broke the contract for ${m}: ${describeIssues(checked.error)}`);
  return checked.data as Result<M>;
}

/** What the jobs list calls a job of method `m` with these validated parameters (cut to fit JobInfo's label). */
export function jobLabel(m: MethodName, params: unknown): string {
  const label = methodSpec(m).label?.(params) ?? m;
  return label.length > 200 ? `${label.slice(0, 199)}…` : label;
}
