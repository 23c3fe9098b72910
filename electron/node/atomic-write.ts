/**
 * Every file the app writes goes through here, so a kill, a crash or a full
 * disk never leaves a half-written catalog image, version, adapter or state
 * file behind the name a reader opens:
 *   1. the data goes to a temporary file created exclusively (O_CREAT|O_EXCL)
 *      in the target's own folder: a file or symlink already at that name is
 *      never opened, followed or reused;
 *   2. it is flushed to disk (fsync) and closed;
 *   3. it takes the target's name in one step: rename (readers see the old
 *      file or the new one), or for writeNewFile a hard link, which fails when
 *      the name is taken, so an existing file is never replaced.
 * The temporary file is removed on any failure. The folder itself is not
 * fsynced: after a power cut the rename may be lost, never the old contents.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/** Bytes, text (UTF-8), or chunks as they are produced (an encoder's output stream, e.g. a sharp pipeline). */
export type FileData = string | Uint8Array | AsyncIterable<Uint8Array>;

export interface WriteOptions {
  /** Permissions of the new file (before the umask), e.g. 0o600 for a file holding a password; default 0o666. */
  mode?: number;
}

/** A fresh name beside the target; short, so a long target name still leaves room for it. */
function tempPath(target: string): string {
  const stem = Array.from(path.basename(target)).slice(0, 40).join('');
  return path.join(path.dirname(target), `.${stem}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
}

const TRIES = 8;

async function writeTemp(target: string, data: FileData, mode = 0o666): Promise<string> {
  for (let i = 0; ; i++) {
    const tmp = tempPath(target);
    let fh: fsp.FileHandle;
    try {
      fh = await fsp.open(tmp, 'wx', mode);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && i < TRIES) continue;
      throw err;
    }
    try {
      if (typeof data === 'string' || data instanceof Uint8Array) await fh.writeFile(data);
      else for await (const chunk of data) await fh.write(chunk);
      await fh.sync();
      await fh.close();
    } catch (err) {
      await fh.close().catch(() => undefined);
      await fsp.rm(tmp, { force: true });
      throw err;
    }
    return tmp;
  }
}

function writeTempSync(target: string, data: string | Uint8Array, mode = 0o666): string {
  for (let i = 0; ; i++) {
    const tmp = tempPath(target);
    let fd: number;
    try {
      fd = fs.openSync(tmp, 'wx', mode);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && i < TRIES) continue;
      throw err;
    }
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } catch (err) {
      fs.closeSync(fd);
      fs.rmSync(tmp, { force: true });
      throw err;
    }
    fs.closeSync(fd);
    return tmp;
  }
}

/** Writes `data` to `target`, replacing it if it exists. The folder must exist. */
export async function writeFileAtomic(target: string, data: FileData, opts: WriteOptions = {}): Promise<void> {
  const tmp = await writeTemp(target, data, opts.mode);
  try {
    await fsp.rename(tmp, target);
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    throw err;
  }
}

/** writeFileAtomic for synchronous callers. */
export function writeFileAtomicSync(target: string, data: string | Uint8Array, opts: WriteOptions = {}): void {
  const tmp = writeTempSync(target, data, opts.mode);
  try {
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/** Errors of file systems without hard links (FAT, exFAT, some network shares). */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EXDEV', 'ENOSYS']);

/**
 * Writes `data` under the first of `names` (paths in `folder`) that does not
 * exist yet, and returns it; null when every name is taken. Never replaces a
 * file, even one that appears meanwhile. Where the file system has no hard
 * links, the file is created exclusively under its name and written there
 * (not atomic: a crash can leave it partly written).
 */
export async function writeNewFile(folder: string, names: Iterable<string>, data: string | Uint8Array): Promise<string | null> {
  const tmp = await writeTemp(path.join(folder, 'new'), data);
  try {
    for (const name of names) {
      const target = path.join(folder, name);
      try {
        await fsp.link(tmp, target);
        return target;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? '';
        if (code === 'EEXIST') continue;
        if (!NO_LINKS.has(code)) throw err;
      }
      try {
        await fsp.writeFile(target, data, { flag: 'wx' });
        return target;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw err;
      }
    }
    return null;
  } finally {
    await fsp.rm(tmp, { force: true });
  }
}

/**
 * `name`, then "stem (2).ext", "stem (3).ext"... for writeNewFile. A name that
 * already ends in " (N)" (a caller's own guess at a free name) carries on from
 * N + 1 instead of gaining a second number.
 */
export function* numberedNames(name: string, count = 10_000): Generator<string> {
  const ext = path.extname(name);
  const base = name.slice(0, name.length - ext.length);
  const numbered = /^(.*) \((\d+)\)$/.exec(base);
  const stem = numbered ? numbered[1]! : base;
  const first = numbered ? Number(numbered[2]) : 1;
  yield name;
  for (let n = first + 1; n < first + count; n++) yield `${stem} (${n})${ext}`;
}
