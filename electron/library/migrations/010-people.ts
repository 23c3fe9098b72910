/**
 * 010: people. Faces with identity descriptors are grouped into people
 * (people.ts): a person has an optional name, a cover face, its face count
 * (kept by triggers, so paging people by size reads one index) and the mean
 * of its faces' descriptors (the centroid new faces are compared with).
 * faces.pinned marks a face the user placed (moved out, or into a person):
 * clustering never moves it. The trigram search table is rebuilt with a
 * `people` column holding the names of the people in each photo, so
 * searching "Grandma" finds her photos; triggers keep it current when a face
 * changes person or a person is renamed.
 */
import type { Database } from 'better-sqlite3';

export const version = 10;
export const name = 'people';

const METADATA = `trim(coalesce(p.caption, '') || ' ' || coalesce(p.artist, '') || ' ' || coalesce(p.copyright, '') || ' ' || coalesce(p.keywords, ''))`;

/** The named people in the photo `p`, space separated. */
const PEOPLE = `(SELECT group_concat(n, ' ') FROM (SELECT DISTINCT pe.name AS n FROM faces f JOIN people pe ON pe.id = f.person_id WHERE f.photo_id = p.id AND pe.name IS NOT NULL))`;

/** Rewrites the search row of the photos selected by `where` (SQL over `p`). */
function refresh(where: string): string {
  return `
    DELETE FROM photos_search WHERE rowid IN (SELECT p.id FROM photos p WHERE ${where});
    INSERT INTO photos_search(rowid, name, folder, tags, albums, metadata, camera, instructions, people)
      SELECT p.id, p.file_name, p.folder,
        (SELECT group_concat(t.name, ' ') FROM photo_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.photo_id = p.id),
        (SELECT group_concat(a.name, ' ') FROM album_photos ap JOIN albums a ON a.id = ap.album_id WHERE ap.photo_id = p.id),
        ${METADATA}, p.camera,
        (SELECT group_concat(v.instruction, ' ') FROM versions v WHERE v.photo_id = p.id),
        ${PEOPLE}
      FROM photos p WHERE ${where};`;
}

const named = (person: string) => `(SELECT name FROM people WHERE id = ${person}) IS NOT NULL`;

export function up(db: Database): void {
  db.exec(`
    CREATE TABLE people (
      id INTEGER PRIMARY KEY,
      name TEXT,
      created_at TEXT NOT NULL,
      cover_face_id INTEGER REFERENCES faces(id) ON DELETE SET NULL,
      face_count INTEGER NOT NULL DEFAULT 0,
      centroid BLOB
    );
    CREATE INDEX people_by_size ON people(face_count DESC, id);
    CREATE INDEX people_by_name ON people(name COLLATE NOCASE) WHERE name IS NOT NULL;
    ALTER TABLE faces ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX faces_unassigned ON faces(id) WHERE person_id IS NULL AND descriptor IS NOT NULL;
    CREATE INDEX faces_person_best ON faces(person_id, pinned DESC, score DESC) WHERE person_id IS NOT NULL;
    -- What the find-people job has left to do: photos never looked at, faces stored without a descriptor.
    CREATE INDEX photos_unlooked ON photos(id) WHERE faces IS NULL;
    CREATE INDEX faces_undescribed ON faces(photo_id) WHERE descriptor IS NULL;

    CREATE TRIGGER people_face_add AFTER INSERT ON faces WHEN NEW.person_id IS NOT NULL BEGIN
      UPDATE people SET face_count = face_count + 1 WHERE id = NEW.person_id;
    END;
    CREATE TRIGGER people_face_remove AFTER DELETE ON faces WHEN OLD.person_id IS NOT NULL BEGIN
      UPDATE people SET face_count = face_count - 1 WHERE id = OLD.person_id;
    END;
    CREATE TRIGGER people_face_move AFTER UPDATE OF person_id ON faces WHEN OLD.person_id IS NOT NEW.person_id BEGIN
      UPDATE people SET face_count = face_count - 1 WHERE id = OLD.person_id;
      UPDATE people SET face_count = face_count + 1 WHERE id = NEW.person_id;
    END;

    DROP TRIGGER search_photo_insert;
    DROP TRIGGER search_photo_update;
    DROP TRIGGER search_photo_delete;
    DROP TRIGGER search_tag_add;
    DROP TRIGGER search_tag_remove;
    DROP TRIGGER search_tag_rename;
    DROP TRIGGER search_album_add;
    DROP TRIGGER search_album_remove;
    DROP TRIGGER search_album_rename;
    DROP TRIGGER search_version_add;
    DROP TRIGGER search_version_remove;
    DROP TRIGGER search_version_update;
    DROP TABLE photos_search;

    CREATE VIRTUAL TABLE photos_search USING fts5(
      name, folder, tags, albums, metadata, camera, instructions, people,
      tokenize = "trigram remove_diacritics 1"
    );

    CREATE TRIGGER search_photo_insert AFTER INSERT ON photos BEGIN ${refresh('p.id = NEW.id')} END;
    CREATE TRIGGER search_photo_update AFTER UPDATE OF file_name, folder, caption, artist, copyright, keywords, camera ON photos BEGIN ${refresh('p.id = NEW.id')} END;
    CREATE TRIGGER search_photo_delete AFTER DELETE ON photos BEGIN DELETE FROM photos_search WHERE rowid = OLD.id; END;
    CREATE TRIGGER search_tag_add AFTER INSERT ON photo_tags BEGIN ${refresh('p.id = NEW.photo_id')} END;
    CREATE TRIGGER search_tag_remove AFTER DELETE ON photo_tags BEGIN ${refresh('p.id = OLD.photo_id')} END;
    CREATE TRIGGER search_tag_rename AFTER UPDATE OF name ON tags BEGIN
      ${refresh('p.id IN (SELECT photo_id FROM photo_tags WHERE tag_id = NEW.id)')}
    END;
    CREATE TRIGGER search_album_add AFTER INSERT ON album_photos BEGIN ${refresh('p.id = NEW.photo_id')} END;
    CREATE TRIGGER search_album_remove AFTER DELETE ON album_photos BEGIN ${refresh('p.id = OLD.photo_id')} END;
    CREATE TRIGGER search_album_rename AFTER UPDATE OF name ON albums BEGIN
      ${refresh('p.id IN (SELECT photo_id FROM album_photos WHERE album_id = NEW.id)')}
    END;
    CREATE TRIGGER search_version_add AFTER INSERT ON versions BEGIN ${refresh('p.id = NEW.photo_id')} END;
    CREATE TRIGGER search_version_remove AFTER DELETE ON versions BEGIN ${refresh('p.id = OLD.photo_id')} END;
    CREATE TRIGGER search_version_update AFTER UPDATE OF instruction ON versions BEGIN ${refresh('p.id = NEW.photo_id')} END;
    -- Only names are searched: faces joining or leaving unnamed people change nothing there.
    CREATE TRIGGER search_face_add AFTER INSERT ON faces WHEN NEW.person_id IS NOT NULL AND ${named('NEW.person_id')} BEGIN ${refresh('p.id = NEW.photo_id')} END;
    CREATE TRIGGER search_face_remove AFTER DELETE ON faces WHEN OLD.person_id IS NOT NULL AND ${named('OLD.person_id')} BEGIN ${refresh('p.id = OLD.photo_id')} END;
    CREATE TRIGGER search_face_move AFTER UPDATE OF person_id ON faces
      WHEN OLD.person_id IS NOT NEW.person_id AND (${named('OLD.person_id')} OR ${named('NEW.person_id')}) BEGIN ${refresh('p.id = NEW.photo_id')} END;
    CREATE TRIGGER search_person_rename AFTER UPDATE OF name ON people WHEN OLD.name IS NOT NEW.name BEGIN
      ${refresh('p.id IN (SELECT photo_id FROM faces WHERE person_id = NEW.id)')}
    END;
  `);
  // Photos already in the catalog.
  db.exec(refresh('1 = 1'));
}
