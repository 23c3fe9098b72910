/**
 * 006: search inside words and in the photo's own metadata. Photos gain the
 * text their files carry (caption, author, copyright, keywords; `text_read`
 * says whether the file was read for it: photos imported before this version
 * are read again in the background by the library worker). A second FTS5
 * table with the trigram tokenizer indexes file and folder names, tags,
 * albums, that metadata, the camera and restoration instructions, so
 * "family" finds 1908FamilyPhoto.jpg. The word-prefix table from 004 stays
 * for one- and two-letter searches, which trigrams cannot answer. Camera gets
 * an index for its filter.
 */
import type { Database } from 'better-sqlite3';

export const version = 7;
export const name = 'substring-search';

/** The metadata column's text for the photo `p`. */
const METADATA = `trim(coalesce(p.caption, '') || ' ' || coalesce(p.artist, '') || ' ' || coalesce(p.copyright, '') || ' ' || coalesce(p.keywords, ''))`;

/** Rewrites the search row of the photos selected by `where` (SQL over `p`). */
function refresh(where: string): string {
  return `
    DELETE FROM photos_search WHERE rowid IN (SELECT p.id FROM photos p WHERE ${where});
    INSERT INTO photos_search(rowid, name, folder, tags, albums, metadata, camera, instructions)
      SELECT p.id, p.file_name, p.folder,
        (SELECT group_concat(t.name, ' ') FROM photo_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.photo_id = p.id),
        (SELECT group_concat(a.name, ' ') FROM album_photos ap JOIN albums a ON a.id = ap.album_id WHERE ap.photo_id = p.id),
        ${METADATA}, p.camera,
        (SELECT group_concat(v.instruction, ' ') FROM versions v WHERE v.photo_id = p.id)
      FROM photos p WHERE ${where};`;
}

export function up(db: Database): void {
  db.exec(`
    ALTER TABLE photos ADD COLUMN caption TEXT;
    ALTER TABLE photos ADD COLUMN artist TEXT;
    ALTER TABLE photos ADD COLUMN copyright TEXT;
    ALTER TABLE photos ADD COLUMN keywords TEXT;
    ALTER TABLE photos ADD COLUMN text_read INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX photos_camera ON photos(camera COLLATE NOCASE, id) WHERE camera IS NOT NULL;
    CREATE INDEX photos_text_unread ON photos(id) WHERE text_read = 0;

    CREATE VIRTUAL TABLE photos_search USING fts5(
      name, folder, tags, albums, metadata, camera, instructions,
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
  `);
  // Photos already in the catalog (their file metadata follows when the worker has read it).
  db.exec(refresh('1 = 1'));
}
