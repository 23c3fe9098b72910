/**
 * The app's settings (stored as settings.json in the data folder), the folder
 * browser used by every "choose a folder" field (browser mode has no native
 * dialog with paths), and the thumbnail and preview cache.
 */
import { z } from 'zod';
import { method } from '../rpc.js';
import { ExecutionDevice, RestoreMode } from '../recipe.js';

export const MAX_THREADS = 256;

/** Each setting, without its default (a change names only what it changes). */
const fields = {
  /** Mode the Restore panel and the CLI start with. */
  defaultMode: RestoreMode,
  /** Device restorations run on unless one is chosen. */
  device: ExecutionDevice,
  /** Threads ONNX Runtime uses; 0 = one per CPU core. Takes effect when the engine restarts (at once when idle). */
  threads: z.number().int('Threads must be a whole number').min(0, 'Threads must be 0 (all cores) or more').max(MAX_THREADS, `At most ${MAX_THREADS} threads`),
  /** Tile side in pixels for restoration; 0 = the model's own. Smaller tiles use less memory. */
  tileSize: z
    .number()
    .int('The tile size must be a whole number of pixels')
    .refine((n) => n === 0 || (n >= 128 && n <= 2048), 'The tile size must be 0 (the model’s own) or from 128 to 2048 pixels'),
  /** The cache (full-size renditions, cropped sources, previews) is trimmed to this size, oldest first. Thumbnails are not counted. */
  cacheLimitMB: z.number().int('The cache size must be a whole number of MB').min(100, 'Keep at least 100 MB of cache').max(1_000_000),
  /** After an import in the app, find the people in the new photos in the background (people.find). Off by default: it takes seconds a photo. */
  findPeopleAfterImport: z.boolean(),
};

export const AppSettings = z.object({
  defaultMode: fields.defaultMode.default('fast'),
  device: fields.device.default('cpu'),
  threads: fields.threads.default(0),
  tileSize: fields.tileSize.default(0),
  cacheLimitMB: fields.cacheLimitMB.default(2048),
  findPeopleAfterImport: fields.findPeopleAfterImport.default(false),
});
/** A change to some settings: only the fields given (no defaults filled in, or a change to one would reset the others). */
export const AppSettingsPatch = z.object(fields).partial().strict();
export type AppSettings = z.output<typeof AppSettings>;

const FilePath = z.string().min(1).max(4096);

export const appSettingsMethods = {
  'settings.get': method('host', {
    doc: 'The settings, with where they are stored; a damaged settings file reads as the defaults (and says so).',
    params: z.object({}).strict(),
    result: z.object({ settings: AppSettings, file: z.string(), problem: z.string().max(500).optional() }),
  }),
  'settings.set': method('host', {
    doc: 'Changes some settings and stores them. Threads restart the engine when it is idle, else at its next start.',
    params: AppSettingsPatch,
    result: z.object({ settings: AppSettings, file: z.string(), engineRestarted: z.boolean() }),
  }),
  'files.browse': method('host', {
    doc: 'A folder\'s sub-folders and how many images it holds, for choosing a folder. Without a path: the home folder and the roots.',
    params: z.object({ path: FilePath.optional() }).strict(),
    result: z.object({
      path: z.string(),
      parent: z.string().nullable(),
      folders: z.array(z.string()).max(5000),
      images: z.number().int(),
      /** Places to start from: home, Pictures, drives. */
      places: z.array(z.object({ label: z.string(), path: z.string() })).max(50),
      truncated: z.boolean(),
    }),
  }),
  'cache.info': method('host', {
    doc: 'How much disk the thumbnails and the cache use.',
    params: z.object({}).strict(),
    result: z.object({ thumbnailsBytes: z.number(), cacheBytes: z.number(), limitBytes: z.number() }),
  }),
  'cache.clear': method('host', {
    doc: 'Deletes the cache (full-size renditions, cropped sources, previews); they are made again when needed. Thumbnails stay: a missing original could not make them again.',
    params: z.object({}).strict(),
    result: z.object({ freedBytes: z.number() }),
  }),
} as const;
