/**
 * Local fine-tuning: adapters (small personalisation weights for the restorer,
 * fitted on the user's machine) and the jobs that make and manage them.
 */
import { z } from 'zod';
import { method, job, baseName } from '../rpc.js';

const FilePath = z.string().min(1).max(4096);
const PhotoId = z.number().int().positive();

/** A user-visible adapter name; also its file name in <data>/adapters. */
export const AdapterName = z
  .string()
  .trim()
  .min(1, 'Give the personalisation a name')
  .max(60, 'Names are limited to 60 characters')
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._'()-]*$/u, 'Use letters, digits, spaces and . _ \' ( ) - only');

export const Verdict = z.enum(['helped', 'no-change', 'hurt', 'not-evaluated']);
export type Verdict = z.infer<typeof Verdict>;

/** Base vs adapted on held-out reference photos. */
export const Evaluation = z.object({
  n: z.number().int().nonnegative(),
  psnrBase: z.number(),
  psnrAdapted: z.number(),
  gainDb: z.number(),
  /** Held-out photos where the adapted model was worse by more than 0.1 dB. */
  worse: z.number().int().nonnegative(),
  verdict: Verdict,
  /** One plain sentence for the user. */
  summary: z.string().max(500),
});
export type Evaluation = z.infer<typeof Evaluation>;

export const AdapterInfo = z.object({
  name: AdapterName,
  size: z.number().int().positive(),
  createdAt: z.number(),
  steps: z.number().int().nonnegative(),
  references: z.number().int().nonnegative(),
  picks: z.number().int().nonnegative(),
  evaluation: Evaluation.nullable(),
  /** False when the adapter was made for a different restorer than the one installed. */
  compatible: z.boolean(),
  problem: z.string().max(500).optional(),
});
export type AdapterInfo = z.infer<typeof AdapterInfo>;

export const PickChoice = z.enum(['a', 'b', 'neither']);

/** Two settings the user compares on one of their damaged photos. */
export const PickPair = z.object({ instructionA: z.string().max(500), instructionB: z.string().max(500) });

/** Training steps when none are given (the Fine-tune tab, the CLI and the job share it). */
export const DEFAULT_FINETUNE_STEPS = 600;
/** Adam's learning rate when none is given (bench:finetune, 12 people: 2e-3 +0.52 dB, 1e-3 +0.47; see models/README). */
export const DEFAULT_FINETUNE_LR = 2e-3;

export const FinetuneOptions = z.object({
  steps: z.number().int().min(1).max(20_000).default(DEFAULT_FINETUNE_STEPS),
  learningRate: z.number().gt(0).max(1).default(DEFAULT_FINETUNE_LR),
  /** Weight of the L2 penalty keeping the adapter near the base model. */
  l2: z.number().min(0).max(100).default(1e-3),
  /** Weight of the Bradley-Terry preference term. */
  preferenceWeight: z.number().min(0).max(100).default(0.5),
  seed: z.number().int().min(0).max(2 ** 31).default(1),
  /** Steps between sample previews (0 = none). */
  previewEvery: z.number().int().min(0).max(10_000).default(25),
});
export type FinetuneOptions = z.input<typeof FinetuneOptions>;

export const FinetuneResult = z.object({
  runId: z.string(),
  adapter: AdapterInfo,
  evaluation: Evaluation,
  /** True when the adapter was saved as the user's choice to apply; false when it did not help. */
  recommended: z.boolean(),
  seconds: z.number(),
  steps: z.number().int(),
  notices: z.array(z.string().max(500)).max(20),
});

export const RunId = z.string().regex(/^ft-[a-z0-9-]{4,40}$/);

export const LossPoint = z.object({ step: z.number().int(), loss: z.number(), restoration: z.number(), preference: z.number().nullable() });
export type LossPoint = z.infer<typeof LossPoint>;

export const RunInfo = z.object({
  runId: RunId,
  name: AdapterName,
  state: z.enum(['running', 'stopped', 'done']),
  step: z.number().int(),
  steps: z.number().int(),
  losses: z.array(LossPoint).max(1500),
  updatedAt: z.number(),
});

const EngineRunParams = z.object({
  runDir: FilePath,
  name: AdapterName,
  references: z.array(FilePath).max(500),
  picks: z.array(z.object({ input: FilePath, choice: PickChoice, ...PickPair.shape })).max(500),
  options: FinetuneOptions,
}).strict();

export const finetuneMethods = {
  'adapters.list': method('engine', {
    doc: 'Adapters in the data folder, with how they did on held-out photos.',
    params: z.object({}).strict(),
    result: z.object({ adapters: z.array(AdapterInfo) }),
  }),
  'adapters.rename': method('engine', {
    doc: 'Renames an adapter.',
    params: z.object({ name: AdapterName, newName: AdapterName }).strict(),
    result: AdapterInfo,
  }),
  'adapters.delete': method('engine', {
    doc: 'Deletes an adapter file.',
    params: z.object({ name: AdapterName }).strict(),
    result: z.object({ ok: z.literal(true) }),
  }),
  'adapters.exportData': method('engine', {
    doc: 'An adapter file as base64, for saving elsewhere (adapters are small: tens of kB).',
    params: z.object({ name: AdapterName }).strict(),
    result: z.object({ fileName: z.string(), base64: z.string().max(700_000) }),
  }),
  'adapters.importData': method('engine', {
    doc: 'Imports an adapter file given as base64; corrupt, foreign or incompatible files are refused with the reason.',
    params: z.object({ base64: z.string().min(1).max(700_000), name: AdapterName.optional() }).strict(),
    result: AdapterInfo,
  }),
  'engine.adapterExport': method('engine', {
    doc: 'Writes an adapter file to a path (CLI).',
    exposure: 'internal',
    params: z.object({ name: AdapterName, path: FilePath }).strict(),
    result: z.object({ path: FilePath }),
  }),
  'engine.adapterImport': method('engine', {
    doc: 'Imports an adapter file from a path (CLI).',
    exposure: 'internal',
    params: z.object({ path: FilePath, name: AdapterName.optional() }).strict(),
    result: AdapterInfo,
  }),
  'engine.finetune': job('engine', {
    doc: 'Fits an adapter on reference photos (and picks); state is checkpointed in runDir so it can resume.',
    label: (p) => `Train adapter "${p.name}"`,
    exposure: 'internal',
    params: EngineRunParams.extend({ resume: z.boolean().default(false) }).strict(),
    result: FinetuneResult,
  }),
  'engine.finetunePair': job('engine', {
    doc: 'Two restorations of one photo with different settings, for an A/B pick.',
    label: (p) => `A/B pair of ${baseName(p.input)}`,
    exposure: 'internal',
    params: z.object({ input: FilePath, outputA: FilePath, outputB: FilePath, ...PickPair.shape }).strict(),
    result: z.object({ ok: z.literal(true) }),
  }),
  'finetune.start': job('host', {
    doc: 'Creates a personalisation from library photos (a selection, an album or a tag) and A/B picks, and trains it locally.',
    label: (p) => `Personalise "${p.name}"`,
    params: z.object({
      name: AdapterName,
      photoIds: z.array(PhotoId).max(500).default([]),
      albumId: PhotoId.optional(),
      tag: z.string().max(200).optional(),
      picks: z.array(z.object({ photoId: PhotoId, choice: PickChoice, ...PickPair.shape })).max(500).default([]),
      options: FinetuneOptions.prefault({}),
    }).strict(),
    result: FinetuneResult,
  }),
  'finetune.resume': job('host', {
    doc: 'Continues a cancelled or interrupted fine-tuning run from its last checkpoint.',
    label: (p) => `Resume personalisation ${p.runId}`,
    params: z.object({ runId: RunId }).strict(),
    result: FinetuneResult,
  }),
  'finetune.runs': method('host', {
    doc: 'Fine-tuning runs in the data folder (newest first) with their loss history; stopped ones can be resumed.',
    params: z.object({}).strict(),
    result: z.object({ runs: z.array(RunInfo).max(100) }),
  }),
  'finetune.pair': job('host', {
    doc: 'Two restorations of a library photo with different settings, shown side by side for an A/B pick (served as preview ids).',
    label: (p) => `A/B pair for photo ${p.photoId}`,
    params: z.object({ photoId: PhotoId, ...PickPair.shape }).strict(),
    result: z.object({ aId: z.number().int().positive(), bId: z.number().int().positive() }),
  }),
} as const;
