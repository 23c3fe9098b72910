/**
 * 006: a photo whose data is damaged (it ends early, or is corrupt) is
 * imported with what could be read and says so: `damaged` holds the reason
 * ('its image data ends early'), NULL for a whole file. The engine refuses to
 * restore such a file as if it were whole.
 */
import type { Database } from 'better-sqlite3';

export const version = 6;
export const name = 'damaged';

export function up(db: Database): void {
  db.exec(`
    ALTER TABLE photos ADD COLUMN damaged TEXT;
    CREATE INDEX photos_damaged ON photos(id) WHERE damaged IS NOT NULL;
  `);
}
