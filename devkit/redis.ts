/**
 * A real Redis server for queue tests: Debian's redis-server on a free
 * loopback port, without persistence (so a restart loses everything, the
 * harder case), stopped when the test ends. Also starts `restora worker`
 * processes as a user would and reads what they print.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appRoot } from '../electron/node/app-paths.js';
import { tempDir } from './services.js';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface RedisServer {
  port: number;
  /** redis://[:password@]127.0.0.1:port */
  url: string;
  stop(): Promise<void>;
  /** Stops the server and starts a new, empty one on the same port after `pauseMs`. */
  restart(pauseMs?: number): Promise<void>;
}

export function requireRedis(): void {
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error('redis-server is not installed (apt-get install redis-server; .ci/run installs it)');
  }
}

async function launch(port: number, password?: string): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...(password ? ['--requirepass', password] : [])];
  const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/Ready to accept connections/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${out}`)));
  });
  proc.stdout!.resume();
  return proc;
}

async function halt(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const gone = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await Promise.race([gone, new Promise((r) => setTimeout(r, 3000))]);
  if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
}

export async function startRedis(opts: { password?: string } = {}): Promise<RedisServer> {
  requireRedis();
  const port = await freePort();
  let proc = await launch(port, opts.password);
  return {
    port,
    url: `redis://${opts.password ? `:${encodeURIComponent(opts.password)}@` : ''}127.0.0.1:${port}`,
    stop: () => halt(proc),
    async restart(pauseMs = 1500) {
      await halt(proc);
      await new Promise((r) => setTimeout(r, pauseMs));
      proc = await launch(port, opts.password);
    },
  };
}

export interface WorkerProc {
  proc: ChildProcess;
  home: string;
  output(): string;
  /** Waits for `re` in what the worker printed (after character `since`). */
  waitFor(re: RegExp, timeoutMs?: number, since?: number): Promise<RegExpExecArray>;
  /** SIGINT and wait for it to exit (SIGKILL after 20 s). */
  stop(): Promise<void>;
}

/** `restora worker --queue URL` as a user starts it, with a short queue lock so tests recover killed jobs quickly. */
export function startWorker(url: string, opts: { args?: string[]; env?: Record<string, string> } = {}): WorkerProc {
  const home = opts.env?.RESTORA_HOME ?? tempDir('restora-qworker-');
  const proc = spawn(process.execPath, [path.join(appRoot(), 'bin', 'restora.mjs'), 'worker', '--queue', url, ...(opts.args ?? [])], {
    env: { ...process.env, RESTORA_HOME: home, RESTORA_QUEUE_LOCK_MS: '3000', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const onData = (d: Buffer) => (out += d.toString());
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);
  const waitFor = (re: RegExp, timeoutMs = 60_000, since = 0) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const start = Date.now();
      const tick = () => {
        const m = re.exec(out.slice(since));
        if (m) return resolve(m);
        if (proc.exitCode !== null || proc.signalCode !== null) return reject(new Error(`worker exited before ${re}: ${out}`));
        if (Date.now() - start > timeoutMs) return reject(new Error(`timed out waiting for ${re} in worker output: ${out}`));
        setTimeout(tick, 50);
      };
      tick();
    });
  return {
    proc,
    home,
    output: () => out,
    waitFor,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        const gone = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGINT');
        await Promise.race([gone, new Promise((r) => setTimeout(r, 20_000))]);
        if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      }
      if (!opts.env?.RESTORA_HOME) fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Runs the CLI asynchronously (the test keeps control while it runs), collecting its output. */
export function runCliAsync(home: string, args: string[], env: Record<string, string> = {}): { proc: ChildProcess; output(): { stdout: string; stderr: string }; done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const proc = spawn(process.execPath, [path.join(appRoot(), 'bin', 'restora.mjs'), ...args], { env: { ...process.env, RESTORA_HOME: home, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => proc.once('exit', (code) => resolve({ code, stdout, stderr })));
  return { proc, output: () => ({ stdout, stderr }), done };
}
