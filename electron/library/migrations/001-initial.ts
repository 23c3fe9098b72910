/**
 * 001: the catalog's core tables. Photos are keyed by content (sha256) so the
 * same file is never imported twice; versions hang under their photo; albums
 * and tags are many-to-many. `version_count` is kept by triggers so the grid
 * never needs a per-row count.
 */
import type { Database } from 'better-sqlite3';

export const version = 1;
export const name = 'initial';

export function up(db: Database): void {
  db.exec(`
    -- AUTOINCREMENT: ids are never reused, so a cached restora-media://photo/42
    -- can never show a different photo after photo 42 was removed.
    CREATE TABLE photos (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      path TEXT NOT NULL UNIQUE,
      folder TEXT NOT NULL,
      file_name TEXT NOT NULL,
      size_bytes INTEGER NOT NULL,
      mtime_ms INTEGER NOT NULL,
      sha256 TEXT NOT NULL UNIQUE,
      phash TEXT,
      format TEXT NOT NULL,
      width INTEGER NOT NULL,
      height INTEGER NOT NULL,
      orientation INTEGER NOT NULL DEFAULT 1,
      color_space TEXT NOT NULL,
      bit_depth INTEGER NOT NULL,
      has_alpha INTEGER NOT NULL DEFAULT 0,
      has_icc INTEGER NOT NULL DEFAULT 0,
      camera TEXT,
      taken_at TEXT,
      imported_at TEXT NOT NULL,
      rating INTEGER NOT NULL DEFAULT 0 CHECK (rating BETWEEN 0 AND 5),
      favorite INTEGER NOT NULL DEFAULT 0,
      missing INTEGER NOT NULL DEFAULT 0,
      faces INTEGER,
      version_count INTEGER NOT NULL DEFAULT 0,
      preferred_version_id INTEGER
    );
    CREATE INDEX photos_imported ON photos(imported_at, id);
    CREATE INDEX photos_taken ON photos(COALESCE(taken_at, imported_at), id);
    CREATE INDEX photos_name ON photos(file_name COLLATE NOCASE, id);
    CREATE INDEX photos_rating ON photos(rating, id);
    CREATE INDEX photos_folder ON photos(folder, id);
    CREATE INDEX photos_missing ON photos(missing) WHERE missing = 1;
    CREATE INDEX photos_favorite ON photos(favorite) WHERE favorite = 1;

    CREATE TABLE versions (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
      file TEXT NOT NULL UNIQUE,
      label TEXT NOT NULL,
      created_at TEXT NOT NULL,
      width INTEGER NOT NULL,
      height INTEGER NOT NULL,
      recipe TEXT NOT NULL,
      instruction TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX versions_photo ON versions(photo_id, id);
    CREATE TRIGGER versions_count_insert AFTER INSERT ON versions BEGIN
      UPDATE photos SET version_count = version_count + 1 WHERE id = NEW.photo_id;
    END;
    CREATE TRIGGER versions_count_delete AFTER DELETE ON versions BEGIN
      UPDATE photos SET version_count = version_count - 1,
        preferred_version_id = CASE WHEN preferred_version_id = OLD.id THEN NULL ELSE preferred_version_id END
      WHERE id = OLD.photo_id;
    END;

    CREATE TABLE albums (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE COLLATE NOCASE,
      created_at TEXT NOT NULL
    );
    CREATE TABLE album_photos (
      album_id INTEGER NOT NULL REFERENCES albums(id) ON DELETE CASCADE,
      photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
      added_at TEXT NOT NULL,
      PRIMARY KEY (album_id, photo_id)
    ) WITHOUT ROWID;
    CREATE INDEX album_photos_photo ON album_photos(photo_id);

    CREATE TABLE tags (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE COLLATE NOCASE
    );
    CREATE TABLE photo_tags (
      photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
      tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
      PRIMARY KEY (tag_id, photo_id)
    ) WITHOUT ROWID;
    CREATE INDEX photo_tags_photo ON photo_tags(photo_id);

    -- An import run remembers the files it still has to do, so a killed
    -- import can be resumed; each file's pending row goes away in the same
    -- transaction that records the photo.
    CREATE TABLE import_runs (
      id INTEGER PRIMARY KEY,
      state TEXT NOT NULL CHECK (state IN ('running', 'done', 'cancelled')),
      roots TEXT NOT NULL,
      started_at TEXT NOT NULL,
      finished_at TEXT
    );
    CREATE TABLE import_pending (
      run_id INTEGER NOT NULL REFERENCES import_runs(id) ON DELETE CASCADE,
      path TEXT NOT NULL,
      PRIMARY KEY (run_id, path)
    ) WITHOUT ROWID;
  `);
}
