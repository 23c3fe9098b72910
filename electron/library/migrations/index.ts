/** The catalog's migrations, in order. Add a file NNN-name.ts and list it here; never edit a shipped one. */
import type { Database } from 'better-sqlite3';
import * as m001 from './001-initial.js';
import * as m002 from './002-search.js';
import * as m003 from './003-duplicates.js';
import * as m004 from './004-grid-indexes.js';
import * as m005 from './005-import-owner.js';
import * as m006 from './006-damaged.js';
import * as m007 from './007-substring-search.js';
import * as m008 from './008-lookalike-distance.js';
import * as m009 from './009-faces.js';
import * as m010 from './010-people.js';
import * as m011 from './011-people-apart.js';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

export const migrations: readonly Migration[] = [m001, m002, m003, m004, m005, m006, m007, m008, m009, m010, m011];

export const LATEST_VERSION = migrations[migrations.length - 1]!.version;
