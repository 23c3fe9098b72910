/**
 * Where the shared test data lives (Face Research Lab portraits, BSDS500):
 * $RESTORA_DATA when set, as for the model toolkit, otherwise ../shared/data
 * beside the checkout. A second checkout (a git worktree) sets RESTORA_DATA.
 */
import path from 'node:path';
import { appRoot } from '../electron/node/app-paths.js';

export function sharedDataDir(): string {
  const fromEnv = process.env.RESTORA_DATA?.trim();
  return fromEnv ? path.resolve(fromEnv) : path.join(appRoot(), '..', 'shared', 'data');
}
