/** Spawns a worker as an Electron utility process (the desktop app's way). */
import { utilityProcess } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import type { Spawner, WorkerProcess } from '../broker/worker-process.js';
import { workerEntry } from '../node/app-paths.js';

export function utilitySpawner(logDir: string): Spawner {
  return ({ service, env }) => {
    const child = utilityProcess.fork(workerEntry(service), [], {
      env: { ...process.env, ...env, RESTORA_WORKER: service },
      serviceName: `Restora ${service}`,
      stdio: 'pipe',
    });
    const log = fs.createWriteStream(path.join(logDir, `${service}.log`), { flags: 'a' });
    child.stdout?.on('data', (c: Buffer) => log.write(c));
    child.stderr?.on('data', (c: Buffer) => log.write(c));
    let exited = false;
    const exitCbs: Array<(code: number | null, reason: string) => void> = [];
    child.on('exit', (code) => {
      if (exited) return;
      exited = true;
      log.end();
      for (const cb of exitCbs) cb(code, `exit code ${code}`);
    });
    const proc: WorkerProcess = {
      get pid() {
        return child.pid ?? null;
      },
      send: (msg) => {
        if (exited) throw new Error('worker exited');
        child.postMessage(msg);
      },
      onMessage: (cb) => child.on('message', cb),
      onExit: (cb) => {
        exitCbs.push(cb);
      },
      // A hard stop, as the contract says: child.kill() is SIGTERM, which a worker answers with a clean stop.
      kill: () => {
        if (exited) return;
        try {
          if (child.pid) process.kill(child.pid, 'SIGKILL');
          else child.kill();
        } catch {
          child.kill();
        }
      },
    };
    return proc;
  };
}
