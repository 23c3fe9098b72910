/**
 * Photos imported before the catalog kept file metadata (schema 6) have
 * `text_read = 0`: their captions, authors and keywords are read here, a
 * batch at a time from the file headers (no pixels decoded), so search finds
 * them too. The library worker runs it in the background after start; a
 * missing original is skipped and tried again on a later start.
 */
import sharp from 'sharp';
import type { Library } from './library.js';
import { readTextMetadata } from './text-metadata.js';

/** Reads the metadata of up to `limit` unread photos with ids above `after`. Returns the last id looked at, or null when none are left. */
export async function readUnreadText(lib: Library, after: number, limit = 50): Promise<number | null> {
  const rows = lib.db.prepare('SELECT id, path FROM photos WHERE text_read = 0 AND id > ? ORDER BY id LIMIT ?').all(after, limit) as Array<{ id: number; path: string }>;
  if (rows.length === 0) return null;
  const update = lib.db.prepare('UPDATE photos SET caption = ?, artist = ?, copyright = ?, keywords = ?, text_read = 1 WHERE id = ? AND text_read = 0');
  for (const r of rows) {
    let meta;
    try {
      meta = await sharp(r.path, { limitInputPixels: false }).metadata();
    } catch {
      continue; // gone or unreadable now: left for a later pass
    }
    const t = readTextMetadata(meta);
    update.run(t.caption, t.artist, t.copyright, t.keywords, r.id);
  }
  return rows[rows.length - 1]!.id;
}

/** Reads every unread photo's metadata, yielding between batches so requests are answered meanwhile. */
export async function readAllUnreadText(lib: Library, shouldStop: () => boolean = () => false): Promise<void> {
  let after = 0;
  while (!shouldStop()) {
    const last = await readUnreadText(lib, after);
    if (last === null) return;
    after = last;
    await new Promise((r) => setTimeout(r, 20));
  }
}
