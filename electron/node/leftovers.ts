/**
 * What a killed write leaves behind: the temporary file it was writing before
 * the rename into place. Every writer in Restora names these after its process
 * id (".name.<pid>-<random>.tmp", and the older "name.<pid>.partial"), so at
 * start a folder can be swept of the ones whose process is gone, without ever
 * touching the temporary file of a write still running in another process
 * (the app and a CLI may share the data folder).
 */
import fs from 'node:fs';
import path from 'node:path';

/** Temporary names that carry their writer's pid; hidden (dot) names only, so a user's own files never match. */
const HIDDEN_WITH_PID = [/^\..+\.(\d+)(?:-[0-9a-f]+)?\.(?:tmp|partial)$/i, /^\.restora-(?:export|write-check)-(\d+)-/];
/** Inside the data folder only: the thumbnail writer's names, and older writers' names without a pid. */
const DATA_WITH_PID = [/\.(\d+)-[0-9a-z]+\.tmp$/i, /\.(\d+)\.partial$/i];
const DATA_WITHOUT_PID = [/\.partial\.png$/i];
const STALE_MS = 60 * 60 * 1000;

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether `name` is a leftover of a write that can no longer finish: its
 * writer's process is gone (or it is a day old). `dataFolder`: names only
 * Restora makes inside its own data folder count too.
 */
export function isLeftover(name: string, mtimeMs: () => number, dataFolder = false, now = Date.now()): boolean {
  for (const re of dataFolder ? [...HIDDEN_WITH_PID, ...DATA_WITH_PID] : HIDDEN_WITH_PID) {
    const m = re.exec(name);
    if (m) return !alive(Number(m[1])) || now - mtimeMs() > 24 * STALE_MS;
  }
  return dataFolder && DATA_WITHOUT_PID.some((re) => re.test(name)) && now - mtimeMs() > STALE_MS;
}

/**
 * Removes leftovers in `dir` (and, with `depth`, its subfolders that many
 * levels down). Returns the paths removed. Never follows links, never removes
 * a folder, never throws. `dataFolder`: `dir` is inside Restora's data folder.
 */
export function sweepLeftovers(dir: string, opts: { depth?: number; dataFolder?: boolean } = {}): string[] {
  const depth = opts.depth ?? 0;
  const removed: string[] = [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return removed;
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (depth > 0) removed.push(...sweepLeftovers(full, { depth: depth - 1, dataFolder: opts.dataFolder ?? false }));
      continue;
    }
    if (!e.isFile()) continue;
    const mtime = () => {
      try {
        return fs.lstatSync(full).mtimeMs;
      } catch {
        return Date.now();
      }
    };
    if (!isLeftover(e.name, mtime, opts.dataFolder ?? false)) continue;
    try {
      fs.unlinkSync(full);
      removed.push(full);
    } catch {
      /* gone already, or not ours to remove */
    }
  }
  return removed;
}
