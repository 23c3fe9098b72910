/**
 * 002: full-text search. One FTS5 row per photo (rowid = photo id) holding its
 * file and folder names, tags, album names and the instructions of its
 * restorations. Triggers keep it current whichever code path changes the
 * catalog, so search can never drift from the data.
 */
import type { Database } from 'better-sqlite3';

export const version = 2;
export const name = 'search';

/** Rewrites the FTS row of the photos selected by `where` (SQL over `p`). */
function refresh(where: string): string {
  return `
    DELETE FROM photos_fts WHERE rowid IN (SELECT p.id FROM photos p WHERE ${where});
    INSERT INTO photos_fts(rowid, name, folder, tags, albums, instructions)
      SELECT p.id, p.file_name, p.folder,
        (SELECT group_concat(t.name, ' ') FROM photo_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.photo_id = p.id),
        (SELECT group_concat(a.name, ' ') FROM album_photos ap JOIN albums a ON a.id = ap.album_id WHERE ap.photo_id = p.id),
        (SELECT group_concat(v.instruction, ' ') FROM versions v WHERE v.photo_id = p.id)
      FROM photos p WHERE ${where};`;
}

export function up(db: Database): void {
  db.exec(`
    CREATE VIRTUAL TABLE photos_fts USING fts5(
      name, folder, tags, albums, instructions,
      tokenize = "unicode61 remove_diacritics 2 tokenchars '_'"
    );
    CREATE TRIGGER fts_photo_insert AFTER INSERT ON photos BEGIN ${refresh('p.id = NEW.id')} END;
    CREATE TRIGGER fts_photo_update AFTER UPDATE OF file_name, folder ON photos BEGIN ${refresh('p.id = NEW.id')} END;
    CREATE TRIGGER fts_photo_delete AFTER DELETE ON photos BEGIN DELETE FROM photos_fts WHERE rowid = OLD.id; END;
    CREATE TRIGGER fts_tag_add AFTER INSERT ON photo_tags BEGIN ${refresh('p.id = NEW.photo_id')} END;
    CREATE TRIGGER fts_tag_remove AFTER DELETE ON photo_tags BEGIN ${refresh('p.id = OLD.photo_id')} END;
    CREATE TRIGGER fts_tag_rename AFTER UPDATE OF name ON tags BEGIN
      ${refresh('p.id IN (SELECT photo_id FROM photo_tags WHERE tag_id = NEW.id)')}
    END;
    CREATE TRIGGER fts_album_add AFTER INSERT ON album_photos BEGIN ${refresh('p.id = NEW.photo_id')} END;
    CREATE TRIGGER fts_album_remove AFTER DELETE ON album_photos BEGIN ${refresh('p.id = OLD.photo_id')} END;
    CREATE TRIGGER fts_album_rename AFTER UPDATE OF name ON albums BEGIN
      ${refresh('p.id IN (SELECT photo_id FROM album_photos WHERE album_id = NEW.id)')}
    END;
    CREATE TRIGGER fts_version_add AFTER INSERT ON versions BEGIN ${refresh('p.id = NEW.photo_id')} END;
    CREATE TRIGGER fts_version_remove AFTER DELETE ON versions BEGIN ${refresh('p.id = OLD.photo_id')} END;
    CREATE TRIGGER fts_version_update AFTER UPDATE OF instruction ON versions BEGIN ${refresh('p.id = NEW.photo_id')} END;
  `);
  // Photos already in the catalog.
  db.exec(refresh('1 = 1'));
}
