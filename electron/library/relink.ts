/**
 * Missing originals: 'library.checkFiles' re-checks every photo's path, and
 * 'library.relink' searches a folder for the missing ones. Only files whose
 * name or size matches a missing photo are hashed, and a photo is relinked
 * only when the sha256 matches, so a different picture with the same name is
 * never taken for the original.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { HandlerContext } from '../node/worker-runtime.js';
import type { Library } from './library.js';
import { checkOriginal } from './media.js';
import { scan } from './scan.js';
import { sha256File } from './hashes.js';
import { relocate } from './import-service.js';

export async function checkFiles(lib: Library, ctx: HandlerContext) {
  const rows = lib.db.prepare('SELECT id, path, missing FROM photos ORDER BY id').all() as Array<{ id: number; path: string; missing: number }>;
  let missing = 0;
  let found = 0;
  const changed: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    if (i % 64 === 0) {
      ctx.throwIfCancelled();
      ctx.progress({ stage: 'check', fraction: i / rows.length, message: `${i + 1} of ${rows.length}` });
    }
    const row = rows[i]!;
    const present = await checkOriginal(lib, row);
    if (!present) missing++;
    if (present && row.missing === 1) found++;
    if (present !== (row.missing === 0)) changed.push(row.id);
  }
  if (changed.length) ctx.emit('library.changed', { entity: 'photos', ids: changed.slice(0, 10_000) });
  return { checked: rows.length, missing, found };
}

export async function relink(lib: Library, folder: string, ctx: HandlerContext) {
  // Refresh the missing flags first: files may have moved since the last check.
  await checkFiles(lib, ctx);
  const missingRows = lib.db.prepare('SELECT id, file_name, size_bytes, sha256 FROM photos WHERE missing = 1').all() as Array<{
    id: number;
    file_name: string;
    size_bytes: number;
    sha256: string;
  }>;
  const bySha = new Map(missingRows.map((r) => [r.sha256, r.id]));
  const names = new Set(missingRows.map((r) => r.file_name.toLowerCase()));
  const sizes = new Set(missingRows.map((r) => r.size_bytes));
  ctx.progress({ stage: 'scan', fraction: 0, message: 'Looking for missing photos…' });
  const { files } = missingRows.length ? await scan([folder], ctx.signal) : { files: [] };
  const relinked: number[] = [];
  for (let i = 0; i < files.length && bySha.size > 0; i++) {
    ctx.throwIfCancelled();
    const file = files[i]!;
    ctx.progress({ stage: 'match', fraction: i / files.length, message: `${i + 1} of ${files.length}: ${path.basename(file)}` });
    let size: number;
    try {
      size = (await fs.stat(file)).size;
    } catch {
      continue;
    }
    if (!names.has(path.basename(file).toLowerCase()) && !sizes.has(size)) continue;
    let sha: string;
    try {
      sha = await sha256File(file, ctx.signal);
    } catch {
      ctx.throwIfCancelled();
      continue;
    }
    const id = bySha.get(sha);
    if (id === undefined) continue;
    // The same file may already be catalogued under its new path (imported again): keep the older photo's path free.
    if (lib.db.prepare('SELECT 1 FROM photos WHERE path = ?').get(file)) continue;
    relocate(lib, id, file);
    bySha.delete(sha);
    relinked.push(id);
  }
  if (relinked.length) ctx.emit('library.changed', { entity: 'photos', ids: relinked.slice(0, 10_000) });
  return { relinked: relinked.length, stillMissing: bySha.size };
}
