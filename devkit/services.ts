/** Starts the real services for a test: a broker with real worker processes on a temp data directory. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { Broker } from '../electron/broker/broker.js';
import { nodeSpawner } from '../electron/host/node-worker.js';
import Database from 'better-sqlite3';
import { appRoot, distDir } from '../electron/node/app-paths.js';
import { dataPaths } from '../electron/node/data-dir.js';

export function requireBuild(): void {
  if (!fs.existsSync(path.join(distDir(), 'engine', 'worker.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does it).');
}

export function tempDir(prefix = 'restora-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Runs the `restora` CLI (bin/restora.mjs) as a user would, with RESTORA_HOME = home. */
export function runCli(home: string, args: string[], timeoutMs: number): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [path.join(appRoot(), 'bin', 'restora.mjs'), ...args], { env: { ...process.env, RESTORA_HOME: home }, encoding: 'utf8', timeout: timeoutMs });
}

export async function startServices(opts: { cancelGraceMs?: number } = {}) {
  requireBuild();
  const dataDir = tempDir();
  const broker = new Broker({
    spawn: nodeSpawner({ echoStderr: !!process.env.RESTORA_DEBUG }),
    dataDir,
    mode: 'cli',
    version: 'test',
    ...(opts.cancelGraceMs ? { cancelGraceMs: opts.cancelGraceMs } : {}),
  });
  await broker.start();
  return {
    broker,
    dataDir,
    /** Stops the workers cleanly (the catalog is checkpointed and closed), then removes the data folder. */
    async stop() {
      await broker.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A data folder filled through the real services (a broker and its worker
 * processes on it), for tests that start from a library in a given state.
 * The workers are gone when it resolves, so the folder can be copied.
 */
export async function seedDataDir(fill: (broker: Broker) => Promise<void>): Promise<string> {
  requireBuild();
  const dataDir = tempDir('restora-seed-');
  const broker = new Broker({ spawn: nodeSpawner({ echoStderr: !!process.env.RESTORA_DEBUG }), dataDir, mode: 'cli', version: 'test' });
  await broker.start();
  const pids = [broker.workerPid('library'), broker.workerPid('engine')];
  try {
    await fill(broker);
  } finally {
    await broker.stop();
    await waitFor(() => pids.every((pid) => pid === null || !alive(pid)), 10_000, 'the seeding workers to exit');
  }
  return dataDir;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A copy of a seeded data folder for one test, so what the test changes stays
 * in it. The catalog records version files by absolute path; the copy's are
 * pointed into the copy.
 */
export function cloneDataDir(template: string): string {
  const copy = tempDir('restora-test-copy-');
  fs.cpSync(template, copy, { recursive: true });
  const db = new Database(dataPaths(copy).catalog);
  try {
    const from = fs.realpathSync(template) + path.sep;
    db.prepare('UPDATE versions SET file = ? || substr(file, ?) WHERE substr(file, 1, ?) = ?').run(fs.realpathSync(copy) + path.sep, from.length + 1, from.length, from);
  } finally {
    db.close();
  }
  return copy;
}

/** Browser mode as a user starts it: a separate process printing its URL. */
export async function startBrowserHost(extraArgs: string[] = [], env: Record<string, string> = {}): Promise<{ url: string; origin: string; token: string; proc: ChildProcess; dataDir: string; stop(): Promise<void> }> {
  requireBuild();
  const dataDir = env.RESTORA_HOME ?? tempDir();
  const proc = spawn(process.execPath, [path.join(distDir(), 'host', 'browser-main.js'), '--no-open', '--port', '0', ...extraArgs], {
    env: { ...process.env, RESTORA_HOME: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser host did not start: ${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /Open: (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', (code) => reject(new Error(`browser host exited with ${code}: ${out}`)));
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token')!,
    proc,
    dataDir,
    async stop() {
      if (proc.exitCode === null) {
        const gone = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await Promise.race([gone, new Promise((r) => setTimeout(r, 3000))]);
        if (proc.exitCode === null) proc.kill('SIGKILL');
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function waitFor<T>(fn: () => T | undefined | null | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      let v: T | undefined | null | false;
      try {
        v = fn();
      } catch {
        v = undefined;
      }
      if (v) return resolve(v);
      if (Date.now() - start > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 25);
    };
    tick();
  });
}
