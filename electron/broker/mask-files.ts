/** Where a photo's damage masks live in the data folder: masks/<photoId>/detected.png and edited.png. */
import fs from 'node:fs';
import path from 'node:path';
import { RestoraError } from '../shared/errors.js';
import { dataPaths } from '../node/data-dir.js';

export function maskDir(dataDir: string, photoId: number): string {
  return path.join(dataPaths(dataDir).masks, String(photoId));
}

/** The mask the user edited and sent for this photo, if any. */
export function editedMaskFile(dataDir: string, photoId: number): string {
  const file = path.join(maskDir(dataDir, photoId), 'edited.png');
  if (!fs.existsSync(file)) throw new RestoraError('NotFound', `Photo ${photoId} has no edited damage mask; find the damage and edit the mask in the Restore panel first`);
  return file;
}
