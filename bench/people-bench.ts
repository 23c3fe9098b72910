/**
 * The people benchmark: `npm run bench:people [-- --people 1-12] [--thresholds 0.4,0.45,0.5,0.55,0.6]`
 * How well the library groups faces into people: faces-flr portraits of the
 * given people (001-012 are held out from every model and from choosing the
 * threshold; 013 on may be used to choose it), one neutral and one smiling
 * photo each, imported into a fresh library, their faces found with
 * descriptors exactly as the find-people job does (engine/faces/photo-faces.ts,
 * the multi-scale search then face-api's recognition net), then clustered
 * (library/people.ts) at each threshold. Reports purity (share of faces whose
 * group's majority is their own person), groups made, people whose two photos
 * ended up together, and the descriptor distances between and within people.
 * Prints a table; the last line is one JSON object. A benchmark, never a test.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sharedDataDir } from '../devkit/shared-data.js';
import { PhotoFaces } from '../electron/engine/faces/photo-faces.js';
import { faceBoxes } from '../electron/engine/analyze.js';
import { createLibrary } from '../electron/library/library.js';
import { importPaths } from '../electron/library/import-service.js';
import { storeFaces } from '../electron/library/faces.js';
import { clusterFaces, SAME_PERSON } from '../electron/library/people.js';
import type { HandlerContext } from '../electron/node/worker-runtime.js';

const argv = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1]! : def;
};
const [FIRST, LAST] = arg('people', '1-12').split('-').map(Number) as [number, number];
const THRESHOLDS = arg('thresholds', '0.4,0.45,0.5,0.55,0.6').split(',').map(Number);
const FLR = path.join(sharedDataDir(), 'faces-flr');

const ctx: HandlerContext = {
  jobId: 'bench',
  signal: new AbortController().signal,
  throwIfCancelled: () => undefined,
  progress: () => undefined,
  emit: () => undefined,
};

function photosOf(person: number): string[] {
  const id = String(person).padStart(3, '0');
  return ['neutral_front', 'smiling_front'].flatMap((set) => {
    const dir = path.join(FLR, set);
    return fs.readdirSync(dir).filter((f) => f.startsWith(`${id}_`) && f.endsWith('.jpg')).map((f) => path.join(dir, f));
  });
}

async function main(): Promise<void> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-people-bench-'));
  const lib = createLibrary(home);
  const faces = new PhotoFaces(path.join(home, 'cache', 'faces'));
  try {
    const files = new Map<string, number>();
    for (let p = FIRST; p <= LAST; p++) for (const f of photosOf(p)) files.set(f, p);
    await importPaths(lib, [...files.keys()], ctx);
    const photos = lib.db.prepare('SELECT id, path FROM photos ORDER BY id').all() as Array<{ id: number; path: string }>;
    const t0 = performance.now();
    let noFace = 0;
    for (const ph of photos) {
      const found = await faces.find(ph.path, { descriptors: true });
      // A portrait: its largest face is the person.
      const boxes = faceBoxes(found).sort((a, b) => b.w * b.h - a.w * a.h).slice(0, 1);
      if (!boxes.length) noFace++;
      storeFaces(lib, ph.id, boxes);
    }
    const secondsPerPhoto = (performance.now() - t0) / 1000 / photos.length;
    const truth = new Map(photos.map((ph) => [ph.id, files.get(ph.path)!]));
    const rows = THRESHOLDS.map((threshold) => {
      lib.db.prepare('UPDATE faces SET person_id = NULL').run();
      lib.db.prepare('DELETE FROM people').run();
      clusterFaces(lib, { threshold });
      const assigned = lib.db.prepare('SELECT photo_id, person_id FROM faces').all() as Array<{ photo_id: number; person_id: number }>;
      const groups = new Map<number, number[]>();
      for (const a of assigned) groups.set(a.person_id, [...(groups.get(a.person_id) ?? []), truth.get(a.photo_id)!]);
      let majority = 0;
      for (const members of groups.values()) {
        const counts = new Map<number, number>();
        for (const m of members) counts.set(m, (counts.get(m) ?? 0) + 1);
        majority += Math.max(...counts.values());
      }
      const together = new Set<number>();
      for (const members of groups.values()) for (const m of members) if (members.filter((x) => x === m).length >= 2) together.add(m);
      return { threshold, faces: assigned.length, purity: Math.round((majority / Math.max(1, assigned.length)) * 1000) / 1000, groups: groups.size, together: together.size };
    });
    const perPerson = new Map<number, number>();
    for (const p of truth.values()) perPerson.set(p, (perPerson.get(p) ?? 0) + 1);
    const people = perPerson.size;
    const twice = [...perPerson.values()].filter((n) => n >= 2).length;
    console.log(`people ${FIRST}-${LAST}: ${photos.length} photos of ${people} people (${twice} with two), ${noFace} without a face found, ${secondsPerPhoto.toFixed(2)} s a photo to find and describe faces`);
    console.log(`threshold  purity  groups (ideal ${people})  people whose two photos are together`);
    for (const r of rows) console.log(`${r.threshold.toFixed(2).padStart(9)}  ${r.purity.toFixed(3)}  ${String(r.groups).padStart(6)}                ${r.together} of ${twice}${r.threshold === SAME_PERSON ? '   (the default)' : ''}`);
    console.log(JSON.stringify({ bench: 'people', people: `${FIRST}-${LAST}`, photos: photos.length, persons: people, withTwo: twice, noFace, secondsPerPhoto: Math.round(secondsPerPhoto * 100) / 100, defaultThreshold: SAME_PERSON, rows }));
  } finally {
    lib.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
}

await main();
