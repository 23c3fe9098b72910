/**
 * The one contract between Restora's processes. Every method and event is
 * declared once here; main, preload, renderer, library, engine, the browser
 * host and the CLI all derive their types and their runtime validation from it.
 */
import { z } from 'zod';
import type { MethodSpec, ServiceName } from '../rpc.js';
import { hostMethods } from './host.js';
import { libraryMethods } from './library.js';
import { engineMethods } from './engine.js';
import { finetuneMethods } from './finetune.js';

export { events } from './events.js';
export type { EventName, EventPayload } from './events.js';

export const methods = { ...hostMethods, ...libraryMethods, ...engineMethods, ...finetuneMethods } as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
/** What a caller passes (defaults may be omitted). */
export type Params<M extends MethodName> = z.input<Methods[M]['params']>;
/** What a handler receives after validation (defaults filled in). */
export type ParsedParams<M extends MethodName> = z.output<Methods[M]['params']>;
export type Result<M extends MethodName> = z.output<Methods[M]['result']>;
export type JobMethodName = { [K in MethodName]: Methods[K]['job'] extends true ? K : never }[MethodName];

/** The immediate answer of a job method. */
export const JobStarted = z.object({ jobId: z.string() });

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}

export function methodSpec(name: MethodName): MethodSpec {
  return methods[name] as MethodSpec;
}

export function methodsOf(service: ServiceName): MethodName[] {
  return (Object.keys(methods) as MethodName[]).filter((m) => methods[m].service === service);
}
