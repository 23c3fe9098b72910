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

/** Words searched at most; further words are ignored (pasted paragraphs must not build giant queries). */
export const MAX_SEARCH_WORDS = 16;

/**
 * What the user typed as FTS5 queries. Every word must match. Words of three
 * or more characters match anywhere inside a field (trigram table); one- and
 * two-letter words match word beginnings (the prefix table), since a trigram
 * index cannot look them up. "Quoted words" are searched as one phrase. Each
 * word is passed as a quoted FTS5 string, so quotes, wildcards, operators and
 * SQL in the text are searched for literally, never parsed.
 */
export interface SearchQueries {
  /** Trigram MATCH expression, or null. */
  inside: string | null;
  /** Word-prefix MATCH expression, or null. */
  prefix: string | null;
}

export function searchQueries(text: string): SearchQueries {
  const words: string[] = [];
  for (const m of text.matchAll(/"([^"]*)"|(\S+)/g)) {
    const word = (m[1] ?? m[2] ?? '')
      .replace(/"/g, '')
      .replace(/\s+/g, ' ')
      .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (/[\p{L}\p{N}]/u.test(word)) words.push(word);
    if (words.length >= MAX_SEARCH_WORDS) break;
  }
  const quote = (w: string) => `"${w.replace(/"/g, '""')}"`;
  const long = words.filter((w) => [...w].length >= 3);
  // The prefix table splits on punctuation: "o'" is the word "o".
  const short = words.filter((w) => [...w].length < 3).map((w) => w.replace(/[^\p{L}\p{N}]+/gu, ' ').trim()).filter(Boolean);
  return {
    inside: long.length ? long.map(quote).join(' AND ') : null,
    prefix: short.length ? short.flatMap((w) => w.split(' ')).map((w) => `${quote(w)}*`).join(' AND ') : null,
  };
}

/** The sort used when none is given: best match first while searching, newest import otherwise. */
export function effectiveSort(params: Pick<Params, 'query' | 'sort'>): Exclude<Params['sort'], undefined> {
  const q = searchQueries(params.query);
  const searching = q.inside !== null || q.prefix !== null;
  if (params.sort === 'relevance' && !searching) return 'imported';
  return params.sort ?? (searching ? 'relevance' : 'imported');
}

type Sort = Exclude<Params['sort'], undefined | 'relevance'>;

const ORDER: Record<Sort, { expr: string; natural: 'asc' | 'desc' }> = {
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

export function buildWhere(params: Pick<Params, 'query' | 'filter'>, walk = false, skipInside = false): Where {
  const c = (col: string) => (walk ? `+p.${col}` : `p.${col}`);
  const where: string[] = [];
  const args: unknown[] = [];
  const f = params.filter;
  const { inside, prefix } = searchQueries(params.query);
  if (inside && !skipInside) {
    where.push(`${c('id')} IN (SELECT rowid FROM photos_search WHERE photos_search MATCH ?)`);
    args.push(inside);
  }
  if (prefix) {
    where.push(`${c('id')} IN (SELECT rowid FROM photos_fts WHERE photos_fts MATCH ?)`);
    args.push(prefix);
  }
  if (f.ids !== undefined) {
    where.push(`${c('id')} IN (SELECT value FROM json_each(?))`);
    args.push(JSON.stringify(f.ids));
  }
  if (f.camera !== undefined) {
    where.push(`${c('camera')} = ? COLLATE NOCASE`);
    args.push(f.camera);
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
  if (f.personId !== undefined) {
    where.push(`${c('id')} IN (SELECT photo_id FROM faces WHERE person_id = ?)`);
    args.push(f.personId);
  }
  if (f.tag !== undefined) {
    where.push(`${c('id')} IN (SELECT pt.photo_id FROM photo_tags pt JOIN tags t ON t.id = pt.tag_id WHERE t.name = ?)`);
    args.push(f.tag);
  }
  const out: Where = { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', args };
  if (where.length === 1) {
    // FTS rows, album links and tag links each point at exactly one existing photo (triggers and foreign keys).
    if (inside && !skipInside) out.soleCount = { sql: 'SELECT count(*) AS n FROM photos_search WHERE photos_search MATCH ?', args };
    else if (prefix) out.soleCount = { sql: 'SELECT count(*) AS n FROM photos_fts WHERE photos_fts MATCH ?', args };
    else if (f.albumId !== undefined) out.soleCount = { sql: 'SELECT count(*) AS n FROM album_photos WHERE album_id = ?', args };
  }
  return out;
}

/**
 * Values computed from the catalog, valid until it changes (this connection's
 * total_changes() or another's data_version). Scrolling a grid asks for many
 * pages of one query; only the first pays for counting.
 */
const memos = new WeakMap<Library, Map<string, { stamp: string; value: unknown }>>();

function memo(lib: Library): { stamp: string; values: Map<string, { stamp: string; value: unknown }> } {
  const stamp = `${lib.db.pragma('data_version', { simple: true })}:${(lib.db.prepare('SELECT total_changes() AS c').get() as { c: number }).c}`;
  let values = memos.get(lib);
  if (!values) memos.set(lib, (values = new Map()));
  return { stamp, values };
}

function remember<T>(lib: Library, key: string, compute: () => T): T {
  const known = recall<T>(lib, key);
  if (known !== undefined) return known;
  const value = compute();
  store(lib, key, value);
  return value;
}

function recall<T>(lib: Library, key: string): T | undefined {
  const { stamp, values } = memo(lib);
  const hit = values.get(key);
  return hit && hit.stamp === stamp ? (hit.value as T) : undefined;
}

function store(lib: Library, key: string, value: unknown): void {
  const { stamp, values } = memo(lib);
  if (values.size >= 64) values.delete(values.keys().next().value!);
  values.set(key, { stamp, value });
}

const countKey = (counter: { sql: string; args: unknown[] }) => `count\u0000${counter.sql}\u0000${JSON.stringify(counter.args)}`;

function countMatches(lib: Library, where: Pick<Where, 'sql' | 'args' | 'soleCount'>): number {
  const counter = where.soleCount ?? { sql: `SELECT count(*) AS n FROM photos p ${where.sql}`, args: where.args };
  return remember(lib, countKey(counter), () => (lib.db.prepare(counter.sql).get(...counter.args) as { n: number }).n);
}

const ftsCount = (table: 'photos_search' | 'photos_fts', match: string, also = '', alsoArgs: unknown[] = []) => {
  const counter = { sql: `SELECT count(*) AS n FROM ${table} WHERE ${table} MATCH ?${also}`, args: [match, ...alsoArgs] };
  return { ...counter, soleCount: counter };
};

/**
 * A search with words of three or more letters and shorter ones, and no
 * filters, is answered from the two search tables alone: the photos matching
 * both are the long words' matches that are also among the short words'. The
 * smaller side is the one collected (the two sides' sizes are cached counts):
 * the short words' matches as a subquery, or, when the long words match fewer
 * photos, the matches themselves as a list of ids.
 */
interface Mixed {
  count: number;
  /** A condition on the trigram table's rowid that keeps the photos matching the short words too. */
  member: string;
  args: unknown[];
}

function mixedSearch(lib: Library, inside: string, prefix: string): Mixed {
  const nInside = countMatches(lib, ftsCount('photos_search', inside));
  const nPrefix = countMatches(lib, ftsCount('photos_fts', prefix));
  // The unary '+' keeps each membership test a filter, so SQLite drives the query from the MATCH.
  if (nPrefix <= nInside) {
    const member = ' AND +rowid IN (SELECT rowid FROM photos_fts WHERE photos_fts MATCH ?)';
    return { count: countMatches(lib, ftsCount('photos_search', inside, member, [prefix])), member, args: [prefix] };
  }
  const ids = remember(lib, `mixed\u0000${inside}\u0000${prefix}`, () =>
    JSON.stringify(
      lib.db
        .prepare('SELECT rowid FROM photos_fts WHERE photos_fts MATCH ? AND +rowid IN (SELECT rowid FROM photos_search WHERE photos_search MATCH ?) ORDER BY rowid')
        .pluck()
        .all(prefix, inside),
    ),
  );
  return { count: ids === '[]' ? 0 : ids.split(',').length, member: ' AND +rowid IN (SELECT value FROM json_each(?))', args: [ids] };
}

export function listPhotos(lib: Library, params: Params): { total: number; items: PhotoSummary[] } {
  const plain = buildWhere(params);
  const { inside, prefix } = searchQueries(params.query);
  const unfiltered = !buildWhere({ ...params, query: '' }).sql;
  const total = unfiltered && inside && prefix ? mixedSearch(lib, inside, prefix).count : countMatches(lib, plain);
  if (total === 0 || params.offset >= total) return { total, items: [] };
  const sort = effectiveSort(params);
  if (sort === 'relevance') return { total, items: rankedPage(lib, params) };
  // Walking the sort index touches about (offset + limit) / density rows; collecting and sorting touches every match.
  const all = plain.sql ? countMatches(lib, { sql: '', args: [] }) : total;
  const walk = plain.sql !== '' && (params.offset + params.limit) * (all / total) < total * 3;
  const { sql, args } = walk ? buildWhere(params, true) : plain;
  const order = ORDER[sort];
  const dir = (params.direction ?? order.natural) === 'asc' ? 'ASC' : 'DESC';
  const orderBy = `ORDER BY ${order.expr} ${dir}, p.id ${dir}`;
  // Collecting and sorting: sort only the ids (a narrow temp b-tree), then read the page's rows.
  const page = walk || !plain.sql
    ? `SELECT ${SUMMARY_COLUMNS} FROM photos p ${sql} ${orderBy} LIMIT ? OFFSET ?`
    : `SELECT ${SUMMARY_COLUMNS} FROM photos p WHERE p.id IN (SELECT p.id FROM photos p ${sql} ${orderBy} LIMIT ? OFFSET ?) ${orderBy}`;
  const rows = lib.db.prepare(page).all(...args, params.limit, params.offset) as PhotoRow[];
  return { total, items: rows.map(toSummary) };
}

/**
 * Where a match counts most: all the words in the file name, then in what
 * people write about a photo, then anywhere else. As FTS5 queries over one
 * search table, each tier excluding the ones before it: over the trigram
 * table (words inside words) the middle tier is tags, albums, caption, author,
 * keywords and the names of the people in it; over the word-beginning table
 * (one- and two-letter words), which holds fewer fields, tags and albums.
 */
function tierQueries(match: string, table: 'photos_search' | 'photos_fts'): string[] {
  const described = table === 'photos_search' ? 'tags albums metadata people' : 'tags albums';
  const [name, about] = [`{name} : (${match})`, `{${described}} : (${match})`];
  // The last tier excludes the first two by name: '{name tags …} : (a b)' would also drop a photo
  // with one word in its name and the other in a tag, which no tier then holds.
  return [name, `(${about}) NOT (${name})`, `((${match}) NOT (${name})) NOT (${about})`];
}

/**
 * Best matches first: by tier (file name, then descriptions, then the rest),
 * newest first within a tier. Without filters each tier is read in its search
 * table's own rowid order (photo ids grow with each import): the words inside
 * words rank through the trigram table, and one- and two-letter words, when
 * there are also longer ones, are a membership test beside it. A first page
 * costs one short index walk per tier it reaches, whatever the number of
 * matches; later pages add a cached count of each tier they skip. With
 * filters, the matches are collected and sorted.
 */
function rankedPage(lib: Library, params: Params): PhotoSummary[] {
  const { inside, prefix } = searchQueries(params.query);
  const filters = buildWhere({ ...params, query: '' });
  let ids: number[];
  if (!filters.sql && (inside || prefix)) {
    const table = inside ? 'photos_search' : 'photos_fts';
    const mixed = inside && prefix ? mixedSearch(lib, inside, prefix) : null;
    const also = mixed?.member ?? '';
    const alsoArgs = mixed?.args ?? [];
    ids = [];
    let skip = params.offset;
    let want = params.limit;
    for (const tier of tierQueries((inside ?? prefix)!, table)) {
      // A later page skips whole tiers by their (cached) counts. Reading a tier from its start
      // costs no more than counting it, and a short read is its count, kept for the next time.
      const counter = ftsCount(table, tier, also, alsoArgs);
      const n = skip > 0 ? countMatches(lib, counter) : recall<number>(lib, countKey(counter));
      if (n !== undefined && skip >= n) {
        skip -= n;
        continue;
      }
      const rows = lib.db
        .prepare(`SELECT rowid AS id FROM ${table} WHERE ${table} MATCH ?${also} ORDER BY rowid DESC LIMIT ? OFFSET ?`)
        .all(tier, ...alsoArgs, want, skip) as Array<{ id: number }>;
      if (skip === 0 && rows.length < want) store(lib, countKey(counter), rows.length);
      ids.push(...rows.map((r) => r.id));
      want -= rows.length;
      skip = 0;
      if (want <= 0) break;
    }
  } else {
    const where = buildWhere(params);
    const table = inside ? 'photos_search' : 'photos_fts';
    const [t0, t1] = inside || prefix ? tierQueries((inside ?? prefix)!, table) : [];
    const tier = t0
      ? `CASE WHEN p.id IN (SELECT rowid FROM ${table} WHERE ${table} MATCH ?) THEN 0 WHEN p.id IN (SELECT rowid FROM ${table} WHERE ${table} MATCH ?) THEN 1 ELSE 2 END, `
      : '';
    ids = (
      lib.db.prepare(`SELECT p.id FROM photos p ${where.sql} ORDER BY ${tier}p.id DESC LIMIT ? OFFSET ?`).all(...where.args, ...(t0 ? [t0, t1] : []), params.limit, params.offset) as Array<{ id: number }>
    ).map((r) => r.id);
  }
  if (ids.length === 0) return [];
  const rows = lib.db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM photos p WHERE p.id IN (${ids.map(() => '?').join(',')})`).all(...ids) as PhotoRow[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => (byId.has(id) ? [toSummary(byId.get(id)!)] : []));
}

export function listFolders(lib: Library): Array<{ folder: string; count: number }> {
  return lib.db.prepare('SELECT folder, count(*) AS count FROM photos GROUP BY folder ORDER BY folder').all() as Array<{ folder: string; count: number }>;
}

export function listCameras(lib: Library): Array<{ camera: string; count: number }> {
  return lib.db
    .prepare('SELECT camera, count(*) AS count FROM photos WHERE camera IS NOT NULL GROUP BY camera COLLATE NOCASE ORDER BY count DESC, camera COLLATE NOCASE LIMIT 500')
    .all() as Array<{ camera: string; count: number }>;
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
