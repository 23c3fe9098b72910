/**
 * A large catalog without importing anything: rows inserted straight into a
 * catalog opened (and migrated) by the library's own createLibrary, in big
 * transactions, with folders, dates, ratings, favourites, faces, look-alike
 * groups, tags and albums spread like a real library. Every photo gets a real
 * thumbnail (one JPEG hard-linked under each content hash), so the grid shows
 * pictures without any originals on disk. Used by bench/library-bench.ts and
 * the library scale e2e test:
 *   await writeSyntheticCatalog(dataDir, 100_000);
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { createLibrary } from '../electron/library/library.js';
import { photoThumbPaths } from '../electron/library/thumbnails.js';

export interface SyntheticOptions {
  /** Write thumbnails (hard links to a few real JPEGs). Default true. */
  thumbnails?: boolean;
  folders?: number;
}

/** Every fourth photo gets one tag, cycling through this list. */
export const SYNTHETIC_TAGS = ['family', 'wedding', 'holiday', 'portrait', 'school', 'harbour', 'garden', 'christmas', 'army', 'farm'];

/** Photographers and studios named in the EXIF Artist of every eleventh photo. */
export const SYNTHETIC_ARTISTS = ['H. Brandt', 'Studio Okafor', 'M. Lindqvist', 'Atelier Rossi', 'J. Nakamura'];
const PLACES = ['the lake', 'Grandma Ottilie’s garden', 'the harbour', 'St. Mary’s church', 'the farm', 'the seaside', 'Aunt Edith’s wedding'];

/** Every seventh photo carries a caption (EXIF ImageDescription / XMP description), as scanned and annotated prints do. */
export function syntheticCaption(i: number): string | null {
  return i % 7 === 3 ? `${SYNTHETIC_TAGS[i % SYNTHETIC_TAGS.length]} at ${PLACES[i % PLACES.length]}, summer ${1920 + (i % 80)}` : null;
}

function fakeSha(i: number): string {
  // The first two hex digits pick the thumbnail folder: spread them like real hashes.
  return ((i % 256).toString(16).padStart(2, '0') + i.toString(16).padStart(12, '0') + 'b'.repeat(50)).slice(0, 64);
}

async function thumbPool(): Promise<Buffer[]> {
  const colours = ['#7a5c3e', '#3e5c7a', '#5c7a3e', '#7a3e5c', '#6b6b6b', '#a08050', '#405060', '#806040'];
  return Promise.all(
    colours.map((c, i) =>
      sharp({ create: { width: 256, height: 171, channels: 3, background: c, noise: { type: 'gaussian', mean: 0, sigma: 18 } } })
        .composite([{ input: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="256" height="171"><circle cx="${60 + i * 20}" cy="85" r="40" fill="#e8d8b0" fill-opacity="0.7"/></svg>`) }])
        .jpeg({ quality: 80 })
        .toBuffer(),
    ),
  );
}

/** How many of `n` synthetic photos carry `tag`. */
export function syntheticTagCount(n: number, tag: string): number {
  const t = SYNTHETIC_TAGS.indexOf(tag);
  let count = 0;
  for (let k = 1; k <= Math.floor(n / 4); k++) if (k % SYNTHETIC_TAGS.length === t) count++;
  return count;
}

/** Fills a fresh data directory with `n` photos. Returns the seconds it took. */
export async function writeSyntheticCatalog(dataDir: string, n: number, options: SyntheticOptions = {}): Promise<number> {
  const started = performance.now();
  const lib = createLibrary(dataDir);
  const folders = options.folders ?? Math.max(1, Math.ceil(n / 400));
  const db = lib.db;
  const insert = db.prepare(
    `INSERT INTO photos(id, path, folder, file_name, size_bytes, mtime_ms, sha256, phash, format, width, height, orientation,
       color_space, bit_depth, has_alpha, has_icc, camera, taken_at, imported_at, rating, favorite, missing, faces, duplicate_group,
     caption, artist, text_read)
     VALUES (?, ?, ?, ?, ?, ?, ?, NULL, 'jpeg', ?, ?, 1, 'srgb', 8, 0, 0, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, 1)`,
  );
  const tagIds = SYNTHETIC_TAGS.map((t) => Number(db.prepare('INSERT INTO tags(name) VALUES (?)').run(t).lastInsertRowid));
  const albumIds = Array.from({ length: 10 }, (_, a) => Number(db.prepare('INSERT INTO albums(name, created_at) VALUES (?, ?)').run(`Album ${a + 1}`, '2024-01-01T00:00:00.000Z').lastInsertRowid));
  const tag = db.prepare('INSERT INTO photo_tags(photo_id, tag_id) VALUES (?, ?)');
  const album = db.prepare('INSERT INTO album_photos(album_id, photo_id, added_at) VALUES (?, ?, ?)');
  const base = Date.UTC(1925, 0, 1);
  const span = Date.UTC(2024, 0, 1) - base;
  const batch = 5000;
  for (let start = 1; start <= n; start += batch) {
    db.transaction(() => {
      for (let i = start; i < Math.min(n + 1, start + batch); i++) {
        const f = i % folders;
        const folder = `/library/${1920 + (f % 100)}s/Box ${String(f).padStart(4, '0')}`;
        const name = `SCAN_${String(i).padStart(6, '0')}.jpg`;
        const taken = i % 7 === 0 ? null : new Date(base + ((i * 2654435761) % 1000003) / 1000003 * span).toISOString().slice(0, 19);
        const imported = new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString();
        insert.run(i, `${folder}/${name}`, folder, name, 2_500_000 + (i % 997) * 1000, 1_700_000_000_000, fakeSha(i), 3000, 2000,
          i % 5 === 0 ? 'Epson Perfection V600' : null, taken, imported, i % 6, i % 17 === 0 ? 1 : 0, i % 3 === 0 ? i % 4 : null,
          i % 40 < 2 ? i - (i % 40) + 1 : null, syntheticCaption(i), i % 11 === 0 ? SYNTHETIC_ARTISTS[i % SYNTHETIC_ARTISTS.length]! : null);
        if (i % 4 === 0) tag.run(i, tagIds[(i / 4) % tagIds.length]!);
        if (i % 10 === 0) album.run(albumIds[(i / 10) % albumIds.length]!, i, imported);
      }
    })();
  }
  // What a big import does when it finishes: merge the search indexes' segments.
  db.prepare(`INSERT INTO photos_fts(photos_fts) VALUES ('optimize')`).run();
  db.prepare(`INSERT INTO photos_search(photos_search) VALUES ('optimize')`).run();
  db.pragma('optimize');
  if (options.thumbnails !== false) {
    const pool = await thumbPool();
    const sources = pool.map((buf, k) => {
      const p = path.join(lib.paths.thumbnails, `synthetic-${k}.jpg`);
      fs.writeFileSync(p, buf);
      return p;
    });
    const made = new Set<string>();
    for (let i = 1; i <= n; i++) {
      const t = photoThumbPaths(lib.paths.thumbnails, fakeSha(i)).thumb;
      const dir = path.dirname(t);
      if (!made.has(dir)) {
        fs.mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      fs.linkSync(sources[i % sources.length]!, t);
    }
  }
  lib.close();
  return (performance.now() - started) / 1000;
}
