/**
 * Batches of plain image files (`restora restore FILES -o DIR --queue URL`):
 * each photo is read from its file, and its result written into DIR under the
 * same name a local restore would give it, atomically (a half-written result
 * never appears). Names are planned for the whole batch up front, so two
 * photos never claim the same output, and a reattached batch writes where the
 * first run said it would.
 */
import fs from 'node:fs';
import path from 'node:path';
import { RestoraError } from '../shared/errors.js';
import type { QueueJobResult } from '../shared/queue-job.js';
import type { BatchItem, ItemResult } from './batch.js';
import type { ItemHooks } from './submitter.js';
import { writeFileAtomic } from '../node/atomic-write.js';

export function planFileItems(files: string[], outDir: string): BatchItem[] {
  const taken = new Set<string>();
  return files.map((file, index) => {
    const base = path.basename(file).replace(/\.[^.]+$/, '');
    let output = path.resolve(outDir, `${base}-restored.png`);
    for (let n = 2; taken.has(output) || fs.existsSync(output); n++) output = path.resolve(outDir, `${base}-restored (${n}).png`);
    taken.add(output);
    return { index, name: path.basename(file).slice(0, 255), source: { kind: 'file', path: path.resolve(file), output }, state: 'planned' } satisfies BatchItem;
  });
}

export function summary(r: QueueJobResult, extra: Partial<ItemResult>): ItemResult {
  const notices = r.recipe.settings.notices;
  return {
    seconds: r.recipe.totalSeconds,
    workerSeconds: r.worker.seconds,
    mode: r.recipe.mode,
    seed: r.recipe.seed,
    worker: r.worker.name,
    notices: Array.isArray(notices) ? notices.filter((n): n is string => typeof n === 'string') : [],
    ...extra,
  };
}

export const fileHooks: ItemHooks = {
  async read(item) {
    if (item.source.kind !== 'file') throw new RestoraError('Internal', 'not a file item');
    try {
      return await fs.promises.readFile(item.source.path);
    } catch {
      throw new RestoraError('NotFound', `${item.source.path} cannot be read (moved or deleted?)`);
    }
  },
  async collect(item, result, png) {
    if (item.source.kind !== 'file') throw new RestoraError('Internal', 'not a file item');
    const out = item.source.output;
    fs.mkdirSync(path.dirname(out), { recursive: true });
    await writeFileAtomic(out, png);
    return summary(result, { output: out });
  },
};
