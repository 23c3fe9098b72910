/**
 * Error types that cross process boundaries. Every failure a caller can see is
 * one of these codes with a human-readable message; stack traces stay in logs.
 */
import { z } from 'zod';

export const ErrorCode = z.enum([
  /** The message or its parameters failed validation. */
  'BadRequest',
  /** The method name is not part of the contract (or not callable from this side). */
  'UnknownMethod',
  /** Missing or wrong session token (browser mode). */
  'Unauthorized',
  /** A catalog id, job id or file that does not exist. */
  'NotFound',
  /** The message or an input exceeds a size limit. */
  'TooLarge',
  /** The input is of a kind the app cannot handle (format, colour space, device). */
  'Unsupported',
  /** The input file is damaged or not what its name says. */
  'CorruptInput',
  /** The operation conflicts with the current state (e.g. duplicate, busy). */
  'Conflict',
  /** The job was cancelled by the user. */
  'Cancelled',
  /** The disk (or the user's quota) is full; free space and try again (imports can be resumed). */
  'DiskFull',
  /** The worker process that ran the request died; it has been restarted. */
  'WorkerCrashed',
  /** The worker did not answer in time. */
  'Timeout',
  /** Anything else: a bug. */
  'Internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const WireError = z.object({
  code: ErrorCode,
  message: z.string().max(4000),
  /** Optional structured detail, e.g. validation issues or the offending path. */
  details: z.unknown().optional(),
});
export type WireError = z.infer<typeof WireError>;

/** An error with a contract code. Throw it anywhere; transports serialise it. */
export class RestoraError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'RestoraError';
    this.code = code;
    this.details = details;
  }
  toWire(): WireError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
  static fromWire(e: WireError): RestoraError {
    return new RestoraError(e.code, e.message, e.details);
  }
}

/** Converts anything thrown into a wire error without leaking internals. */
export function toWireError(err: unknown): WireError {
  if (err instanceof RestoraError) return err.toWire();
  if (err && typeof err === 'object' && 'code' in err && 'message' in err) {
    const parsed = WireError.safeParse({ code: (err as { code: unknown }).code, message: String((err as { message: unknown }).message) });
    if (parsed.success) return parsed.data;
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'Internal', message: message.slice(0, 4000) || 'Internal error' };
}
