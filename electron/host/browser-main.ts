/**
 * Browser mode: `npm start -- --browser [--no-open] [--port N]`.
 * Starts the library and engine as Node child processes, serves the built
 * renderer and the contract on 127.0.0.1, and prints the session URL.
 */
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { Broker } from '../broker/broker.js';
import { resolveDataDir, ensureDataDir } from '../node/data-dir.js';
import { rendererDir } from '../node/app-paths.js';
import { APP_VERSION } from '../node/app-version.js';
import { nodeSpawner } from './node-worker.js';
import { startHost } from './server.js';
import { RestoraError } from '../shared/errors.js';
import { queueSetting } from '../queue/queue-setting.js';
import { queueRestore } from '../queue/remote-restore.js';

function parseArgs(argv: string[]): { port: number; open: boolean } {
  let port = 5174;
  let open = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--no-open') open = false;
    else if (a === '--port') port = Number(argv[++i]);
    else if (a.startsWith('--port=')) port = Number(a.slice(7));
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write('restora: --port needs a number between 0 and 65535\n');
    process.exit(2);
  }
  return { port, open };
}

function openInBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => process.stdout.write('Could not open a browser; open the URL above yourself.\n'));
    child.unref();
  } catch {
    /* printed URL is enough */
  }
}

async function main(): Promise<void> {
  const { port, open } = parseArgs(process.argv.slice(2));
  const dataDir = resolveDataDir();
  const paths = ensureDataDir(dataDir);
  // With a queue set (`restora queue use URL`), library restores run on the queue's workers.
  const queue = queueSetting(dataDir);
  const remote = queue ? { remoteRestore: queueRestore(queue, () => broker, APP_VERSION, (line) => process.stderr.write(`queue: ${line}\n`)) } : {};
  const broker: Broker = new Broker({ spawn: nodeSpawner({ logDir: paths.logs, echoStderr: !!process.env.RESTORA_DEBUG }), dataDir, mode: 'browser', version: APP_VERSION, ...remote });
  let host;
  try {
    await broker.start();
    host = await startHost({ broker, token: randomBytes(24).toString('base64url'), rendererDir: rendererDir(), port });
  } catch (err) {
    await broker.stop();
    process.stderr.write(`restora: ${err instanceof RestoraError ? err.message : String(err)}\n`);
    process.exit(1);
  }
  process.stdout.write(`Restora ${APP_VERSION} is running in browser mode.\nData directory: ${dataDir}\nOpen: ${host.url}\n`);
  if (open) openInBrowser(host.url);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await host.close();
    // Workers stop cleanly: the catalog is checkpointed, so catalog.sqlite alone is complete.
    await broker.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

void main();
