/**
 * Library batches (`restora restore --library IDS --queue URL`): each photo's
 * original comes from the library, and each result becomes a new version with
 * its recipe, recorded exactly as a local restore records it (saveVersion).
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Broker } from '../broker/broker.js';
import { saveVersion } from '../broker/restore-photo.js';
import { RestoraError } from '../shared/errors.js';
import type { BatchItem } from './batch.js';
import { summary } from './file-items.js';
import type { ItemHooks } from './submitter.js';
import { writeFileAtomic } from '../node/atomic-write.js';

export async function planLibraryItems(broker: Broker, photoIds: number[]): Promise<BatchItem[]> {
  const items: BatchItem[] = [];
  for (const [index, photoId] of photoIds.entries()) {
    const { photo } = await broker.invoke('library.getPhoto', { photoId });
    items.push({ index, name: photo.fileName.slice(0, 255), source: { kind: 'photo', photoId }, state: 'planned' });
  }
  return items;
}

export function libraryHooks(broker: Broker): ItemHooks {
  return {
    async read(item) {
      if (item.source.kind !== 'photo') throw new RestoraError('Internal', 'not a library item');
      const source = await broker.invoke('library.photoSource', { photoId: item.source.photoId });
      return fs.promises.readFile(source.path);
    },
    async collect(item, result, png) {
      if (item.source.kind !== 'photo') throw new RestoraError('Internal', 'not a library item');
      const photoId = item.source.photoId;
      const dir = path.join(broker.dataDir, 'versions', String(photoId));
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}.png`);
      await writeFileAtomic(file, png);
      try {
        const versionId = await saveVersion({ invoke: (m, p) => broker.invoke(m, p), emitChanged: () => undefined }, photoId, file, result.recipe);
        return summary(result, { versionId });
      } catch (err) {
        fs.rmSync(file, { force: true });
        throw err;
      }
    },
  };
}
