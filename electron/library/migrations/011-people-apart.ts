/**
 * 011: pairs of people the user said are not the same person ("Not the same
 * person" on a suggestion, or a face moved out of one into the other), so a
 * merge of them is never suggested again. Each pair is stored once, lower id
 * first; it goes when either person goes.
 */
import type { Database } from 'better-sqlite3';

export const version = 11;
export const name = 'people-apart';

export function up(db: Database): void {
  db.exec(`
    CREATE TABLE people_apart (
      a INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      b INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      created_at TEXT NOT NULL,
      PRIMARY KEY (a, b),
      CHECK (a < b)
    ) WITHOUT ROWID;
    CREATE INDEX people_apart_b ON people_apart(b);
  `);
}
