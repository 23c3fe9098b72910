/**
 * Restoring many photos as one job: library photos (each becomes a version)
 * or the images of folders (written to an output folder with a format and a
 * naming pattern). A batch runs one photo at a time, can be paused between
 * photos and resumed, and reports every photo's state through batch.status.
 */
import { z } from 'zod';
import { method, job, baseName } from '../rpc.js';
import { JobRef } from '../jobs.js';
import { RestoreSettings } from '../recipe.js';

const PhotoId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const VersionId = PhotoId;
const FilePath = z.string().min(1).max(4096);

/** Output formats of a folder batch (the engine writes these losslessly or at high quality). */
export const BatchFormat = z.enum(['png', 'jpeg', 'webp', 'tiff']);
export type BatchFormat = z.infer<typeof BatchFormat>;

/** Words a naming pattern may use. */
export const NAME_TOKENS = ['{name}', '{n}', '{date}', '{folder}'] as const;

/** How output files are named: {name} the input's name, {n} its number in the batch, {date} today, {folder} its folder. */
export const NamingPattern = z
  .string()
  .trim()
  .min(1, 'Give a naming pattern, e.g. {name}-restored')
  .max(120, 'Naming patterns are limited to 120 characters')
  .refine((p) => !/[/\\]/.test(p), 'A naming pattern is a file name: no / or \\')
  .refine((p) => /\{(name|n)\}/.test(p), 'A naming pattern needs {name} or {n}, or every photo would get the same name')
  .refine((p) => (p.match(/\{[^}]*\}/g) ?? []).every((t) => (NAME_TOKENS as readonly string[]).includes(t)), `Patterns may use ${NAME_TOKENS.join(', ')}`);

/** What a batch restores with: settings, or the recipe of an existing version ("apply this recipe"). */
const How = {
  settings: RestoreSettings.optional(),
  /** Use the recipe of this version (its settings; its crop refitted to each photo). */
  fromVersion: VersionId.optional(),
};
const oneOf = (p: { settings?: unknown; fromVersion?: unknown }) => (p.settings === undefined) !== (p.fromVersion === undefined);
const ONE_OF = 'Give either settings or fromVersion';

export const BatchItemState = z.enum(['queued', 'running', 'done', 'failed', 'cancelled']);

export const BatchItem = z.object({
  /** Library photo (photo batches). */
  photoId: PhotoId.optional(),
  /** What the user reads: the file name. */
  name: z.string(),
  state: BatchItemState,
  /** 0..1 within this photo. */
  fraction: z.number().min(0).max(1),
  /** Photo batches: the version made. */
  versionId: VersionId.optional(),
  /** Folder batches: the file written. */
  output: z.string().optional(),
  /** Folder batches: small before/after pictures, by preview id. */
  beforeId: z.number().int().positive().optional(),
  afterId: z.number().int().positive().optional(),
  error: z.string().max(1000).optional(),
  seconds: z.number().optional(),
  /** What was adjusted for this photo (e.g. a recipe's crop refitted). */
  notes: z.array(z.string().max(500)).max(10).optional(),
});
export type BatchItem = z.infer<typeof BatchItem>;

export const BatchResult = z.object({ items: z.array(BatchItem).max(10_000) });

export const batchMethods = {
  'restore.batch': job('host', {
    doc: 'Restores library photos one after another; each becomes a new version. Pausable between photos; a failed photo does not stop the rest.',
    label: (p) => (p.photoIds.length === 1 ? `Restore 1 photo` : `Restore ${p.photoIds.length} photos`),
    params: z.object({ photoIds: z.array(PhotoId).min(1).max(10_000), ...How, label: z.string().max(200).optional() }).strict().refine(oneOf, ONE_OF),
    result: BatchResult,
  }),
  'restore.folder': job('host', {
    doc: 'Restores the images in folders (or single files) into an output folder, in a format, named by a pattern. Existing files are never overwritten.',
    label: (p) => `Restore ${p.inputs.length === 1 ? baseName(p.inputs[0]!) : `${p.inputs.length} folders`} into ${baseName(p.output)}`,
    params: z
      .object({
        inputs: z.array(FilePath).min(1).max(1000),
        output: FilePath,
        recursive: z.boolean().default(false),
        format: BatchFormat.default('png'),
        naming: NamingPattern.default('{name}-restored'),
        ...How,
      })
      .strict()
      .refine(oneOf, ONE_OF),
    result: BatchResult,
  }),
  'batch.status': method('host', {
    doc: 'Every photo of a batch job (running or finished) with its state, progress and result.',
    params: JobRef.strict(),
    result: z.object({ jobId: z.string(), items: z.array(BatchItem).max(10_000), etaSeconds: z.number().nullable() }),
  }),
} as const;
