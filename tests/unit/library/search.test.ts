import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { makePhotoFolder } from '../../../devkit/make-images.js';
import { contractHandlers, tempDir, testContext, type ContractHandlers } from './helpers.js';
import { createLibrary, type Library } from '../../../electron/library/library.js';
import { ListPhotosParams } from '../../../electron/shared/contract/library.js';
import type { Recipe } from '../../../electron/shared/recipe.js';

let lib: Library;
let h: ContractHandlers;
let root: string;
let home: string;
const ids: Record<string, number> = {};
const ctx = testContext();

/** Calls listPhotos through the contract's own parser, as the worker does. */
async function list(params: Record<string, unknown>) {
  return (await h['library.listPhotos'](ListPhotosParams.parse(params), ctx)) as { total: number; items: Array<{ id: number; fileName: string; rating: number; duplicateGroup: number | null }> };
}
const names = (r: { items: Array<{ fileName: string }> }) => r.items.map((i) => i.fileName).sort();

function recipe(instruction: string): Recipe {
  return { engineVersion: '0.1.0', models: [], instruction, semanticTokens: [], mode: 'fast', fidelity: 0.7, seed: 1, settings: {}, executionProvider: 'cpu', adapter: null, timings: {}, totalSeconds: 1 };
}

before(async () => {
  root = tempDir('restora-search-');
  home = tempDir('restora-home-');
  await makePhotoFolder(path.join(root, 'Family', '1950s'), 3, { seed: 1, prefix: 'grandma' });
  await makePhotoFolder(path.join(root, 'Holiday'), 4, { seed: 50, prefix: 'beach' });
  // A resized, re-encoded copy of a holiday photo: different bytes, same picture.
  const src = path.join(root, 'Holiday', 'beach_0002.jpg');
  await sharp(src).resize(300).jpeg({ quality: 70 }).toFile(path.join(root, 'Holiday', 'small copy.jpg'));
  lib = createLibrary(home);
  h = contractHandlers(lib);
  const res = await h['library.import']({ paths: [root] }, ctx);
  assert.equal(res.imported, 8);
  for (const r of lib.db.prepare('SELECT id, file_name FROM photos').all() as Array<{ id: number; file_name: string }>) ids[r.file_name] = r.id;
});

after(() => {
  lib.close();
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(home, { recursive: true, force: true });
});

test('text search matches file names, folder names, tags, album names and restoration instructions', async () => {
  assert.deepEqual(names(await list({ query: 'grandma' })), ['grandma_0001.jpg', 'grandma_0002.jpg', 'grandma_0003.jpg']);
  assert.equal((await list({ query: 'family' })).total, 3);
  assert.equal((await list({ query: '1950' })).total, 3, 'prefix match on folder');
  await h['library.tagPhotos']({ photoIds: [ids['beach_0001.jpg']!], add: ['Sunset'], remove: [] }, ctx);
  assert.deepEqual(names(await list({ query: 'sunset' })), ['beach_0001.jpg']);
  await h['library.createAlbum']({ name: 'Brittany 1987', photoIds: [ids['beach_0003.jpg']!] }, ctx);
  assert.deepEqual(names(await list({ query: 'brittany' })), ['beach_0003.jpg']);
  const vfile = path.join(lib.paths.versions, 'v1.png');
  await sharp({ create: { width: 20, height: 20, channels: 3, background: '#888' } }).png().toFile(vfile);
  await h['library.addVersion']({ photoId: ids['grandma_0002.jpg']!, file: vfile, recipe: recipe('remove the crease and colourise the dress'), preferred: false }, ctx);
  assert.deepEqual(names(await list({ query: 'crease colour' })), ['grandma_0002.jpg']);
  assert.equal((await list({ query: 'crease beach' })).total, 0, 'all words must match');
  assert.equal((await list({ query: '"* ( ) ^' })).total, 8, 'punctuation alone does not filter');
  assert.equal((await list({ query: 'NEAR("grandma" *' })).total, 0, 'FTS syntax in user text is taken literally, not parsed');
});

test('filters: rating, favourite, restored, folder, album, tag, faces, missing, dates', async () => {
  await h['library.setRating']({ photoIds: [ids['beach_0001.jpg']!, ids['beach_0004.jpg']!], rating: 4 }, ctx);
  await h['library.setRating']({ photoIds: [ids['grandma_0001.jpg']!], rating: 2 }, ctx);
  assert.deepEqual(names(await list({ filter: { minRating: 3 } })), ['beach_0001.jpg', 'beach_0004.jpg']);
  await h['library.setFavorite']({ photoIds: [ids['grandma_0003.jpg']!], favorite: true }, ctx);
  assert.deepEqual(names(await list({ filter: { favorite: true } })), ['grandma_0003.jpg']);
  assert.equal((await list({ filter: { favorite: false } })).total, 7);
  assert.deepEqual(names(await list({ filter: { restored: true } })), ['grandma_0002.jpg']);
  assert.equal((await list({ filter: { restored: false } })).total, 7);
  const family = path.join(root, 'Family');
  assert.equal((await list({ filter: { folder: family } })).total, 0, 'exact folder has no direct photos');
  assert.equal((await list({ filter: { folder: family, recursive: true } })).total, 3);
  assert.equal((await list({ filter: { folder: path.join(root, 'Holiday') } })).total, 5);
  const album = (await h['library.listAlbums']({}, ctx) as { albums: Array<{ id: number; name: string }> }).albums[0]!;
  assert.deepEqual(names(await list({ filter: { albumId: album.id } })), ['beach_0003.jpg']);
  assert.deepEqual(names(await list({ filter: { tag: 'SUNSET' } })), ['beach_0001.jpg']);
  assert.equal((await list({ filter: { hasFaces: true } })).total, 0, 'unknown faces never match');
  await h['library.setFaces']({ photoId: ids['grandma_0001.jpg']!, faces: 2 }, ctx);
  await h['library.setFaces']({ photoId: ids['beach_0001.jpg']!, faces: 0 }, ctx);
  assert.deepEqual(names(await list({ filter: { hasFaces: true } })), ['grandma_0001.jpg']);
  assert.deepEqual(names(await list({ filter: { hasFaces: false } })), ['beach_0001.jpg']);
  assert.equal((await list({ filter: { missing: true } })).total, 0);
  // Fixture dates: grandma (seed 1) on 1987-06-02..04, beach (seed 50) on 1987-06-23..26.
  assert.deepEqual(names(await list({ filter: { from: '1987-06-01', to: '1987-06-03' } })), ['grandma_0001.jpg', 'grandma_0002.jpg']);
  assert.equal((await list({ filter: { from: '1987-06-20' } })).total, 5, 'the resized copy has no EXIF date so sorts by import date, after 1987');
  // Filters combine with AND.
  assert.deepEqual(names(await list({ query: 'beach', filter: { minRating: 4, tag: 'sunset' } })), ['beach_0001.jpg']);
});

test('look-alikes: the resized copy and its original share a group; listDuplicates returns the group', async () => {
  const dup = await list({ filter: { duplicates: true } });
  assert.deepEqual(names(dup), ['beach_0002.jpg', 'small copy.jpg']);
  const groups = await h['library.listDuplicates']({ offset: 0, limit: 10 }, ctx) as { total: number; groups: Array<{ group: number; photos: Array<{ fileName: string }> }> };
  assert.equal(groups.total, 1);
  assert.deepEqual(groups.groups[0]!.photos.map((p) => p.fileName).sort(), ['beach_0002.jpg', 'small copy.jpg']);
});

test('sorting and paging: pages are disjoint, complete and ordered; total counts all matches', async () => {
  const byName = await list({ sort: 'name', limit: 3, offset: 0 });
  assert.equal(byName.total, 8);
  const all: string[] = [];
  for (let off = 0; off < 8; off += 3) all.push(...(await list({ sort: 'name', limit: 3, offset: off })).items.map((i) => i.fileName));
  assert.deepEqual(all, [...all].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
  assert.equal(new Set(all).size, 8);
  const rating = (await list({ sort: 'rating' })).items.map((i) => i.rating);
  assert.deepEqual(rating, [...rating].sort((a, b) => b - a));
  const takenAsc = (await list({ sort: 'taken', direction: 'asc' })).items.map((i) => i.fileName);
  assert.equal(takenAsc[0], 'grandma_0001.jpg');
  assert.equal(takenAsc.at(-1), 'small copy.jpg');
  const imported = (await list({ sort: 'imported' })).items.map((i) => i.id);
  assert.deepEqual(imported, [...imported].sort((a, b) => b - a), 'newest import first');
});

test('folders list gives each folder with its count', async () => {
  const folders = (await h['library.listFolders']({}, ctx) as { folders: Array<{ folder: string; count: number }> }).folders;
  assert.deepEqual(folders, [
    { folder: path.join(root, 'Family', '1950s'), count: 3 },
    { folder: path.join(root, 'Holiday'), count: 5 },
  ]);
});

test('grid queries use indexes, not full scans with temp sorting', () => {
  const plan = (sql: string, ...args: unknown[]) => (lib.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
  assert.doesNotMatch(plan('SELECT id FROM photos p ORDER BY p.imported_at DESC, p.id DESC LIMIT 200'), /TEMP B-TREE/);
  assert.doesNotMatch(plan('SELECT id FROM photos p ORDER BY COALESCE(p.taken_at, p.imported_at) DESC, p.id DESC LIMIT 200'), /TEMP B-TREE/);
  assert.doesNotMatch(plan('SELECT id FROM photos p ORDER BY p.file_name COLLATE NOCASE ASC, p.id ASC LIMIT 200'), /TEMP B-TREE/);
  assert.match(plan('SELECT id FROM photos p WHERE p.folder = ? ORDER BY p.id', 'x'), /photos_folder/);
});
