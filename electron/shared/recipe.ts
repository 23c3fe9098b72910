/** The full recipe of a restoration: enough to reproduce it and to show how it was made. */
import { z } from 'zod';

export const RestoreMode = z.enum(['fast', 'generative']);
export type RestoreMode = z.infer<typeof RestoreMode>;

export const ExecutionDevice = z.enum(['cpu', 'cuda', 'webgpu', 'dml', 'coreml']);
export type ExecutionDevice = z.infer<typeof ExecutionDevice>;

/** Longest instruction accepted; longer text is refused with a clear message, not truncated silently. */
export const MAX_INSTRUCTION_CHARS = 16_384;

export const Instruction = z.string().max(MAX_INSTRUCTION_CHARS, `Instructions are limited to ${MAX_INSTRUCTION_CHARS} characters`);

export const RestoreSettings = z.object({
  instruction: Instruction.default(''),
  mode: RestoreMode.default('fast'),
  /** 0 = most generated detail, 1 = closest to the input. */
  fidelity: z.number().min(0).max(1).default(0.7),
  seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
  device: ExecutionDevice.default('cpu'),
  adapter: z.string().max(100).optional(),
  /**
   * Which detected faces to restore, as boxes in image pixels (from the analysis).
   * Absent: every face found. Empty: no face restoration.
   */
  faces: z.array(z.object({ x: z.number(), y: z.number(), w: z.number().positive(), h: z.number().positive() })).max(500).optional(),
});
export type RestoreSettings = z.input<typeof RestoreSettings>;
export type ResolvedRestoreSettings = z.output<typeof RestoreSettings>;

export const ModelRef = z.object({ id: z.string().max(100), version: z.string().max(40), sha256: z.string().max(64) });

export const Recipe = z.object({
  engineVersion: z.string().max(40),
  models: z.array(ModelRef).max(20),
  instruction: z.string().max(MAX_INSTRUCTION_CHARS),
  semanticTokens: z.array(z.string().max(64)).max(64),
  mode: RestoreMode,
  fidelity: z.number(),
  seed: z.number().int().nullable(),
  settings: z.record(z.string(), z.unknown()),
  executionProvider: z.string().max(40),
  adapter: z.string().max(100).nullable(),
  timings: z.record(z.string(), z.number()),
  totalSeconds: z.number(),
});
export type Recipe = z.infer<typeof Recipe>;
