/**
 * The grid's query: FTS5 text match + filters + sort + page, built as one
 * parameterised SELECT (and one count) over indexed columns, never a query per
 * row. Also the folder list and look-alike groups for the sidebar.
 */
import path from 'node:path';
import type { z } from 'zod';
import type { ListPhotosParams, PhotoSummary } from '../shared/contract/library.js';
import type { Library } from './library.js';
import { SUMMARY_COLUMNS, toSummary, type PhotoRow } from './rows.js';

type Params = z.output<typeof ListPhotosParams>;

/** Turns what the user typed into an FTS5 query: every word must match, as a prefix. Null when nothing is searchable. */
export function ftsQuery(text: string): string | null {
  const words = text
    .split(/\s+/)
    .map((w) => w.replace(/"/g, '').trim())
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (words.length === 0) return null;
  return words.map((w) => `"${w}"*`).join(' AND ');
}

const ORDER: Record<Params['sort'], { expr: string; natural: 'asc' | 'desc' }> = {
  imported: { expr: 'p.imported_at', natural: 'desc' },
  taken: { expr: 'COALESCE(p.taken_at, p.imported_at)', natural: 'desc' },
  name: { expr: 'p.file_name COLLATE NOCASE', natural: 'asc' },
  rating: { expr: 'p.rating', natural: 'desc' },
};

/**
 * The WHERE clause for a search. With `walk`, terms are written so SQLite
 * cannot drive the query from them (a unary '+' disables index use): it then
 * walks the sort order's index and stops after one page, which beats
 * collecting and sorting every match when matches are plentiful.
 */
export interface Where {
  sql: string;
  args: unknown[];
  /** When the search is a single membership test, a count that skips the join with photos. */
  soleCount?: { sql: string; args: unknown[] };
}

export function buildWhere(params: Pick<Params, 'query' | 'filter'>, walk = false): Where {
  const c = (col: string) => (walk ? `+p.${col}` : `p.${col}`);
  const where: string[] = [];
  const args: unknown[] = [];
  const f = params.filter;
  const match = ftsQuery(params.query);
  if (match) {
    where.push(`${c('id')} IN (SELECT rowid FROM photos_fts WHERE photos_fts MATCH ?)`);
    args.push(match);
  }
  if (f.from) {
    where.push('COALESCE(p.taken_at, p.imported_at) >= ?');
    args.push(f.from);
  }
  if (f.to) {
    where.push('COALESCE(p.taken_at, p.imported_at) <= ?');
    // A bare date includes the whole day.
    args.push(f.to.length === 10 ? `${f.to}T99` : f.to);
  }
  if (f.minRating !== undefined) {
    where.push(`${c('rating')} >= ?`);
    args.push(f.minRating);
  }
  if (f.favorite !== undefined) where.push(`${c('favorite')} = ${f.favorite ? 1 : 0}`);
  if (f.restored !== undefined) where.push(f.restored ? `${c('version_count')} > 0` : `${c('version_count')} = 0`);
  if (f.hasFaces !== undefined) where.push(f.hasFaces ? `${c('faces')} > 0` : `${c('faces')} = 0`);
  if (f.duplicates !== undefined) where.push(f.duplicates ? `${c('duplicate_group')} IS NOT NULL` : `${c('duplicate_group')} IS NULL`);
  if (f.missing !== undefined) where.push(`${c('missing')} = ${f.missing ? 1 : 0}`);
  if (f.folder !== undefined) {
    if (f.recursive) {
      const prefix = f.folder.endsWith(path.sep) ? f.folder : f.folder + path.sep;
      where.push(`(${c('folder')} = ? OR (${c('folder')} >= ? AND ${c('folder')} < ?))`);
      args.push(f.folder, prefix, prefix + '\u{10FFFF}');
    } else {
      where.push(`${c('folder')} = ?`);
      args.push(f.folder);
    }
  }
  if (f.albumId !== undefined) {
    where.push(`${c('id')} IN (SELECT photo_id FROM album_photos WHERE album_id = ?)`);
    args.push(f.albumId);
  }
  if (f.tag !== undefined) {
    where.push(`${c('id')} IN (SELECT pt.photo_id FROM photo_tags pt JOIN tags t ON t.id = pt.tag_id WHERE t.name = ?)`);
    args.push(f.tag);
  }
  const out: Where = { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', args };
  if (where.length === 1) {
    // FTS rows, album links and tag links each point at exactly one existing photo (triggers and foreign keys).
    if (match) out.soleCount = { sql: 'SELECT count(*) AS n FROM photos_fts WHERE photos_fts MATCH ?', args };
    else if (f.albumId !== undefined) out.soleCount = { sql: 'SELECT count(*) AS n FROM album_photos WHERE album_id = ?', args };
  }
  return out;
}

/**
 * Match counts per query, valid until the catalog changes (this connection's
 * total_changes() or another's data_version). Scrolling a grid asks for many
 * pages of one query; only the first pays for counting.
 */
const countCache = new WeakMap<Library, Map<string, { stamp: string; n: number }>>();

function countMatches(lib: Library, where: Pick<Where, 'sql' | 'args' | 'soleCount'>): number {
  const { sql, args } = where;
  const stamp = `${lib.db.pragma('data_version', { simple: true })}:${(lib.db.prepare('SELECT total_changes() AS c').get() as { c: number }).c}`;
  let cache = countCache.get(lib);
  if (!cache) countCache.set(lib, (cache = new Map()));
  const key = `${sql}\u0000${JSON.stringify(args)}`;
  const hit = cache.get(key);
  if (hit && hit.stamp === stamp) return hit.n;
  const counter = where.soleCount ?? { sql: `SELECT count(*) AS n FROM photos p ${sql}`, args };
  const n = (lib.db.prepare(counter.sql).get(...counter.args) as { n: number }).n;
  if (cache.size >= 64) cache.delete(cache.keys().next().value!);
  cache.set(key, { stamp, n });
  return n;
}

export function listPhotos(lib: Library, params: Params): { total: number; items: PhotoSummary[] } {
  const plain = buildWhere(params);
  const total = countMatches(lib, plain);
  if (total === 0 || params.offset >= total) return { total, items: [] };
  // Walking the sort index touches about (offset + limit) / density rows; collecting and sorting touches every match.
  const all = plain.sql ? countMatches(lib, { sql: '', args: [] }) : total;
  const walk = plain.sql !== '' && (params.offset + params.limit) * (all / total) < total * 3;
  const { sql, args } = walk ? buildWhere(params, true) : plain;
  const order = ORDER[params.sort];
  const dir = (params.direction ?? order.natural) === 'asc' ? 'ASC' : 'DESC';
  const orderBy = `ORDER BY ${order.expr} ${dir}, p.id ${dir}`;
  // Collecting and sorting: sort only the ids (a narrow temp b-tree), then read the page's rows.
  const page = walk || !plain.sql
    ? `SELECT ${SUMMARY_COLUMNS} FROM photos p ${sql} ${orderBy} LIMIT ? OFFSET ?`
    : `SELECT ${SUMMARY_COLUMNS} FROM photos p WHERE p.id IN (SELECT p.id FROM photos p ${sql} ${orderBy} LIMIT ? OFFSET ?) ${orderBy}`;
  const rows = lib.db.prepare(page).all(...args, params.limit, params.offset) as PhotoRow[];
  return { total, items: rows.map(toSummary) };
}

export function listFolders(lib: Library): Array<{ folder: string; count: number }> {
  return lib.db.prepare('SELECT folder, count(*) AS count FROM photos GROUP BY folder ORDER BY folder').all() as Array<{ folder: string; count: number }>;
}

export function listDuplicates(lib: Library, offset: number, limit: number) {
  const total = (lib.db.prepare('SELECT count(DISTINCT duplicate_group) AS n FROM photos WHERE duplicate_group IS NOT NULL').get() as { n: number }).n;
  const groups = lib.db
    .prepare(
      `SELECT duplicate_group AS g FROM photos WHERE duplicate_group IS NOT NULL
       GROUP BY duplicate_group ORDER BY count(*) DESC, duplicate_group LIMIT ? OFFSET ?`,
    )
    .all(limit, offset) as Array<{ g: number }>;
  if (groups.length === 0) return { total, groups: [] };
  const ids = groups.map((g) => g.g);
  const rows = lib.db
    .prepare(`SELECT ${SUMMARY_COLUMNS} FROM photos p WHERE p.duplicate_group IN (${ids.map(() => '?').join(',')}) ORDER BY p.id`)
    .all(...ids) as PhotoRow[];
  const byGroup = new Map<number, PhotoSummary[]>(ids.map((g) => [g, []]));
  for (const r of rows) byGroup.get(r.duplicate_group!)!.push(toSummary(r));
  return { total, groups: ids.map((g) => ({ group: g, photos: byGroup.get(g)! })) };
}
