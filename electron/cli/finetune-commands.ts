/**
 * `restora finetune` and `restora adapters ...`: the same fine-tuning job and
 * adapter store as the app's Fine-tune tab.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Broker } from '../broker/broker.js';
import { RestoraError } from '../shared/errors.js';
import { dataPaths } from '../node/data-dir.js';
import type { Result } from '../shared/contract/index.js';
import { DEFAULT_FINETUNE_LR, DEFAULT_FINETUNE_STEPS, type AdapterInfo } from '../shared/contract/finetune.js';
import { flagNumber, flagString, type ParsedArgs } from './args.js';
import { progressPrinter } from './progress-bar.js';

export const FINETUNE_HELP = `  finetune <files|folders...>  Personalise the restorer on reference photos (at least 2)
          --name NAME          Name of the adapter to make (required)
          --library <ids...>   ...or library photos; --album ID, --tag TAG also select photos
          --steps N (${DEFAULT_FINETUNE_STEPS}), --lr X (${DEFAULT_FINETUNE_LR}), --l2 X, --resume RUNID (continue a stopped run)
  adapters [list]              List adapters with how they did on held-out photos
  adapters rename OLD NEW | delete NAME | export NAME -o FILE | import FILE [--name NAME]
  restore ... --adapter NAME   Apply an adapter when restoring
`;

type WithBroker = <T>(fn: (b: Broker) => Promise<T>) => Promise<T>;
type Print = (json: boolean, data: unknown, text: string) => void;

function describe(r: Result<'finetune.start'>): string {
  return [
    `Adapter "${r.adapter.name}": ${r.steps} step(s) in ${r.seconds.toFixed(0)} s.`,
    r.evaluation.summary,
    r.recommended ? `Apply it with: restora restore ... --adapter "${r.adapter.name}"` : 'It is saved, but not recommended: the base model is at least as good on your held-out photos.',
    ...r.notices.map((n) => `note: ${n}`),
  ].join('\n');
}

export async function cmdFinetune(args: ParsedArgs, json: boolean, withBroker: WithBroker, print: Print, collectImages: (p: string[]) => string[]): Promise<number> {
  const options = {
    ...(flagNumber(args, 'steps') !== undefined ? { steps: flagNumber(args, 'steps') } : {}),
    ...(flagNumber(args, 'lr') !== undefined ? { learningRate: flagNumber(args, 'lr') } : {}),
    ...(flagNumber(args, 'l2') !== undefined ? { l2: flagNumber(args, 'l2') } : {}),
  };
  const resume = flagString(args, 'resume');
  const bar = progressPrinter('finetune', !json && process.stderr.isTTY === true);
  return withBroker(async (b) => {
    let r: Result<'finetune.start'>;
    if (resume) r = await b.runJob('finetune.resume', { runId: resume }, bar.update);
    else {
      const name = flagString(args, 'name');
      if (!name) throw new RestoraError('BadRequest', 'finetune needs --name NAME for the adapter');
      const album = flagNumber(args, 'album'), tag = flagString(args, 'tag');
      if (args.flags.has('library') || album !== undefined || tag) {
        const photoIds = args.positional.map(Number);
        if (photoIds.some((n) => !Number.isInteger(n) || n <= 0)) throw new RestoraError('BadRequest', 'finetune --library needs photo ids (see `restora list`)');
        r = await b.runJob('finetune.start', { name, photoIds, ...(album !== undefined ? { albumId: album } : {}), ...(tag ? { tag } : {}), options }, bar.update);
      } else {
        const references = collectImages(args.positional).map((f) => path.resolve(f));
        if (!references.length) throw new RestoraError('BadRequest', 'finetune needs reference photos: image files or folders, or --library ids');
        const runDir = path.join(dataPaths(b.dataDir).root, 'finetune', `ft-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`);
        fs.mkdirSync(runDir, { recursive: true });
        process.stderr.write(`run ${path.basename(runDir)} (resume with --resume ${path.basename(runDir)} if stopped)\n`);
        r = await b.runJob('engine.finetune', { runDir, name, references, picks: [], options }, bar.update);
      }
    }
    bar.done();
    print(json, r, describe(r));
    return 0;
  });
}

function line(a: AdapterInfo): string {
  const ev = a.evaluation ? `${a.evaluation.verdict} (${a.evaluation.gainDb >= 0 ? '+' : ''}${a.evaluation.gainDb.toFixed(2)} dB on ${a.evaluation.n})` : 'not evaluated';
  return `${a.name}  ${a.steps} steps, ${a.references} photo(s), ${a.picks} pick(s)  ${ev}${a.compatible ? '' : `  (unusable: ${a.problem})`}`;
}

export async function cmdAdapters(args: ParsedArgs, json: boolean, withBroker: WithBroker, print: Print): Promise<number> {
  const [sub = 'list', ...rest] = args.positional;
  return withBroker(async (b) => {
    switch (sub) {
      case 'list': {
        const r = await b.invoke('adapters.list', {});
        print(json, r, r.adapters.length ? r.adapters.map(line).join('\n') : 'No adapters yet (make one with `restora finetune`).');
        return 0;
      }
      case 'rename': {
        if (rest.length !== 2) throw new RestoraError('BadRequest', 'adapters rename OLD NEW');
        const r = await b.invoke('adapters.rename', { name: rest[0]!, newName: rest[1]! });
        print(json, r, `Renamed to "${r.name}"`);
        return 0;
      }
      case 'delete': {
        if (rest.length !== 1) throw new RestoraError('BadRequest', 'adapters delete NAME');
        await b.invoke('adapters.delete', { name: rest[0]! });
        print(json, { ok: true }, `Deleted "${rest[0]}"`);
        return 0;
      }
      case 'export': {
        const out = flagString(args, 'output');
        if (rest.length !== 1 || !out) throw new RestoraError('BadRequest', 'adapters export NAME -o FILE');
        const r = await b.invoke('engine.adapterExport', { name: rest[0]!, path: path.resolve(out) });
        print(json, r, `Wrote ${r.path}`);
        return 0;
      }
      case 'import': {
        if (rest.length !== 1) throw new RestoraError('BadRequest', 'adapters import FILE [--name NAME]');
        const name = flagString(args, 'name');
        const r = await b.invoke('engine.adapterImport', { path: path.resolve(rest[0]!), ...(name ? { name } : {}) });
        print(json, r, `Imported "${r.name}": ${line(r)}`);
        return 0;
      }
      default:
        throw new RestoraError('BadRequest', `Unknown adapters command "${sub}" (list, rename, delete, export, import)`);
    }
  });
}
