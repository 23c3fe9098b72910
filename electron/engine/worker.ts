/**
 * The restoration engine process. Started by the broker (an Electron utility
 * process in the app, a Node child process in browser mode and the CLI);
 * killing it is how a stuck job is cancelled.
 */
import { serveWorker } from '../node/worker-runtime.js';
import { ensureDataDir, resolveDataDir } from '../node/data-dir.js';
import { engineHandlers } from './handlers.js';

const dataDir = resolveDataDir();
ensureDataDir(dataDir);
serveWorker('engine', engineHandlers(dataDir));
