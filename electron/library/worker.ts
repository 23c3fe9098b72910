/**
 * Entry of the library service process (bundled to dist/library/worker.js).
 * Started by the broker as an Electron utility process or a Node child with
 * RESTORA_HOME set; answers 'library.*' requests over the parent port.
 * Not meant to be run by hand: without a parent port it exits with a message.
 * RESTORA_AUTO_BACKUP=0 turns the daily catalog backup off.
 */
import { resolveDataDir } from '../node/data-dir.js';
import { serveWorker } from '../node/worker-runtime.js';
import { createLibrary } from './library.js';
import { libraryHandlers } from './handlers.js';
import { tidyDataFolder } from './housekeeping.js';
import { autoBackup } from './backup.js';
import { readAllUnreadText } from './text-backfill.js';

const lib = createLibrary(resolveDataDir());
let closing = false;
// A clean stop (or any exit Node sees) closes the catalog, which checkpoints its write-ahead log.
process.on('exit', () => {
  closing = true;
  lib.close();
});
serveWorker('library', libraryHandlers(lib), {
  onStop: () => {
    closing = true;
    lib.close();
  },
});
// Once ready: remove what killed writes left behind, then keep a daily backup of the catalog.
const backUp = () =>
  autoBackup(lib).catch((err) => process.stderr.write(`[library] automatic backup failed: ${(err as Error).message}\n`));
setImmediate(() => {
  const { leftovers, orphanVersions } = tidyDataFolder(lib);
  if (leftovers.length || orphanVersions.length) process.stderr.write(`[library] removed ${leftovers.length} unfinished temporary file(s) and ${orphanVersions.length} unrecorded version file(s)\n`);
  if (process.env.RESTORA_AUTO_BACKUP !== '0') {
    void backUp();
    setInterval(backUp, 60 * 60 * 1000).unref();
  }
});
// Photos from before the catalog kept file metadata: read it once, in the background, a few seconds after start.
setTimeout(() => void readAllUnreadText(lib, () => closing).catch(() => undefined), 3000).unref();
