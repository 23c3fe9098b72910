/**
 * Batches of plain image files (`restora restore FILES -o DIR --queue URL`):
 * each photo is read from its file, and its result written into DIR under the
 * same name a local restore would give it, atomically (a half-written result
 * never appears). Names are planned for the whole batch up front, so two
 * photos never claim the same output, and a reattached batch writes where the
 * first run said it would. A file that appeared under a planned name since
 * (another run into the same folder) is never replaced: the result takes the
 * next free name, claimed atomically, and says so.
 */
import fs from 'node:fs';
import path from 'node:path';
import { RestoraError } from '../shared/errors.js';
import type { QueueJobResult } from '../shared/queue-job.js';
import type { BatchItem, ItemResult } from './batch.js';
import type { ItemHooks } from './submitter.js';
import { numberedNames, writeNewFile } from '../node/atomic-write.js';

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
    // A reattached batch may find this very result there already (written just before a kill).
    if (await holds(out, png)) return summary(result, { output: out });
    const written = await writeNewFile(path.dirname(out), numberedNames(path.basename(out)), png);
    if (!written) throw new RestoraError('Conflict', `${path.basename(out)} and the numbered names after it are all taken in ${path.dirname(out)}`);
    return summary(result, { output: written });
  },
};

/** Whether `file` is a plain file (not a link) holding exactly `bytes`. */
async function holds(file: string, bytes: Buffer): Promise<boolean> {
  try {
    const st = await fs.promises.lstat(file);
    return st.isFile() && st.size === bytes.length && (await fs.promises.readFile(file)).equals(bytes);
  } catch {
    return false;
  }
}
