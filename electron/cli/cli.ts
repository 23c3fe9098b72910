/**
 * The `restora` command: the same library and engine services as the app,
 * started as worker processes behind the same broker.
 *   restora --help
 *   restora import <paths...>
 *   restora list [--query TEXT] [--json]
 *   restora restore <files or folders...> -o DIR [--mask FILE] [--no-repair] [--instruction TEXT] [--set SLOT=VALUE ...] [--explain] [--mode fast|generative] [--fidelity F] [--steps N] [--guidance G] [--seed N | --variation] [--device D] [--json]
 *   restora restore --library <photoId...> [...]   (results become versions in the library)
 *   restora restore --recipe VERSION_ID (--library <photoId...> | <files...> -o DIR)
 *   restora analyze <files or folders...> [--json] | --library <photoId...>
 *   restora people [list|find|name ID NAME|merge A B|same|apart A B]
 *   restora export <photoId...> -o DIR [--format jpeg|png|webp|tiff|avif] [--quality Q] [--naming P] [--long-edge PX] [--metadata M]
 *   restora <command> --help; unknown options are refused with the nearest known one (options.ts)
 *   restora finetune <files...> --name NAME | --library <ids...>; restora adapters [list|rename|delete|export|import]
 *   restora worker --queue URL [--concurrency N]; restore ... --queue URL; restora queue status BATCH | use URL
 *   restora info | calibrate | serve (browser mode)
 */
import fs from 'node:fs';
import path from 'node:path';
import { Broker } from '../broker/broker.js';
import { SettingsStore } from '../broker/settings-store.js';
import { resolveDataDir, ensureDataDir } from '../node/data-dir.js';
import { APP_VERSION } from '../node/app-version.js';
import { nodeSpawner } from '../host/node-worker.js';
import { RestoraError } from '../shared/errors.js';
import { RestoreSettings, type RestoreSettings as Settings } from '../shared/recipe.js';
import { describeIssues } from '../shared/rpc.js';
import { parseParams, type Result } from '../shared/contract/index.js';
import { parseArgs, flagNumber, flagString, type ParsedArgs } from './args.js';
import { progressPrinter } from './progress-bar.js';
import { cmdAdapters, cmdFinetune, FINETUNE_HELP } from './finetune-commands.js';
import { collectImages } from './collect-images.js';
import { printable } from '../node/file-names.js';
import { prepareOutputFolder } from '../node/disk-space.js';
import { sweepLeftovers } from '../node/leftovers.js';
import { cmdQueue, cmdWorker, queueFor, restoreViaQueue, QUEUE_HELP } from './queue-commands.js';
import { cmdAnalyze, ANALYZE_HELP } from './analyze-command.js';
import { cmdPeople, PEOPLE_HELP } from './people-command.js';
import { COMMANDS, knownOptions, unknownOptionMessage } from './options.js';
import { editsFrom, explainRecipe, explainWords, EXPLAIN_HELP } from './explain.js';

const HELP = `Restora ${APP_VERSION} — bring damaged photographs back.

Usage: restora <command> [options]

Commands:
  import <paths...>            Import files and folders into the library
          --resume [RUN]       Continue a stopped import (full disk, killed, cancelled)
  list [--query TEXT]          List photos in the library (--json for machine output)
  restore <files|folders...>   Restore image files into -o DIR (no library needed)
          --library <ids...>   ...or restore library photos; results become versions
          --instruction TEXT   What to fix, e.g. "remove the scratches but keep the grain"
          --mask FILE          The damage to repair, white on black, the size of the photo
                               (replaces the detector's; the mask used is written beside
                               each result as NAME-restored.mask.png); --no-repair: none
          --mode fast|generative, --fidelity 0..1, --device cpu|cuda|webgpu|dml|coreml
          --recipe VERSION_ID  ...or with the recipe of an existing version
          Generative: --steps 1..32 (default 4), --guidance 0..10 (default 1.5);
          same photo + settings give the same result, unless --seed N (a repeatable
          variation) or --variation (a new random one each run)
  damage <file> -o MASK.png    Write the damage the detector finds (white = repair) at the
                               photo's size, to edit in any image editor and use with --mask
${EXPLAIN_HELP}${ANALYZE_HELP}${PEOPLE_HELP}  export <photoIds...> -o DIR  Export photos (preferred version if any) with metadata
          --format jpeg|png|webp|tiff|avif  --quality 1..100  --originals
          --naming PATTERN ({name} {version} {n} {date})  --long-edge PX  --metadata all|essential|none
${FINETUNE_HELP}${QUEUE_HELP}  backup [--list]              Back the catalog up now (daily backups are automatic)
  restore-backup <name>|--latest   Replace the catalog with a backup (the current one is kept)
  info                         Versions, data folder, ONNX Runtime devices and models
  calibrate [--seconds S]      Measure this CPU's matrix-multiply speed
  serve [--port N] [--no-open] Start browser mode (same as npm start -- --browser)

Options:
  --json       Print results as JSON on stdout
  --help, -h   Show this help (restora <command> --help: that command's options)
Unknown options are refused, with the nearest known one.

Data folder: $RESTORA_HOME, or the platform's user-data folder.
`;


async function withBroker<T>(fn: (b: Broker) => Promise<T>): Promise<T> {
  const dataDir = resolveDataDir();
  const paths = ensureDataDir(dataDir);
  const broker = new Broker({ spawn: nodeSpawner({ logDir: paths.logs }), dataDir, mode: 'cli', version: APP_VERSION });
  await broker.start();
  // Ctrl-C stops the workers cleanly too: the running job is cancelled (an import can be resumed) and the catalog closed.
  const stop = () => void broker.stop().finally(() => process.exit(130));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await fn(broker);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await broker.stop();
  }
}

/** Restore settings from the flags; mode and device default to the app's Settings (settings.json in the data folder). */
function settingsFrom(args: ParsedArgs): Settings {
  const defaults = new SettingsStore(path.join(resolveDataDir(), 'settings.json')).read().settings;
  const raw = {
    instruction: flagString(args, 'instruction') ?? '',
    mode: flagString(args, 'mode') ?? defaults.defaultMode,
    fidelity: flagNumber(args, 'fidelity') ?? 0.7,
    device: flagString(args, 'device') ?? defaults.device,
    ...(flagNumber(args, 'seed') !== undefined ? { seed: flagNumber(args, 'seed') } : {}),
    ...(flagNumber(args, 'steps') !== undefined ? { steps: flagNumber(args, 'steps') } : {}),
    ...(flagNumber(args, 'guidance') !== undefined ? { guidance: flagNumber(args, 'guidance') } : {}),
    // A seed or --variation asks for a variation; otherwise runs are deterministic.
    ...(flagNumber(args, 'seed') !== undefined || args.flags.has('variation') ? { deterministic: false } : {}),
    ...(flagString(args, 'adapter') ? { adapter: flagString(args, 'adapter') } : {}),
    ...(editsFrom(args) ? { set: editsFrom(args) } : {}),
    ...(args.flags.has('no-repair') ? { repair: false } : {}),
  };
  const parsed = RestoreSettings.safeParse(raw);
  if (!parsed.success) throw new RestoraError('BadRequest', describeIssues(parsed.error));
  return raw as Settings;
}

function uniqueOutput(dir: string, input: string): string {
  const base = path.basename(input).replace(/\.[^.]+$/, '');
  let candidate = path.join(dir, `${base}-restored.png`);
  for (let n = 2; fs.existsSync(candidate); n++) candidate = path.join(dir, `${base}-restored (${n}).png`);
  return candidate;
}

/** The restore options a recipe decides; given together with --recipe they would be ignored, so they are refused. */
const RECIPE_DECIDES = ['instruction', 'set', 'mode', 'fidelity', 'seed', 'steps', 'guidance', 'device', 'adapter', 'variation'];

/** `restore --recipe VERSION_ID`: library photos or image files restored with an existing version's recipe, as one batch. */
async function restoreWithRecipe(args: ParsedArgs, json: boolean, versionId: number): Promise<number> {
  const clash = RECIPE_DECIDES.filter((f) => args.flags.has(f));
  if (clash.length) throw new RestoraError('BadRequest', `--recipe takes every setting from version ${versionId}; leave out ${clash.map((f) => `--${f}`).join(', ')}`);
  if (flagString(args, 'queue')) throw new RestoraError('BadRequest', '--recipe runs on this machine; leave out --queue');
  const library = args.flags.has('library');
  const ids = args.positional.map(Number);
  if (library && (!ids.length || ids.some((n) => !Number.isInteger(n) || n <= 0))) throw new RestoraError('BadRequest', 'restore --library needs photo ids (see `restora list`)');
  const outDir = flagString(args, 'output');
  if (!library && !outDir) throw new RestoraError('BadRequest', 'restore needs -o DIR for the results');
  if (!library && !args.positional.length) throw new RestoraError('BadRequest', 'restore needs image files or folders');
  return withBroker(async (b) => {
    const v = await b.invoke('library.getVersion', { versionId });
    const bar = progressPrinter(`recipe of version ${versionId}`, !json && process.stderr.isTTY === true);
    const r = library
      ? await b.runJob('restore.batch', { photoIds: ids, fromVersion: versionId }, bar.update)
      : await b.runJob('restore.folder', { inputs: args.positional.map((p) => path.resolve(p)), output: path.resolve(outDir!), recursive: true, fromVersion: versionId }, bar.update);
    bar.done();
    const lines = r.items.map((it) => {
      const what = it.photoId !== undefined ? `photo ${it.photoId}` : it.name;
      const notes = (it.notes ?? []).map((n) => `\n  note: ${n}`).join('');
      if (it.state !== 'done') return `✗ ${what}: ${it.error ?? it.state}`;
      return `✓ ${what} → ${it.versionId !== undefined ? `new version ${it.versionId}` : it.output}${notes}`;
    });
    print(json, { recipe: { versionId, photoId: v.photoId, instruction: v.recipe.instruction }, items: r.items }, [`Recipe of version ${versionId} (${v.label}, from ${v.fileName}): "${v.recipe.instruction}"`, ...lines].join('\n'));
    return r.items.every((it) => it.state === 'done') ? 0 : 1;
  });
}

async function cmdRestore(args: ParsedArgs, json: boolean): Promise<number> {
  const recipe = flagString(args, 'recipe');
  if (recipe !== undefined) {
    const versionId = Number(recipe);
    if (!Number.isInteger(versionId) || versionId <= 0) throw new RestoraError('BadRequest', `--recipe needs a version id (a whole number), got "${recipe}"`);
    return restoreWithRecipe(args, json, versionId);
  }
  const settings = settingsFrom(args);
  const explain = args.flags.has('explain');
  if (explain && !json) process.stdout.write(`${explainWords(settings.instruction ?? '', settings.set)}\n`);
  const queue = queueFor(args);
  if (queue) return restoreViaQueue(args, json, queue, settings, { withBroker, print, collectImages: (p) => collectImages(p).files });
  if (args.flags.has('library')) {
    const ids = args.positional.map(Number);
    if (!ids.length || ids.some((n) => !Number.isInteger(n) || n <= 0)) throw new RestoraError('BadRequest', 'restore --library needs photo ids (see `restora list`)');
    return withBroker(async (b) => {
      const results = [];
      for (const photoId of ids) {
        const bar = progressPrinter(`photo ${photoId}`, !json && process.stderr.isTTY === true);
        results.push(await b.runJob('restore.photo', { photoId, settings }, bar.update));
        bar.done();
      }
      print(json, results, results.map((r) => `photo ${r.photoId}: new version ${r.versionId}`).join('\n'));
      return 0;
    });
  }
  const outDir = flagString(args, 'output');
  if (!outDir) throw new RestoraError('BadRequest', 'restore needs -o DIR for the results');
  if (!args.positional.length) throw new RestoraError('BadRequest', 'restore needs image files or folders');
  const { files, problems, earlierResults } = collectImages(args.positional, { outputDir: outDir });
  if (!files.length && !problems.length) throw new RestoraError('NotFound', earlierResults.length ? `No images to restore: the only ones found are ${earlierResults.length} earlier result(s) in the output folder` : 'No images found in the given paths');
  // Before any work: the output folder exists (or is made), can be written, and is not full.
  prepareOutputFolder(outDir);
  // Temporary files of earlier runs that were killed mid-write.
  sweepLeftovers(outDir);
  if (earlierResults.length && !json) process.stderr.write(`Not restoring ${earlierResults.length} earlier result(s) found in the output folder.\n`);
  const mask = flagString(args, 'mask');
  if (mask && files.length !== 1) throw new RestoraError('BadRequest', '--mask belongs to one photo; restore that photo alone');
  if (mask && !fs.existsSync(mask)) throw new RestoraError('NotFound', `The mask ${mask} does not exist`);
  return withBroker(async (b) => {
    const results: Array<{ input: string; output?: string; error?: string; seconds?: number; mode?: string; seed?: number; notices?: string[]; understood?: unknown; explained?: string }> = problems.map((p) => ({ input: p.input, error: p.error }));
    for (const input of files) {
      const bar = progressPrinter(path.basename(input), !json && process.stderr.isTTY === true);
      try {
        // The engine claims the name atomically (another run into the same folder gets "(2)"); r.output is the name it took.
        const output = path.resolve(uniqueOutput(outDir, input));
        const maskOutput = output.replace(/\.png$/, '.mask.png');
        const r = await b.runJob('engine.restoreFile', { input: path.resolve(input), output, settings, noReplace: true, maskOutput, ...(mask ? { mask: path.resolve(mask) } : {}) }, bar.update);
        // What the engine chose instead of what was asked (a missing device, a refused model) is said, not buried in the recipe.
        const notices = (r.recipe.settings.notices as string[] | undefined) ?? [];
        results.push({
          input,
          output: r.output,
          seconds: r.recipe.totalSeconds,
          mode: r.recipe.mode,
          ...(r.recipe.seed !== null ? { seed: r.recipe.seed } : {}),
          ...(notices.length ? { notices } : {}),
          ...(explain ? (json ? { understood: r.recipe.settings.steering ?? null } : { explained: explainRecipe(r.recipe) }) : {}),
        });
      } catch (err) {
        results.push({ input, error: (err as Error).message });
      } finally {
        bar.done();
      }
    }
    print(json, results, results.map((r) => (r.error ? `✗ ${printable(r.input)}: ${r.error}` : `✓ ${printable(r.input)} → ${printable(r.output!)} (${r.seconds!.toFixed(1)} s)${(r.notices ?? []).map((n) => `\n  note: ${n}`).join('')}${r.explained ? `\n${r.explained}` : ''}`)).join('\n'));
    return results.some((r) => r.error) ? 1 : 0;
  });
}

function print(json: boolean, data: unknown, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${text}\n`);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${APP_VERSION}\n`);
    return 0;
  }
  const spec = COMMANDS[command];
  if (!spec) {
    process.stderr.write(`restora: unknown command "${command}". See restora --help.\n`);
    return 2;
  }
  let args: ParsedArgs;
  try {
    args = parseArgs(rest, new Set(spec.valued), { names: new Set(knownOptions(command)), unknown: (name) => unknownOptionMessage(command, name) });
  } catch (err) {
    throw new RestoraError('BadRequest', (err as Error).message);
  }
  const json = args.flags.has('json');
  if (args.flags.has('help')) {
    process.stdout.write(`${spec.help}\n\nCommon options: --json (results as JSON), --help\n`);
    return 0;
  }
  switch (command) {
    case 'import':
      return cmdImport(args, json);
    case 'list':
      return withBroker(async (b) => {
        const r = await b.invoke('library.listPhotos', { query: flagString(args, 'query') ?? '', limit: flagNumber(args, 'limit') ?? 1000, offset: 0 });
        // One line per photo whatever its name holds: control characters (a newline) are escaped.
        print(json, r, [`${r.total} photo(s)`, ...r.items.map((p) => `${String(p.id).padStart(6)}  ${p.width}×${p.height}  ${p.versionCount} version(s)  ${printable(path.join(p.folder, p.fileName))}${p.missing ? '  (missing)' : ''}${p.damaged ? `  (damaged: ${p.damaged})` : ''}`)].join('\n'));
        return 0;
      });
    case 'restore':
      return cmdRestore(args, json);
    case 'analyze':
      return cmdAnalyze(args, json, withBroker, print, (p) => collectImages(p).files);
    case 'people':
      return cmdPeople(args, json, withBroker, print);
    case 'export':
      return cmdExport(args, json);
    case 'finetune':
      return cmdFinetune(args, json, withBroker, print, (p) => collectImages(p).files);
    case 'adapters':
      return cmdAdapters(args, json, withBroker, print);
    case 'backup':
      return withBroker(async (b) => {
        if (args.flags.has('list')) {
          const r = await b.invoke('library.listBackups', {});
          print(json, r, [`Backups in ${r.folder}:`, ...r.backups.map((k) => `  ${k.name}  ${(k.bytes / 2 ** 20).toFixed(1)} MB`), ...(r.backups.length ? [] : ['  (none yet)'])].join('\n'));
          return 0;
        }
        const r = await b.invoke('library.backup', {});
        print(json, r, `Backed up the catalog: ${r.name}`);
        return 0;
      });
    case 'restore-backup':
      return withBroker(async (b) => {
        const { backups } = await b.invoke('library.listBackups', {});
        const name = args.flags.has('latest') ? backups.find((k) => k.reason !== 'before-restore')?.name : args.positional[0];
        if (!name) throw new RestoraError('BadRequest', `restore-backup needs a backup name or --latest; the backups are:\n${backups.map((k) => `  ${k.name}`).join('\n') || '  (none yet)'}`);
        const r = await b.invoke('library.restoreBackup', { name });
        print(json, r, `Restored the catalog from ${r.restored.name}. The catalog as it was is kept as ${r.previous.name}.`);
        return 0;
      });
    case 'worker':
      return cmdWorker(args);
    case 'queue':
      return cmdQueue(args, json, print);
    case 'info':
      return withBroker(async (b) => {
        const [app, engine] = await Promise.all([b.invoke('app.info', {}), b.invoke('engine.info', {})]);
        print(json, { app, engine }, [`Restora ${app.version} (${app.platform}, Node ${app.runtime.node})`, `Data folder: ${app.dataDir}`, `ONNX Runtime ${engine.onnxruntime}; devices: ${engine.providers.join(', ')}; threads: ${engine.threads}`, `Models: ${engine.models.length ? engine.models.map((m) => `${m.id} ${m.version}${m.ok ? '' : ` (unusable: ${m.problem})`}`).join(', ') : 'none (classical restorer)'}`].join('\n'));
        return 0;
      });
    case 'damage':
      return withBroker(async (b) => {
        const input = args.positional[0];
        const output = flagString(args, 'output');
        if (!input || args.positional.length > 1 || !output) throw new RestoraError('BadRequest', 'Usage: restora damage <file> -o MASK.png [--instruction TEXT]');
        if (!fs.existsSync(input)) throw new RestoraError('NotFound', `${printable(input)} does not exist`);
        if (!/\.png$/i.test(output)) throw new RestoraError('BadRequest', `The mask is written as PNG: name it .png (got ${printable(output)})`);
        if (!fs.existsSync(path.dirname(path.resolve(output)))) throw new RestoraError('NotFound', `The folder of ${printable(output)} does not exist`);
        const bar = progressPrinter(path.basename(input), !json && process.stderr.isTTY === true);
        const r = await b.runJob('engine.damageMask', { input: path.resolve(input), output: path.resolve(output), instruction: flagString(args, 'instruction') ?? '' }, bar.update);
        bar.done();
        const kinds = r.kinds.join(', ');
        print(json, { ...r, output: path.resolve(output) }, r.model
          ? `${printable(output)}: ${(r.share * 100).toFixed(2)}% of the ${r.width}×${r.height} photo marked (${kinds}) by ${r.model.id} ${r.model.version}`
          : `${printable(output)}: an empty ${r.width}×${r.height} mask (no damage detector installed); paint the damage white`);
        return 0;
      });
    case 'calibrate':
      return withBroker(async (b) => {
        const r = await b.runJob('engine.calibrate', { seconds: flagNumber(args, 'seconds') ?? 2, size: 256 });
        print(json, r, `Matrix multiply: ${r.gflops.toFixed(1)} GFLOP/s (${r.iterations} runs in ${r.seconds.toFixed(1)} s)`);
        return 0;
      });
    case 'serve': {
      const { pathToFileURL } = await import('node:url');
      const { distDir } = await import('../node/app-paths.js');
      process.argv = [process.argv[0]!, process.argv[1]!, ...rest];
      await import(pathToFileURL(path.join(distDir(), 'host', 'browser-main.js')).href);
      return -1; // keeps running
    }
    default:
      process.stderr.write(`restora: unknown command "${command}". See restora --help.\n`);
      return 2;
  }
}

/** `restora import <paths...>`, or `restora import --resume [RUN]` for a run a full disk, a kill or a cancel stopped. */
async function cmdImport(args: ParsedArgs, json: boolean): Promise<number> {
  const resume = args.flags.get('resume');
  if (resume === undefined && !args.positional.length) throw new RestoraError('BadRequest', 'import needs at least one file or folder (or --resume)');
  return withBroker(async (b) => {
    const bar = progressPrinter('import', !json && process.stderr.isTTY === true);
    let r;
    try {
      if (resume !== undefined) {
        const wanted = typeof resume === 'string' ? Number(resume) : Number(args.positional[0] ?? NaN);
        const { runs } = await b.invoke('library.importRuns', {});
        const run = Number.isInteger(wanted) ? runs.find((x) => x.id === wanted) : runs.find((x) => x.state !== 'running' && x.state !== 'done' && x.pending > 0);
        if (!run) throw new RestoraError('NotFound', Number.isInteger(wanted) ? `No import run ${wanted}` : 'No stopped import to resume');
        if (!json) process.stderr.write(`Resuming import ${run.id} (${run.pending} file(s) to go)\n`);
        r = await b.runJob('library.resumeImport', { runId: run.id }, bar.update);
      } else {
        r = await b.runJob('library.import', { paths: args.positional.map((p) => path.resolve(p)) }, bar.update);
      }
    } finally {
      bar.done();
    }
    print(json, r, [
      `Imported ${r.imported}, already in library ${r.duplicates}, skipped ${r.skippedCount}${r.damaged.length ? `, damaged ${r.damaged.length}` : ''}.`,
      ...r.damaged.map((d) => `  damaged ${printable(d.path)}: ${d.reason} (imported with what could be read; it will not be restored as if whole)`),
      ...r.skipped.map((s) => `  skipped ${printable(s.path)}: ${s.reason}`),
    ].join('\n'));
    return 0;
  });
}

async function cmdExport(args: ParsedArgs, json: boolean): Promise<number> {
  const outDir = flagString(args, 'output');
  const ids = args.positional.map(Number);
  if (!outDir) throw new RestoraError('BadRequest', 'export needs -o DIR');
  if (!ids.length || ids.some((n) => !Number.isInteger(n) || n <= 0)) throw new RestoraError('BadRequest', 'export needs photo ids (see `restora list`)');
  return withBroker(async (b) => {
    const r = await exportPhotos(b, ids, path.resolve(outDir), args);
    print(json, r, JSON.stringify(r, null, 2));
    return 0;
  });
}

/** Runs the library's export job; the flags (a format is any string here) are checked by the contract's own schema. */
async function exportPhotos(b: Broker, ids: number[], folder: string, args: ParsedArgs): Promise<Result<'library.export'>> {
  const params = parseParams('library.export', {
    photoIds: ids,
    folder,
    format: flagString(args, 'format') ?? 'jpeg',
    quality: flagNumber(args, 'quality') ?? 92,
    originals: args.flags.has('originals'),
    metadata: flagString(args, 'metadata') ?? 'all',
    ...(flagString(args, 'naming') !== undefined ? { naming: flagString(args, 'naming') } : {}),
    ...(flagNumber(args, 'long-edge') !== undefined ? { longEdge: flagNumber(args, 'long-edge') } : {}),
  });
  return b.runJob('library.export', params);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err) => {
    process.stderr.write(`restora: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(err instanceof RestoraError && err.code === 'BadRequest' ? 2 : 1);
  },
);
