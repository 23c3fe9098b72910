/**
 * People: faces grouped by identity descriptor (migration 010).
 *
 * Clustering is incremental and never undoes the user: only faces with no
 * person are placed, each with the person whose centroid (the mean of its
 * faces' descriptors) is nearest, when nearer than SAME_PERSON, else as a
 * new person. Names, merges and faces the user moved (pinned) stay as they
 * are whatever later runs find. Everything the people view pages through is
 * indexed: people by face count (kept by triggers), faces by person.
 */
import { RestoraError } from '../shared/errors.js';
import { DESCRIPTOR_LENGTH } from '../shared/contract/engine.js';
import type { PersonInfo } from '../shared/contract/people.js';
import type { Library } from './library.js';
import { blobDescriptor } from './faces.js';

/**
 * A face joins a person when its descriptor is this close (euclidean) to the
 * person's centroid. face-api's own rule is 0.6 between two faces; a centroid
 * sits nearer its faces than they sit to each other, and the more people a
 * library holds the likelier two of them fall within a wide bar: on faces-flr's
 * training people (013-102, 52 people) 0.45 kept every person together and
 * apart, 0.5 merged two pairs (bench:people; notes/people.md). Two groups of one
 * person are one merge away; one group of two people needs a face-by-face split.
 */
export const SAME_PERSON = 0.45;

/**
 * Two people whose centroids are nearer than this are offered as "the same
 * person?": face-api's own bar between two faces. Beyond SAME_PERSON the
 * grouping kept them apart; the user decides.
 */
export const MAYBE_SAME_PERSON = 0.6;

/** Suggestions compare the people with most faces first, this many at most (all pairs among them). */
export const SUGGEST_AMONG = 600;

interface PersonRow {
  id: number;
  name: string | null;
  face_count: number;
  cover_face_id: number | null;
  created_at: string;
}

const PERSON_COLUMNS = `pe.id, pe.name, pe.face_count, pe.created_at,
  COALESCE(pe.cover_face_id, (SELECT f.id FROM faces f WHERE f.person_id = pe.id ORDER BY f.pinned DESC, f.score DESC LIMIT 1)) AS cover_face_id`;

function toInfo(r: PersonRow): PersonInfo {
  return { personId: r.id, name: r.name, faceCount: r.face_count, coverFaceId: r.cover_face_id, createdAt: r.created_at };
}

export function distance(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
}

function blob(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

export function getPerson(lib: Library, personId: number): PersonInfo {
  const row = lib.db.prepare(`SELECT ${PERSON_COLUMNS} FROM people pe WHERE pe.id = ?`).get(personId) as PersonRow | undefined;
  if (!row) throw new RestoraError('NotFound', `No person ${personId}`);
  return toInfo(row);
}

/** A page of people, most faces first. */
export function listPeople(lib: Library, p: { offset: number; limit: number; query: string; named?: boolean | undefined }): { total: number; people: PersonInfo[] } {
  const where = ['pe.face_count > 0'];
  const args: unknown[] = [];
  if (p.named !== undefined) where.push(p.named ? 'pe.name IS NOT NULL' : 'pe.name IS NULL');
  if (p.query) {
    where.push(`pe.name LIKE ? ESCAPE '\\'`);
    args.push(`%${p.query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  const sql = `WHERE ${where.join(' AND ')}`;
  const total = (lib.db.prepare(`SELECT count(*) AS n FROM people pe ${sql}`).get(...args) as { n: number }).n;
  const rows = lib.db.prepare(`SELECT ${PERSON_COLUMNS} FROM people pe ${sql} ORDER BY pe.face_count DESC, pe.id LIMIT ? OFFSET ?`).all(...args, p.limit, p.offset) as PersonRow[];
  return { total, people: rows.map(toInfo) };
}

/** A person and its best faces. */
export function personWithFaces(lib: Library, personId: number, limit: number) {
  const person = getPerson(lib, personId);
  const faces = lib.db
    .prepare('SELECT id, photo_id, score, pinned FROM faces WHERE person_id = ? ORDER BY pinned DESC, score DESC LIMIT ?')
    .all(personId, limit) as Array<{ id: number; photo_id: number; score: number; pinned: number }>;
  return { ...person, faces: faces.map((f) => ({ faceId: f.id, photoId: f.photo_id, score: f.score, pinned: f.pinned === 1 })) };
}

export function renamePerson(lib: Library, personId: number, name: string | null): PersonInfo {
  getPerson(lib, personId);
  lib.db.prepare('UPDATE people SET name = ? WHERE id = ?').run(name, personId);
  return getPerson(lib, personId);
}

/** Recomputes a person's centroid from its faces; removes the person when it has none left. */
function refreshPerson(lib: Library, personId: number): void {
  const rows = lib.db.prepare('SELECT descriptor FROM faces WHERE person_id = ? AND descriptor IS NOT NULL').all(personId) as Array<{ descriptor: Buffer }>;
  const left = (lib.db.prepare('SELECT face_count FROM people WHERE id = ?').get(personId) as { face_count: number } | undefined)?.face_count ?? 0;
  if (left <= 0) {
    lib.db.prepare('DELETE FROM people WHERE id = ?').run(personId);
    return;
  }
  const sum = new Float32Array(DESCRIPTOR_LENGTH);
  let n = 0;
  for (const r of rows) {
    const d = blobDescriptor(r.descriptor);
    if (!d) continue;
    for (let i = 0; i < sum.length; i++) sum[i]! += d[i]!;
    n++;
  }
  for (let i = 0; i < sum.length; i++) sum[i]! /= Math.max(1, n);
  lib.db.prepare('UPDATE people SET centroid = ? WHERE id = ?').run(n ? blob(sum) : null, personId);
}

export function mergePeople(lib: Library, into: number, from: number): PersonInfo {
  lib.db.transaction(() => {
    const a = getPerson(lib, into);
    const b = getPerson(lib, from);
    lib.db.prepare('UPDATE faces SET person_id = ? WHERE person_id = ?').run(into, from);
    if (a.name === null && b.name !== null) lib.db.prepare('UPDATE people SET name = ? WHERE id = ?').run(b.name, into);
    // Whoever `from` was said not to be, `into` is not either.
    const others = lib.db.prepare('SELECT CASE WHEN a = ? THEN b ELSE a END AS other FROM people_apart WHERE a = ? OR b = ?').all(from, from, from) as Array<{ other: number }>;
    for (const { other } of others) if (other !== into) keepApart(lib, into, other);
    lib.db.prepare('DELETE FROM people WHERE id = ?').run(from);
    refreshPerson(lib, into);
  })();
  return getPerson(lib, into);
}

function newPerson(lib: Library, coverFaceId: number | null, centroid: Float32Array | null, now: string): number {
  return Number(lib.db.prepare('INSERT INTO people(name, created_at, cover_face_id, centroid) VALUES (NULL, ?, ?, ?)').run(now, coverFaceId, centroid ? blob(centroid) : null).lastInsertRowid);
}

/** Moves a face to another person, or to a new one; the face is pinned there. */
export function moveFace(lib: Library, faceId: number, personId: number | undefined, now = new Date()): { personId: number } {
  return lib.db.transaction(() => {
    const face = lib.db.prepare('SELECT person_id, descriptor FROM faces WHERE id = ?').get(faceId) as { person_id: number | null; descriptor: Buffer | null } | undefined;
    if (!face) throw new RestoraError('NotFound', `No face ${faceId}`);
    if (personId !== undefined) getPerson(lib, personId);
    const target = personId ?? newPerson(lib, faceId, blobDescriptor(face.descriptor), now.toISOString());
    lib.db.prepare('UPDATE faces SET person_id = ?, pinned = 1 WHERE id = ?').run(target, faceId);
    if (face.person_id !== null && face.person_id !== target) {
      // Moved out of one person into another: the user told them apart; a merge of the two is not suggested.
      keepApart(lib, face.person_id, target, now);
      lib.db.prepare('UPDATE people SET cover_face_id = NULL WHERE id = ? AND cover_face_id = ?').run(face.person_id, faceId);
      refreshPerson(lib, face.person_id);
    }
    refreshPerson(lib, target);
    return { personId: target };
  })();
}

/** Records that two people are not the same person (a suggestion declined, or a face moved between them). */
export function keepApart(lib: Library, a: number, b: number, now = new Date()): void {
  if (a === b) throw new RestoraError('BadRequest', 'A person cannot be kept apart from itself');
  lib.db.prepare('INSERT OR IGNORE INTO people_apart(a, b, created_at) SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM people WHERE id = ?) AND EXISTS (SELECT 1 FROM people WHERE id = ?)').run(Math.min(a, b), Math.max(a, b), now.toISOString(), a, b);
}

/**
 * Pairs of people who may be one person: centroids nearer than MAYBE_SAME_PERSON, nearest first, among the
 * SUGGEST_AMONG people with most faces, leaving out pairs the user kept apart. The grouping is greedy and
 * order-dependent, so one person photographed over decades can end up in two groups: this is where the user
 * finds them, one merge away.
 */
export function suggestMerges(lib: Library, limit: number): Array<{ a: PersonInfo; b: PersonInfo; distance: number }> {
  const rows = lib.db
    .prepare(`SELECT id, centroid FROM people WHERE face_count > 0 AND centroid IS NOT NULL ORDER BY face_count DESC, id LIMIT ${SUGGEST_AMONG}`)
    .all() as Array<{ id: number; centroid: Buffer }>;
  const people = rows.flatMap((r) => {
    const mean = blobDescriptor(r.centroid);
    return mean ? [{ id: r.id, mean }] : [];
  });
  const apart = new Set((lib.db.prepare('SELECT a, b FROM people_apart').all() as Array<{ a: number; b: number }>).map((r) => `${r.a}:${r.b}`));
  const pairs: Array<{ a: number; b: number; distance: number }> = [];
  for (let i = 0; i < people.length; i++) {
    for (let j = i + 1; j < people.length; j++) {
      const [p, q] = [people[i]!, people[j]!];
      const d = distance(p.mean, q.mean);
      if (d >= MAYBE_SAME_PERSON || apart.has(`${Math.min(p.id, q.id)}:${Math.max(p.id, q.id)}`)) continue;
      pairs.push({ a: p.id, b: q.id, distance: d });
    }
  }
  pairs.sort((x, y) => x.distance - y.distance || x.a - y.a || x.b - y.b);
  return pairs.slice(0, limit).map((x) => ({ a: getPerson(lib, x.a), b: getPerson(lib, x.b), distance: Math.round(x.distance * 1000) / 1000 }));
}

interface Centroid {
  id: number;
  mean: Float32Array;
  n: number;
  changed: boolean;
}

/** Places every face that has a descriptor and no person yet (see the file's docstring). */
export function clusterFaces(lib: Library, opts: { threshold?: number; now?: Date } = {}): { assigned: number; created: number; people: number } {
  const threshold = opts.threshold ?? SAME_PERSON;
  const now = (opts.now ?? new Date()).toISOString();
  const centroids: Centroid[] = [];
  for (const r of lib.db.prepare('SELECT id, centroid, face_count FROM people WHERE centroid IS NOT NULL AND face_count > 0').iterate() as IterableIterator<{ id: number; centroid: Buffer; face_count: number }>) {
    const mean = blobDescriptor(r.centroid);
    if (mean) centroids.push({ id: r.id, mean, n: r.face_count, changed: false });
  }
  const next = lib.db.prepare('SELECT id, descriptor FROM faces WHERE person_id IS NULL AND descriptor IS NOT NULL AND id > ? ORDER BY id LIMIT 500');
  const place = lib.db.prepare('UPDATE faces SET person_id = ? WHERE id = ? AND person_id IS NULL');
  const saveCentroid = lib.db.prepare('UPDATE people SET centroid = ? WHERE id = ?');
  let assigned = 0, created = 0, after = 0;
  for (;;) {
    const batch = next.all(after) as Array<{ id: number; descriptor: Buffer }>;
    if (!batch.length) break;
    after = batch.at(-1)!.id;
    lib.db.transaction(() => {
      for (const f of batch) {
        const d = blobDescriptor(f.descriptor);
        if (!d) continue;
        let best: Centroid | null = null, bestDistance = Infinity;
        for (const c of centroids) {
          const dist = distance(c.mean, d);
          if (dist < bestDistance) [best, bestDistance] = [c, dist];
        }
        if (best && bestDistance < threshold) {
          place.run(best.id, f.id);
          for (let i = 0; i < d.length; i++) best.mean[i] = (best.mean[i]! * best.n + d[i]!) / (best.n + 1);
          best.n++;
          best.changed = true;
        } else {
          const id = newPerson(lib, f.id, d, now);
          place.run(id, f.id);
          centroids.push({ id, mean: Float32Array.from(d), n: 1, changed: false });
          created++;
        }
        assigned++;
      }
      for (const c of centroids) {
        if (!c.changed) continue;
        saveCentroid.run(blob(c.mean), c.id);
        c.changed = false;
      }
    })();
  }
  // People whose faces all went (their photos were removed).
  lib.db.prepare('DELETE FROM people WHERE face_count <= 0').run();
  const people = (lib.db.prepare('SELECT count(*) AS n FROM people').get() as { n: number }).n;
  return { assigned, created, people };
}

/** Photos whose faces still need finding with descriptors, by id after `afterId`, and how many there are in all. */
export function pendingPhotos(lib: Library, p: { photoIds?: number[] | undefined; afterId: number; limit: number }): { remaining: number; photoIds: number[] } {
  // Each branch reads its own index: never looked at, faces without descriptors, a count without faces (set before 009).
  const pending = `
    SELECT p.id FROM photos p WHERE p.faces IS NULL AND p.id > $after
    UNION SELECT f.photo_id FROM faces f WHERE f.descriptor IS NULL AND f.photo_id > $after
    UNION SELECT p.id FROM photos p WHERE p.faces > 0 AND p.id > $after AND NOT EXISTS (SELECT 1 FROM faces f WHERE f.photo_id = p.id)`;
  const only = p.photoIds ? 'AND p.id IN (SELECT value FROM json_each($only))' : '';
  const args = { after: p.afterId, ...(p.photoIds ? { only: JSON.stringify(p.photoIds) } : {}) };
  const from = `FROM photos p WHERE p.id IN (${pending}) AND p.missing = 0 ${only}`;
  const remaining = (lib.db.prepare(`SELECT count(*) AS n ${from}`).get(args) as { n: number }).n;
  const rows = lib.db.prepare(`SELECT p.id ${from} ORDER BY p.id LIMIT $limit`).all({ ...args, limit: p.limit }) as Array<{ id: number }>;
  return { remaining, photoIds: rows.map((r) => r.id) };
}
