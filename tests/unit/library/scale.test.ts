/**
 * The grid's queries on a 100,000-photo catalog (rows inserted directly, no
 * image files): each typical page/search/filter must cost a small fraction of
 * reading and sorting the whole table, measured side by side so a loaded
 * machine does not make the test flaky. The benchmark goal is p95 ≤ 10 ms
 * (checked with RESTORA_PERF_STRICT=1).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { prng } from '../../../devkit/make-images.js';
import { createLibrary, type Library } from '../../../electron/library/library.js';
import { buildWhere, effectiveSort, listPhotos, listFolders, listDuplicates, searchQueries } from '../../../electron/library/search.js';
import { ListPhotosParams } from '../../../electron/shared/contract/library.js';
import { tempDir } from './helpers.js';
import { SUMMARY_COLUMNS } from '../../../electron/library/rows.js';

const N = 100_000;
/** Each query's p95 must stay under this share of a full scan's... */
const RELATIVE_LIMIT = 0.5;
/** ...or under this many ms, whichever is larger. RESTORA_PERF_STRICT=1 adds the 10 ms benchmark goal. */
const ABSOLUTE_FLOOR_MS = 10;
let lib: Library;
let home: string;
let setupMs = 0;

before(() => {
  home = tempDir('restora-scale-');
  lib = createLibrary(home);
  const t0 = performance.now();
  const rnd = prng(7);
  const words = ['beach', 'wedding', 'grandma', 'harbour', 'garden', 'school', 'christmas', 'picnic', 'mountain', 'portrait'];
  const insert = lib.db.prepare(
    `INSERT INTO photos(path, folder, file_name, size_bytes, mtime_ms, sha256, phash, format, width, height, color_space, bit_depth,
       taken_at, imported_at, rating, favorite, version_count, duplicate_group, camera, caption, artist)
     VALUES (?, ?, ?, 1000, 0, ?, ?, 'jpeg', 800, 600, 'srgb', 8, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  lib.db.transaction(() => {
    for (let i = 1; i <= N; i++) {
      const folder = `/photos/${1950 + (i % 60)}/${words[i % 10]}`;
      const name = `${words[Math.floor(rnd() * 10)]}_${i}.jpg`;
      const taken = rnd() < 0.8 ? `${1950 + (i % 60)}-${String(1 + (i % 12)).padStart(2, '0')}-15T12:00:00` : null;
      insert.run(`${folder}/${name}`, folder, name, `sha${i}`, null, taken, `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`,
        Math.floor(rnd() * 6), rnd() < 0.05 ? 1 : 0, rnd() < 0.1 ? 1 : 0, i % 50 === 0 ? i - (i % 100) + 1 : null,
        i % 3 === 0 ? ['Kodak Brownie', 'Leica IIIf', 'Epson V600'][i % 9 / 3] : null,
        i % 11 === 0 ? `${words[i % 10]} with the ${['Meyer', 'Okafor', 'Lindqvist'][i % 3]} family, summer ${1950 + (i % 60)}` : null,
        i % 13 === 0 ? `Studio ${i % 40}` : null);
    }
    const tag = lib.db.prepare('INSERT INTO tags(name) VALUES (?)');
    words.forEach((w) => tag.run(`tag-${w}`));
    const link = lib.db.prepare('INSERT INTO photo_tags(photo_id, tag_id) VALUES (?, ?)');
    for (let i = 1; i <= N; i += 7) link.run(i, 1 + (i % 10));
    lib.db.prepare(`INSERT INTO albums(name, created_at) VALUES ('Big album', 'now')`).run();
    const ap = lib.db.prepare(`INSERT INTO album_photos(album_id, photo_id, added_at) VALUES (1, ?, 'now')`);
    for (let i = 1; i <= N; i += 3) ap.run(i);
  })();
  // What an import of 1,000+ photos does when it finishes.
  lib.db.prepare(`INSERT INTO photos_fts(photos_fts) VALUES ('optimize')`).run();
  lib.db.prepare(`INSERT INTO photos_search(photos_search) VALUES ('optimize')`).run();
  lib.db.pragma('optimize');
  setupMs = performance.now() - t0;
});

after(() => {
  lib.close();
  if (process.env.KEEP_SCALE_HOME) console.log(`kept ${home}`);
  else fs.rmSync(home, { recursive: true, force: true });
});

function p95(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * 0.95) - 1)]!;
}

function timeOnce(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/**
 * What a query costs without any index help: read every row and sort them all.
 * Measured interleaved with each case, so a loaded machine slows both alike.
 */
function naivePage(): unknown {
  return lib.db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM photos p ORDER BY p.width + p.id DESC LIMIT 200`).all();
}

const cases: Array<[string, Record<string, unknown>]> = [
  ['first page, newest import', {}],
  ['deep page', { offset: 90_000 }],
  ['sort by taken', { sort: 'taken' }],
  ['sort by name', { sort: 'name', offset: 50_000 }],
  ['sort by rating', { sort: 'rating' }],
  ['text search (common word), best match first', { query: 'beach' }],
  ['text search (common word), newest first', { query: 'beach', sort: 'imported' }],
  ['text search (rare prefix)', { query: 'beach_9999' }],
  ['text inside words', { query: 'each_999' }],
  ['metadata (caption) search', { query: 'okafor' }],
  ['two short words', { query: 'be 19' }],
  ['a long and a short word (the short one rarer)', { query: 'album b' }],
  ['a long and a short word (the long one rarer)', { query: 'okafor 19' }],
  ['camera', { filter: { camera: 'leica iiif' } }],
  ['folder', { filter: { folder: '/photos/1970/beach' } }],
  ['folder recursive', { filter: { folder: '/photos/1970', recursive: true } }],
  ['min rating + favourite', { filter: { minRating: 4, favorite: true } }],
  ['restored', { filter: { restored: true } }],
  ['duplicates', { filter: { duplicates: true } }],
  ['date range', { filter: { from: '1960-01-01', to: '1965-12-31' }, sort: 'taken' }],
  ['album', { filter: { albumId: 1 } }],
  ['tag', { filter: { tag: 'tag-garden' } }],
  ['search + filters', { query: 'wedding', filter: { minRating: 3, tag: 'tag-picnic' }, sort: 'name' }],
];

/** A no-op write: invalidates cached counts the way any catalog change does. */
function touch(): void {
  lib.db.prepare('UPDATE photos SET rating = rating WHERE id = 1').run();
}

test(`grid queries on ${N.toLocaleString('en')} photos return pages (timings printed; asserted with RESTORA_PERF_STRICT=1)`, () => {
  const report: string[] = [`setup ${setupMs.toFixed(0)} ms`];
  const slow: string[] = [];
  naivePage(); // the table in SQLite's page cache before anything is timed
  for (const [name, params] of cases) {
    const parsed = ListPhotosParams.parse({ limit: 200, ...params });
    const result = listPhotos(lib, parsed);
    assert.ok(result.items.length > 0, `${name} returns photos`);
    const cold: number[] = [];
    const warm: number[] = [];
    const naive: number[] = [];
    for (let i = 0; i < 10; i++) {
      // The full scan costs ~280 ms on 2 cores (the pages a few ms): three of its timings per case are enough.
      if (i % 4 === 0) naive.push(timeOnce(naivePage));
      // First page after a change (counts recomputed), then a further page of the same query (scrolling).
      cold.push(timeOnce(() => {
        touch();
        listPhotos(lib, parsed);
      }));
      warm.push(timeOnce(() => listPhotos(lib, { ...parsed, offset: parsed.offset + 200 })));
    }
    const [c, w, n] = [p95(cold), p95(warm), p95(naive)];
    report.push(`${name}: p95 first ${c.toFixed(2)} ms, next pages ${w.toFixed(2)} ms, full scan ${n.toFixed(1)} ms (${result.total} matches)`);
    const limit = Math.max(ABSOLUTE_FLOOR_MS, n * RELATIVE_LIMIT);
    if (c > limit || w > limit) slow.push(`${name} (${c.toFixed(1)} / ${w.toFixed(1)} ms, limit ${limit.toFixed(1)})`);
    if (process.env.RESTORA_PERF_STRICT && Math.max(c, w) > 10) slow.push(`${name}: over the 10 ms goal`);
  }
  const folders = p95(Array.from({ length: 10 }, () => timeOnce(() => listFolders(lib))));
  const dups = p95(Array.from({ length: 10 }, () => timeOnce(() => listDuplicates(lib, 0, 50))));
  report.push(`folders: ${folders.toFixed(2)} ms`, `duplicate groups: ${dups.toFixed(2)} ms`);
  console.log(report.join('\n'));
  // Timings are figures, not verdicts (a loaded CI machine is not a benchmark): they
  // fail the test only when asked with RESTORA_PERF_STRICT=1. npm run bench:library measures them.
  if (process.env.RESTORA_PERF_STRICT) assert.deepEqual(slow, []);
  else if (slow.length) console.log(`slower than expected here: ${slow.join('; ')}`);
});

test('the adaptive plan returns the same page as a plain query', () => {
  for (const [name, params] of cases) {
    const parsed = ListPhotosParams.parse({ limit: 50, ...params });
    const sort = effectiveSort(parsed);
    if (sort === 'relevance') continue; // ranked pages are checked in search.test.ts
    const { sql, args } = buildWhere(parsed);
    const dir = sort === 'name' ? 'ASC' : 'DESC';
    const expr = { imported: 'p.imported_at', taken: 'COALESCE(p.taken_at, p.imported_at)', name: 'p.file_name COLLATE NOCASE', rating: 'p.rating' }[sort];
    const expected = (lib.db.prepare(`SELECT p.id FROM photos p ${sql} ORDER BY ${expr} ${dir}, p.id ${dir} LIMIT ? OFFSET ?`).all(...args, 50, parsed.offset) as Array<{ id: number }>).map((r) => r.id);
    assert.deepEqual(listPhotos(lib, parsed).items.map((i) => i.id), expected, name);
  }
});

/**
 * Best match first, worked out the slow, obvious way: every photo matching all
 * the words, by tier (all words in the file name; then in tags, albums and what
 * the file says; then anywhere), newest first within a tier.
 */
function rankedReference(query: string): number[] {
  const { inside, prefix } = searchQueries(query);
  const inTable = (table: string, match: string) =>
    new Set((lib.db.prepare(`SELECT rowid FROM ${table} WHERE ${table} MATCH ?`).pluck().all(match) as number[]));
  const sets = [inside && inTable('photos_search', inside), prefix && inTable('photos_fts', prefix)].filter((x): x is Set<number> => !!x);
  const all = [...sets[0]!].filter((id) => sets.every((s) => s.has(id)));
  const [table, match, described] = inside ? ['photos_search', inside, '{tags albums metadata people}'] : ['photos_fts', prefix!, '{tags albums}'];
  const inName = inTable(table, `{name} : (${match})`);
  const inDescribed = inTable(table, `${described} : (${match})`);
  const tier = (id: number) => (inName.has(id) ? 0 : inDescribed.has(id) ? 1 : 2);
  return all.sort((a, b) => tier(a) - tier(b) || b - a);
}

test('ranked pages (best match first) are complete, disjoint and in order, through every plan', () => {
  for (const query of ['beach', 'each_99', 'okafor', 'be 19', 'album b', 'okafor 19', 'beach 4', 'grandma 1']) {
    touch();
    const expected = rankedReference(query);
    assert.ok(expected.length > 0, `${query} matches photos`);
    const parsed = ListPhotosParams.parse({ query, limit: 100 });
    assert.equal(effectiveSort(parsed), 'relevance');
    // First pages, a page across a tier's end, and the last page.
    const tierEnds = [...new Set([0, 100, 300, expected.length - 1].map((o) => Math.max(0, Math.min(o, expected.length - 1))))];
    for (const offset of tierEnds) {
      const page = listPhotos(lib, { ...parsed, offset });
      assert.equal(page.total, expected.length, `${query}: total`);
      assert.deepEqual(page.items.map((i) => i.id), expected.slice(offset, offset + 100), `${query} at ${offset}`);
    }
    // With a filter every photo passes, the collect-and-sort plan must agree.
    const filtered = listPhotos(lib, { ...parsed, filter: { missing: false, recursive: false } });
    assert.deepEqual(filtered.items.map((i) => i.id), expected.slice(0, 100), `${query} through the filtered plan`);
  }
});
