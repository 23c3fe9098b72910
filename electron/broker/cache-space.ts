/**
 * The data folder's disposable files: cache/ (full-size renditions, cropped
 * sources, previews) is kept under the size the settings allow, oldest files
 * first; thumbnails/ is only measured (a thumbnail of a missing original
 * could not be made again).
 */
import fs from 'node:fs';
import path from 'node:path';

interface FileEntry {
  file: string;
  size: number;
  time: number;
}

function walk(dir: string, out: FileEntry[] = []): FileEntry[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile()) {
      try {
        const st = fs.statSync(p);
        out.push({ file: p, size: st.size, time: Math.max(st.atimeMs, st.mtimeMs) });
      } catch {
        // gone meanwhile
      }
    }
  }
  return out;
}

export function folderBytes(dir: string): number {
  return walk(dir).reduce((n, f) => n + f.size, 0);
}

/** Deletes the oldest files of `dir` until it holds at most `limitBytes`, sparing `keep`. Returns the bytes freed. */
export function trimFolder(dir: string, limitBytes: number, keep: ReadonlySet<string> = new Set()): number {
  const files = walk(dir).sort((a, b) => a.time - b.time);
  let total = files.reduce((n, f) => n + f.size, 0);
  let freed = 0;
  for (const f of files) {
    if (total <= limitBytes) break;
    if (keep.has(f.file)) continue;
    try {
      fs.rmSync(f.file, { force: true });
      total -= f.size;
      freed += f.size;
    } catch {
      // in use or gone: try the next
    }
  }
  return freed;
}
