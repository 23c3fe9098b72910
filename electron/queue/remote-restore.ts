/**
 * The app's side of the queue setting (`restora queue use URL`): when a queue
 * is set, the broker sends the engine step of each library restore
 * (restore.photo) through it as a one-photo batch, and records the result as a
 * version exactly as it records a local one. The photo and its result go where
 * the local engine would have read and written them.
 */
import path from 'node:path';
import fs from 'node:fs';
import type { Broker, RemoteRestore } from '../broker/broker.js';
import { RestoraError } from '../shared/errors.js';
import type { QueueJobResult } from '../shared/queue-job.js';
import type { BatchItem } from './batch.js';
import { summary } from './file-items.js';
import { submitBatch } from './session.js';
import { writeFileAtomic } from '../node/atomic-write.js';

export function queueRestore(url: string, broker: () => Broker, version: string, log: (line: string) => void): RemoteRestore {
  return async (params, onProgress) => {
    let result: QueueJobResult | null = null;
    const item: BatchItem = { index: 0, name: path.basename(params.input).slice(0, 255), source: { kind: 'file', path: params.input, output: params.output }, state: 'planned' };
    const { items } = await submitBatch({
      url,
      kind: 'files',
      items: [item],
      settings: params.settings,
      broker: broker(),
      version,
      log,
      onProgress,
      hooks: {
        read: (it) => fs.promises.readFile(it.source.kind === 'file' ? it.source.path : ''),
        async collect(it, r, png) {
          await writeFileAtomic(params.output, png);
          result = r;
          return summary(r, { output: params.output });
        },
      },
    });
    const done = items[0]!;
    const r = result as QueueJobResult | null;
    if (done.state !== 'done' || !r) throw new RestoraError(done.error?.code ?? 'Internal', done.error?.message ?? 'The queue gave no result');
    return { output: params.output, width: r.width, height: r.height, recipe: r.recipe };
  };
}
