/** Spawns a worker as a Node child process (browser mode, CLI, tests). */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Spawner, WorkerProcess } from '../broker/worker-process.js';
import { workerEntry } from '../node/app-paths.js';

export function nodeSpawner(opts: { logDir?: string; echoStderr?: boolean } = {}): Spawner {
  return ({ service, env }) => {
    const child = fork(workerEntry(service), [], {
      env: { ...process.env, ...env, RESTORA_WORKER: service },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    const log = opts.logDir ? fs.createWriteStream(path.join(opts.logDir, `${service}.log`), { flags: 'a' }) : null;
    const pipe = (chunk: Buffer) => {
      log?.write(chunk);
      if (opts.echoStderr) process.stderr.write(`[${service}] ${chunk.toString()}`);
    };
    child.stdout?.on('data', pipe);
    child.stderr?.on('data', pipe);
    let exited = false;
    const exitCbs: Array<(code: number | null, reason: string) => void> = [];
    const onGone = (code: number | null, signal: NodeJS.Signals | null) => {
      if (exited) return;
      exited = true;
      log?.end();
      const reason = signal ? `killed by ${signal}` : `exit code ${code}`;
      for (const cb of exitCbs) cb(code, reason);
    };
    child.on('exit', onGone);
    child.on('error', (err) => {
      if (!child.pid) onGone(null, null), void err;
    });
    const proc: WorkerProcess = {
      get pid() {
        return child.pid ?? null;
      },
      send: (msg) => {
        if (!child.connected) throw new Error('worker channel closed');
        child.send(msg);
      },
      onMessage: (cb) => child.on('message', cb),
      onExit: (cb) => {
        exitCbs.push(cb);
      },
      kill: () => {
        if (!exited) child.kill('SIGKILL');
      },
    };
    return proc;
  };
}
