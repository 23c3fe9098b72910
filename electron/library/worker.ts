/**
 * Entry of the library service process (bundled to dist/library/worker.js).
 * Started by the broker as an Electron utility process or a Node child with
 * RESTORA_HOME set; answers 'library.*' requests over the parent port.
 * Not meant to be run by hand: without a parent port it exits with a message.
 */
import { resolveDataDir } from '../node/data-dir.js';
import { serveWorker } from '../node/worker-runtime.js';
import { createLibrary } from './library.js';
import { libraryHandlers } from './handlers.js';
import { readAllUnreadText } from './text-backfill.js';

const lib = createLibrary(resolveDataDir());
let closing = false;
process.on('exit', () => {
  closing = true;
  lib.close();
});
serveWorker('library', libraryHandlers(lib));
// Photos from before the catalog kept file metadata: read it once, in the background, a few seconds after start.
setTimeout(() => void readAllUnreadText(lib, () => closing).catch(() => undefined), 3000).unref();
