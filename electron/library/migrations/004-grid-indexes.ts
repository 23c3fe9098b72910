/**
 * 004: indexes found missing by the 100,000-photo grid test. Partial indexes
 * make the restored and faces filters' counts index-only, and the FTS table
 * is rebuilt with prefix indexes (2-4 characters), since search-as-you-type
 * asks for short prefixes that otherwise scan every matching token. '_' now
 * separates words: 'beach_0042' as one token made a prefix search for 'beach'
 * merge one posting list per numbered file name.
 * The FTS triggers from 002 name the table, so it is recreated under the same
 * name (a rename would fail on those triggers).
 */
import type { Database } from 'better-sqlite3';

export const version = 4;
export const name = 'grid-indexes';

export function up(db: Database): void {
  db.exec(`
    CREATE INDEX photos_restored ON photos(id) WHERE version_count > 0;
    CREATE INDEX photos_faces ON photos(id) WHERE faces > 0;
    CREATE TEMP TABLE fts_copy AS SELECT rowid AS id, name, folder, tags, albums, instructions FROM photos_fts;
    DROP TABLE photos_fts;
    CREATE VIRTUAL TABLE photos_fts USING fts5(
      name, folder, tags, albums, instructions,
      tokenize = "unicode61 remove_diacritics 2",
      prefix = '2 3 4'
    );
    INSERT INTO photos_fts(rowid, name, folder, tags, albums, instructions)
      SELECT id, name, folder, tags, albums, instructions FROM fts_copy;
    DROP TABLE fts_copy;
  `);
}
