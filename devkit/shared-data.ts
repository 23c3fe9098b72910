/**
 * The shared data folder the tests read real photos from (bsds500, the Face
 * Research Lab portraits): $RESTORA_DATA when set, as models/ reads it,
 * otherwise ../shared/data beside the checkout.
 */
import path from 'node:path';
import { appRoot } from '../electron/node/app-paths.js';

export function sharedData(...parts: string[]): string {
  const root = process.env.RESTORA_DATA ? path.resolve(process.env.RESTORA_DATA) : path.join(appRoot(), '..', 'shared', 'data');
  return path.join(root, ...parts);
}
