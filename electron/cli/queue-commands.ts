/**
 * The queue commands: `restora worker --queue URL`, `restora restore ...
 * --queue URL`, `restora queue status BATCH` and `restora queue use URL|off`.
 * The queue itself (BullMQ on Redis) lives in electron/queue.
 */
import { Broker } from '../broker/broker.js';
import { nodeSpawner } from '../host/node-worker.js';
import { APP_VERSION } from '../node/app-version.js';
import { ensureDataDir, resolveDataDir } from '../node/data-dir.js';
import { RestoraError } from '../shared/errors.js';
import { ExecutionDevice, type RestoreSettings } from '../shared/recipe.js';
import type { BatchItem, BatchMeta } from '../queue/batch.js';
import { fileHooks, planFileItems } from '../queue/file-items.js';
import { libraryHooks, planLibraryItems } from '../queue/library-items.js';
import { queueSetting, setQueueSetting } from '../queue/queue-setting.js';
import { reattach, submitBatch } from '../queue/session.js';
import { startQueueWorker } from '../queue/worker.js';
import { flagNumber, flagString, type ParsedArgs } from './args.js';
import { progressPrinter } from './progress-bar.js';

export const QUEUE_HELP = `  worker --queue URL           Take restore jobs from a queue (BullMQ on Redis) and run them here
          --concurrency N      Engine processes, one job each (default 1); --device as for restore
  restore ... --queue URL      Send the restores to the queue's workers and wait for the results
                               (library restores use \`queue use\`'s URL by default; --local: not)
  queue status BATCH           How a queued batch is doing; reattaches and follows it to the end
                               (--no-wait: only look; --queue URL unless \`queue use\` set one)
  queue use URL | off          Send library restores through this queue from now on
`;

type WithBroker = <T>(fn: (b: Broker) => Promise<T>) => Promise<T>;
type Print = (json: boolean, data: unknown, text: string) => void;

/** The queue a restore should use: --queue, else (library restores only) the saved setting, unless --local. */
export function queueFor(args: ParsedArgs): string | null {
  if (args.flags.has('local')) return null;
  return flagString(args, 'queue') ?? (args.flags.has('library') ? queueSetting(resolveDataDir()) : null);
}

function reporter(label: string, json: boolean) {
  const bar = progressPrinter(label, !json && process.stderr.isTTY === true);
  return {
    bar,
    log(line: string) {
      bar.done();
      process.stderr.write(`${line}\n`);
    },
  };
}

function describeItem(it: BatchItem, inputs?: string[]): string {
  if (it.source.kind === 'photo') {
    return it.state === 'done' ? `photo ${it.source.photoId}: new version ${it.result?.versionId}` : `✗ photo ${it.source.photoId}: ${it.error?.message ?? it.state}`;
  }
  const input = inputs?.[it.index] ?? it.source.path;
  if (it.state !== 'done') return `✗ ${input}: ${it.error?.message ?? (it.state === 'planned' ? 'not sent yet' : 'waiting in the queue')}`;
  const r = it.result!;
  return `✓ ${input} → ${r.output} (${r.seconds.toFixed(1)} s on ${r.worker})${r.notices.map((n) => `\n  note: ${n}`).join('')}`;
}

function jsonItem(it: BatchItem, inputs?: string[]): unknown {
  const r = it.result;
  if (it.source.kind === 'photo') return r ? { photoId: it.source.photoId, versionId: r.versionId, worker: r.worker } : { photoId: it.source.photoId, state: it.state, ...(it.error ? { error: it.error.message } : {}) };
  const input = inputs?.[it.index] ?? it.source.path;
  if (!r) return { input, state: it.state, ...(it.error ? { error: it.error.message } : {}) };
  return { input, output: r.output, seconds: r.seconds, mode: r.mode, ...(r.seed !== null ? { seed: r.seed } : {}), ...(r.notices.length ? { notices: r.notices } : {}), worker: r.worker };
}

export async function restoreViaQueue(args: ParsedArgs, json: boolean, url: string, settings: RestoreSettings, h: { withBroker: WithBroker; print: Print; collectImages(p: string[]): string[] }): Promise<number> {
  const library = args.flags.has('library');
  let inputs: string[] = [];
  let fileItems: BatchItem[] = [];
  if (!library) {
    const outDir = flagString(args, 'output');
    if (!outDir) throw new RestoraError('BadRequest', 'restore needs -o DIR for the results');
    if (!args.positional.length) throw new RestoraError('BadRequest', 'restore needs image files or folders');
    inputs = h.collectImages(args.positional);
    if (!inputs.length) throw new RestoraError('NotFound', 'No images found in the given paths');
    fileItems = planFileItems(inputs, outDir);
  }
  const ids = args.positional.map(Number);
  if (library && (!ids.length || ids.some((n) => !Number.isInteger(n) || n <= 0))) throw new RestoraError('BadRequest', 'restore --library needs photo ids (see `restora list`)');
  return h.withBroker(async (b) => {
    const items = library ? await planLibraryItems(b, ids) : fileItems;
    const r = reporter(`${items.length} photo(s) through the queue`, json);
    const { items: done } = await submitBatch({
      url,
      kind: library ? 'library' : 'files',
      items,
      settings,
      broker: b,
      hooks: library ? libraryHooks(b) : fileHooks,
      version: APP_VERSION,
      log: r.log,
      onProgress: r.bar.update,
      onBatch: (id, display) => r.log(`Batch ${id} on ${display}; if this stops, reattach with: restora queue status ${id} --queue URL`),
    });
    r.bar.done();
    h.print(json, done.map((it) => jsonItem(it, inputs)), done.map((it) => describeItem(it, inputs)).join('\n'));
    return done.every((it) => it.state === 'done') ? 0 : 1;
  });
}

function counts(items: BatchItem[]): string {
  const n = (s: BatchItem['state']) => items.filter((it) => it.state === s).length;
  return `${n('done')} done, ${n('failed')} failed, ${n('sent')} in the queue, ${n('planned')} not sent yet`;
}

async function cmdStatus(args: ParsedArgs, json: boolean, print: Print): Promise<number> {
  const batch = args.positional[1];
  if (!batch) throw new RestoraError('BadRequest', 'queue status needs a batch id (printed when the batch was sent)');
  const dataDir = resolveDataDir();
  const url = flagString(args, 'queue') ?? queueSetting(dataDir);
  if (!url) throw new RestoraError('BadRequest', 'queue status needs --queue URL (or set one with `restora queue use URL`)');
  const r = reporter(`batch ${batch}`, json);
  let broker: Broker | null = null;
  try {
    const { meta, items, followed, why } = await reattach({
      url,
      batch,
      dataDir,
      log: r.log,
      onProgress: r.bar.update,
      hooksFor: async (m: BatchMeta, now: BatchItem[]) => {
        if (args.flags.has('no-wait')) return null;
        r.log(`Batch ${m.id}: ${m.total} photo(s), sent ${new Date(m.createdAt).toLocaleString()}; ${counts(now)}`);
        if (m.kind === 'files') return fileHooks;
        broker = new Broker({ spawn: nodeSpawner({ logDir: ensureDataDir(dataDir).logs }), dataDir, mode: 'cli', version: APP_VERSION });
        return libraryHooks(broker);
      },
    });
    r.bar.done();
    const header = `Batch ${meta.id} (${meta.kind}, ${meta.total} photo(s), from ${meta.host}): ${counts(items)}${!followed && why ? `\nNot followed from here: ${why}.` : ''}`;
    print(json, { batch: meta.id, kind: meta.kind, total: meta.total, host: meta.host, followed, items: items.map((it) => ({ state: it.state, ...(jsonItem(it) as object) })) }, [header, ...items.map((it) => describeItem(it))].join('\n'));
    return items.some((it) => it.state === 'failed') ? 1 : 0;
  } finally {
    // Awaited: the library worker checkpoints the catalog as it stops.
    await (broker as Broker | null)?.stop();
  }
}

export async function cmdQueue(args: ParsedArgs, json: boolean, print: Print): Promise<number> {
  const [sub] = args.positional;
  if (sub === 'status') return cmdStatus(args, json, print);
  if (sub === 'use') {
    const value = args.positional[1];
    if (!value) throw new RestoraError('BadRequest', 'queue use needs a URL (redis://HOST:PORT) or off');
    const display = setQueueSetting(resolveDataDir(), value === 'off' ? null : value);
    print(json, { queue: display }, display ? `Library restores now go through the queue at ${display}` : 'Library restores now run on this computer');
    return 0;
  }
  throw new RestoraError('BadRequest', `Unknown queue command "${sub ?? ''}" (status, use)`);
}

export async function cmdWorker(args: ParsedArgs): Promise<number> {
  const url = flagString(args, 'queue');
  if (!url) throw new RestoraError('BadRequest', 'worker needs --queue redis://HOST:PORT');
  const concurrency = flagNumber(args, 'concurrency') ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new RestoraError('BadRequest', '--concurrency must be a whole number from 1 to 64');
  const deviceFlag = flagString(args, 'device');
  const device = deviceFlag === undefined ? undefined : ExecutionDevice.safeParse(deviceFlag);
  if (device && !device.success) throw new RestoraError('BadRequest', `--device must be one of ${ExecutionDevice.options.join(', ')}`);
  const dataDir = resolveDataDir();
  const paths = ensureDataDir(dataDir);
  const log = (line: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
  const w = await startQueueWorker({ url, concurrency, dataDir, logDir: paths.logs, version: APP_VERSION, log, ...(device?.success ? { device: device.data } : {}) });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      log('Stopping now; running jobs go back to the queue for another worker');
      void w.stop(true).finally(() => process.exit(130));
      return;
    }
    stopping = true;
    log(`${signal}: finishing the running job(s) first (Ctrl-C again to stop at once)`);
    void w.stop().finally(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('Interrupted'));
  process.on('SIGTERM', () => stop('Terminated'));
  return -1; // runs until stopped
}
