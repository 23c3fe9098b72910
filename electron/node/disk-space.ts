/**
 * Where Restora is about to write: is the folder there (or can it be made),
 * may we write in it, is there room for what comes? Asked before the work
 * starts, answered in one plain sentence. Also turns the errors of a write
 * that failed anyway (full disk, read-only disk, no permission) into that
 * same kind of sentence, never "ENOENT … mkdir" or libvips' text.
 *
 * Test-only: RESTORA_TEST_FREE_BYTES=N makes this process see at most N bytes
 * free on every disk, less what its own writers have written since
 * (noteWritten). It simulates a disk filling up for the fault-injection tests
 * where a real small file system cannot be mounted; it is not a setting.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { RestoraError } from '../shared/errors.js';
import { formatBytes } from './image-budget.js';

let writtenSinceStart = 0;

/** Called by the app's file writers with the bytes they wrote (for the test-only quota). */
export function noteWritten(bytes: number): void {
  writtenSinceStart += bytes;
}

/** Bytes free for writes in `dir` (or the nearest folder above it that exists). */
export function freeBytes(dir: string): number {
  let real = Infinity;
  try {
    const st = fs.statfsSync(existingAncestor(dir));
    real = Number(st.bavail) * Number(st.bsize);
  } catch {
    /* statfs unsupported here: no figure, no refusal */
  }
  const quota = Number(process.env.RESTORA_TEST_FREE_BYTES);
  if (Number.isFinite(quota) && quota >= 0 && process.env.RESTORA_TEST_FREE_BYTES !== '') return Math.max(0, Math.min(real, quota - writtenSinceStart));
  return real;
}

function existingAncestor(dir: string): string {
  let d = path.resolve(dir);
  while (!fs.existsSync(d)) {
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  return d;
}

/** Whether `err` says the disk (or the user's quota) is full. */
export function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL' || /no space left|disk is full|database or disk is full/i.test(String((err as Error)?.message ?? ''));
}

/**
 * One sentence for a write into `where` that failed: "Cannot write to /x:
 * the disk is full." `doing` names the act ("write to", "create the folder").
 */
export function writeProblem(err: unknown, where: string, doing = 'write to'): RestoraError {
  if (err instanceof RestoraError) return err;
  const code = (err as NodeJS.ErrnoException)?.code ?? '';
  const at = `Cannot ${doing} ${where}`;
  if (isDiskFull(err)) return new RestoraError('DiskFull', `${at}: the disk is full.`);
  switch (code) {
    case 'EROFS':
      return new RestoraError('Unsupported', `${at}: the disk is read-only.`);
    case 'EACCES':
    case 'EPERM':
      return new RestoraError('Unsupported', `${at}: permission denied.`);
    case 'ENOENT':
      return new RestoraError('NotFound', `${at}: a folder on the way does not exist.`);
    case 'ENOTDIR':
    case 'EEXIST':
      return new RestoraError('Conflict', `${at}: a file is in the way where a folder should be.`);
    case 'ENAMETOOLONG':
      return new RestoraError('BadRequest', `${at}: the name is too long for this disk.`);
    case 'EISDIR':
      return new RestoraError('Conflict', `${at}: a folder has that name.`);
    case 'EIO':
      return new RestoraError('Internal', `${at}: the disk reported an error.`);
    default:
      return new RestoraError('Internal', `${at}${code ? ` (${code})` : ''}.`);
  }
}

/**
 * mkdir -p, one level at a time from the nearest existing folder down. (Node's
 * recursive mkdir never returns on some special file systems, e.g. under /proc.)
 */
function makeFolders(abs: string): void {
  const missing: string[] = [];
  for (let d = abs; !fs.existsSync(d); d = path.dirname(d)) {
    missing.unshift(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing) {
    try {
      fs.mkdirSync(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !fs.statSync(d).isDirectory()) throw err;
    }
  }
}

/**
 * Makes sure `dir` exists (creating it and its parents), that this process
 * can create files in it, and that it has room for `needBytes`. Throws a
 * RestoraError with one plain sentence otherwise. Leaves nothing behind.
 */
export function prepareOutputFolder(dir: string, needBytes = 0): void {
  const abs = path.resolve(dir);
  let st: fs.Stats | null = null;
  try {
    st = fs.statSync(abs);
  } catch {
    st = null;
  }
  if (st && !st.isDirectory()) throw new RestoraError('Conflict', `Cannot write to ${abs}: it is a file, not a folder.`);
  if (!st) {
    try {
      makeFolders(abs);
    } catch (err) {
      throw writeProblem(err, abs, 'create the folder');
    }
  }
  // The real test of "may I write here": create a file exclusively, then remove it.
  const probe = path.join(abs, `.restora-write-check-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const fd = fs.openSync(probe, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY | (fs.constants.O_NOFOLLOW ?? 0));
    fs.closeSync(fd);
  } catch (err) {
    throw writeProblem(err, abs);
  } finally {
    fs.rmSync(probe, { force: true });
  }
  const free = freeBytes(abs);
  if (free < needBytes) {
    throw new RestoraError('DiskFull', `Not enough free space in ${abs}: the result needs about ${formatBytes(needBytes)}, and ${formatBytes(free)} is free.`);
  }
}
