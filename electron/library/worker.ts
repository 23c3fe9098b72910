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

const lib = createLibrary(resolveDataDir());
process.on('exit', () => lib.close());
serveWorker('library', libraryHandlers(lib));
