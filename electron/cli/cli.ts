/**
 * The `restora` command: the same library and engine services as the app,
 * started as worker processes behind the same broker.
 *   restora --help
 *   restora import <paths...>
 *   restora list [--query TEXT] [--json]
 *   restore <files or folders...> -o DIR [--instruction TEXT] [--mode fast|generative] [--fidelity F] [--steps N] [--guidance G] [--seed N | --variation] [--device D] [--json]
 *   restora restore --library <photoId...> [...]   (results become versions in the library)
 *   restora analyze <files or folders...> [--json] | --library <photoId...>
 *   restora export <photoId...> -o DIR [--format jpeg|png|webp|tiff|avif] [--quality Q]
 *   restora finetune <files...> --name NAME | --library <ids...>; restora adapters [list|rename|delete|export|import]
 *   restora worker --queue URL [--concurrency N]; restore ... --queue URL; restora queue status BATCH | use URL
 *   restora info | calibrate | serve (browser mode)
 */
import fs from 'node:fs';
import path from 'node:path';
import { Broker } from '../broker/broker.js';
import { resolveDataDir, ensureDataDir } from '../node/data-dir.js';
import { APP_VERSION } from '../node/app-version.js';
import { nodeSpawner } from '../host/node-worker.js';
import { RestoraError } from '../shared/errors.js';
import { RestoreSettings, type RestoreSettings as Settings } from '../shared/recipe.js';
import { describeIssues } from '../shared/rpc.js';
import { parseParams, type Result } from '../shared/contract/index.js';
import { parseArgs, flagNumber, flagString, type ParsedArgs } from './args.js';
import { progressPrinter } from './progress-bar.js';
import { cmdAdapters, cmdFinetune, FINETUNE_HELP, FINETUNE_VALUED } from './finetune-commands.js';
import { cmdQueue, cmdWorker, queueFor, restoreViaQueue, QUEUE_HELP, QUEUE_VALUED } from './queue-commands.js';
import { cmdAnalyze, ANALYZE_HELP } from './analyze-command.js';

const HELP = `Restora ${APP_VERSION} — bring damaged photographs back.

Usage: restora <command> [options]

Commands:
  import <paths...>            Import files and folders into the library
  list [--query TEXT]          List photos in the library (--json for machine output)
  restore <files|folders...>   Restore image files into -o DIR (no library needed)
          --library <ids...>   ...or restore library photos; results become versions
          --instruction TEXT   What to fix, e.g. "remove the scratches but keep the grain"
          --mode fast|generative, --fidelity 0..1, --device cpu|cuda|webgpu|dml|coreml
          Generative: --steps 1..32 (default 4), --guidance 0..10 (default 1.5);
          same photo + settings give the same result, unless --seed N (a repeatable
          variation) or --variation (a new random one each run)
${ANALYZE_HELP}  export <photoIds...> -o DIR  Export photos (preferred version if any) with metadata
          --format jpeg|png|webp|tiff|avif  --quality 1..100  --originals
${FINETUNE_HELP}${QUEUE_HELP}  info                         Versions, data folder, ONNX Runtime devices and models
  calibrate [--seconds S]      Measure this CPU's matrix-multiply speed
  serve [--port N] [--no-open] Start browser mode (same as npm start -- --browser)

Options:
  --json       Print results as JSON on stdout
  --help, -h   Show this help

Data folder: $RESTORA_HOME, or the platform's user-data folder.
`;

const VALUED = new Set(['output', 'instruction', 'mode', 'fidelity', 'seed', 'steps', 'guidance', 'device', 'query', 'format', 'quality', 'seconds', 'port', 'limit', 'adapter', ...FINETUNE_VALUED, ...QUEUE_VALUED]);
const IMAGE_EXT = /\.(jpe?g|png|tiff?|webp|avif|gif|bmp|heic|heif)$/i;

async function withBroker<T>(fn: (b: Broker) => Promise<T>): Promise<T> {
  const dataDir = resolveDataDir();
  const paths = ensureDataDir(dataDir);
  const broker = new Broker({ spawn: nodeSpawner({ logDir: paths.logs }), dataDir, mode: 'cli', version: APP_VERSION });
  await broker.start();
  const stop = () => {
    broker.stop();
    process.exit(130);
  };
  process.once('SIGINT', stop);
  try {
    return await fn(broker);
  } finally {
    process.off('SIGINT', stop);
    broker.stop();
  }
}

function settingsFrom(args: ParsedArgs): Settings {
  const raw = {
    instruction: flagString(args, 'instruction') ?? '',
    mode: flagString(args, 'mode') ?? 'fast',
    fidelity: flagNumber(args, 'fidelity') ?? 0.7,
    device: flagString(args, 'device') ?? 'cpu',
    ...(flagNumber(args, 'seed') !== undefined ? { seed: flagNumber(args, 'seed') } : {}),
    ...(flagNumber(args, 'steps') !== undefined ? { steps: flagNumber(args, 'steps') } : {}),
    ...(flagNumber(args, 'guidance') !== undefined ? { guidance: flagNumber(args, 'guidance') } : {}),
    // A seed or --variation asks for a variation; otherwise runs are deterministic.
    ...(flagNumber(args, 'seed') !== undefined || args.flags.has('variation') ? { deterministic: false } : {}),
    ...(flagString(args, 'adapter') ? { adapter: flagString(args, 'adapter') } : {}),
  };
  const parsed = RestoreSettings.safeParse(raw);
  if (!parsed.success) throw new RestoraError('BadRequest', describeIssues(parsed.error));
  return raw as Settings;
}

function collectImages(inputs: string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = (p: string) => {
    let real: string;
    try {
      real = fs.realpathSync(p);
    } catch {
      throw new RestoraError('NotFound', `${p} does not exist`);
    }
    if (seen.has(real)) return;
    seen.add(real);
    const st = fs.statSync(real);
    if (st.isDirectory()) for (const e of fs.readdirSync(real).sort()) walk(path.join(p, e));
    else if (IMAGE_EXT.test(p)) out.push(p);
  };
  for (const i of inputs) walk(i);
  return out;
}

function uniqueOutput(dir: string, input: string): string {
  const base = path.basename(input).replace(/\.[^.]+$/, '');
  let candidate = path.join(dir, `${base}-restored.png`);
  for (let n = 2; fs.existsSync(candidate); n++) candidate = path.join(dir, `${base}-restored (${n}).png`);
  return candidate;
}

async function cmdRestore(args: ParsedArgs, json: boolean): Promise<number> {
  const settings = settingsFrom(args);
  const queue = queueFor(args);
  if (queue) return restoreViaQueue(args, json, queue, settings, { withBroker, print, collectImages });
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
  const files = collectImages(args.positional);
  if (!files.length) throw new RestoraError('NotFound', 'No images found in the given paths');
  fs.mkdirSync(outDir, { recursive: true });
  return withBroker(async (b) => {
    const results: Array<{ input: string; output?: string; error?: string; seconds?: number; mode?: string; seed?: number; notices?: string[] }> = [];
    for (const input of files) {
      const bar = progressPrinter(path.basename(input), !json && process.stderr.isTTY === true);
      try {
        const r = await b.runJob('engine.restoreFile', { input: path.resolve(input), output: path.resolve(uniqueOutput(outDir, input)), settings }, bar.update);
        // What the engine chose instead of what was asked (a missing device, a refused model) is said, not buried in the recipe.
        const notices = (r.recipe.settings.notices as string[] | undefined) ?? [];
        results.push({ input, output: r.output, seconds: r.recipe.totalSeconds, mode: r.recipe.mode, ...(r.recipe.seed !== null ? { seed: r.recipe.seed } : {}), ...(notices.length ? { notices } : {}) });
      } catch (err) {
        results.push({ input, error: (err as Error).message });
      } finally {
        bar.done();
      }
    }
    print(json, results, results.map((r) => (r.error ? `✗ ${r.input}: ${r.error}` : `✓ ${r.input} → ${r.output} (${r.seconds!.toFixed(1)} s)${(r.notices ?? []).map((n) => `\n  note: ${n}`).join('')}`)).join('\n'));
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
  const args = parseArgs(rest, VALUED);
  const json = args.flags.has('json');
  if (args.flags.has('help')) {
    process.stdout.write(HELP);
    return 0;
  }
  switch (command) {
    case 'import': {
      if (!args.positional.length) throw new RestoraError('BadRequest', 'import needs at least one file or folder');
      const paths = args.positional.map((p) => path.resolve(p));
      return withBroker(async (b) => {
        const bar = progressPrinter('import', !json && process.stderr.isTTY === true);
        const r = await b.runJob('library.import', { paths }, bar.update);
        bar.done();
        print(json, r, [`Imported ${r.imported}, already in library ${r.duplicates}, skipped ${r.skipped.length}.`, ...r.skipped.map((s) => `  skipped ${s.path}: ${s.reason}`)].join('\n'));
        return 0;
      });
    }
    case 'list':
      return withBroker(async (b) => {
        const r = await b.invoke('library.listPhotos', { query: flagString(args, 'query') ?? '', limit: flagNumber(args, 'limit') ?? 1000, offset: 0 });
        print(json, r, [`${r.total} photo(s)`, ...r.items.map((p) => `${String(p.id).padStart(6)}  ${p.width}×${p.height}  ${p.versionCount} version(s)  ${path.join(p.folder, p.fileName)}${p.missing ? '  (missing)' : ''}`)].join('\n'));
        return 0;
      });
    case 'restore':
      return cmdRestore(args, json);
    case 'analyze':
      return cmdAnalyze(args, json, withBroker, print, collectImages);
    case 'export':
      return cmdExport(args, json);
    case 'finetune':
      return cmdFinetune(args, json, withBroker, print, collectImages);
    case 'adapters':
      return cmdAdapters(args, json, withBroker, print);
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
