/**
 * 009: the faces the engine found in each photo, one row per face (box and
 * score in the original's pixels, after EXIF orientation; the 5 alignment
 * landmarks as JSON), so the photo view can show them and people can be
 * grouped later (descriptor and person_id stay empty until then).
 * photos.faces keeps the count that the Faces filter reads; photos that
 * already have a count (set before this table existed) keep it.
 */
import type { Database } from 'better-sqlite3';

export const version = 9;
export const name = 'faces';

export function up(db: Database): void {
  db.exec(`
    CREATE TABLE faces (
      id INTEGER PRIMARY KEY,
      photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
      x REAL NOT NULL,
      y REAL NOT NULL,
      w REAL NOT NULL,
      h REAL NOT NULL,
      score REAL NOT NULL,
      landmarks TEXT,
      descriptor BLOB,
      person_id INTEGER,
      found_at TEXT NOT NULL
    );
    CREATE INDEX faces_photo ON faces(photo_id);
    CREATE INDEX faces_person ON faces(person_id) WHERE person_id IS NOT NULL;
  `);
}
