/**
 * Search as a photographer types it: any part of a word in names, folders,
 * tags, albums, the file's own caption, author and keywords (EXIF and XMP),
 * the camera and restoration instructions; best matches first; date and
 * camera filters; and hostile text (quotes, wildcards, SQL, FTS syntax, huge
 * input) searched literally or refused with a message.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { contractHandlers, tempDir, testContext, recipe, type ContractHandlers } from './helpers.js';
import { createLibrary, type Library } from '../../../electron/library/library.js';
import { ListPhotosParams } from '../../../electron/shared/contract/library.js';
import { parseParams } from '../../../electron/shared/contract/index.js';
import { readUnreadText } from '../../../electron/library/text-backfill.js';
import { searchQueries } from '../../../electron/library/search.js';

let lib: Library;
let h: ContractHandlers;
let root: string;
let home: string;
const ctx = testContext();

const xmp = (subjects: string[], description: string) =>
  `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
  `<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description><rdf:Alt><rdf:li xml:lang="x-default">${description}</rdf:li></rdf:Alt></dc:description>` +
  `<dc:subject><rdf:Bag>${subjects.map((s) => `<rdf:li>${s}</rdf:li>`).join('')}</rdf:Bag></dc:subject></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;

async function photo(file: string, colour: string, exif: Record<string, string> = {}, xmpPacket?: string, date?: string): Promise<void> {
  let img = sharp({ create: { width: 64, height: 48, channels: 3, background: colour } }).withExif({
    IFD0: exif,
    ...(date ? { IFD2: { DateTimeOriginal: date } } : {}),
  });
  if (xmpPacket) img = img.withXmp(xmpPacket);
  await img.jpeg().toFile(file);
}

async function list(params: Record<string, unknown>) {
  return (await h['library.listPhotos'](ListPhotosParams.parse(params), ctx)) as { total: number; items: Array<{ id: number; fileName: string }> };
}
const names = (r: { items: Array<{ fileName: string }> }) => r.items.map((i) => i.fileName);
const sorted = (r: { items: Array<{ fileName: string }> }) => names(r).sort();

before(async () => {
  root = tempDir('restora-search-text-');
  home = tempDir('restora-home-');
  const scans = path.join(root, 'Grandparents');
  fs.mkdirSync(scans, { recursive: true });
  await photo(path.join(scans, '1908FamilyPhoto.jpg'), '#7a5c3e', { ImageDescription: 'Grandma Ottilie at the lake', Artist: 'H. Brandt', Make: 'Kodak', Model: 'Brownie No. 2' }, undefined, '1908:07:12 10:00:00');
  await photo(path.join(scans, '1925Girl.jpg'), '#3e5c7a', {}, xmp(['confirmation', 'church'], 'Annelie in her white dress'), '1925:05:03 11:00:00');
  await photo(path.join(scans, 'scan0003.jpg'), '#5c7a3e', { Make: 'Epson', Model: 'Perfection V600' }, undefined, '1961:12:24 18:00:00');
  await photo(path.join(root, 'family reunion 1961.jpg'), '#6b6b6b', { Make: 'Epson', Model: 'Perfection V600' }, undefined, '1961:08:01 12:00:00');
  lib = createLibrary(home);
  h = contractHandlers(lib);
  const r = await h['library.import']({ paths: [root] }, ctx);
  assert.equal(r.imported, 4);
});

after(() => {
  lib.close();
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(home, { recursive: true, force: true });
});

test('any part of a word matches file names, folders and the metadata the file carries', async () => {
  // both match in the file name (one tier); within a tier the newer import comes first, and three import lanes decide which that is
  assert.deepEqual(sorted(await list({ query: 'family' })), ['1908FamilyPhoto.jpg', 'family reunion 1961.jpg'], 'the name inside a word');
  assert.deepEqual(names(await list({ query: 'girl' })), ['1925Girl.jpg']);
  assert.deepEqual(sorted(await list({ query: 'parents' })), ['1908FamilyPhoto.jpg', '1925Girl.jpg', 'scan0003.jpg'], 'inside a folder name');
  assert.deepEqual(names(await list({ query: 'ottilie' })), ['1908FamilyPhoto.jpg'], 'EXIF ImageDescription');
  assert.deepEqual(names(await list({ query: 'brandt' })), ['1908FamilyPhoto.jpg'], 'EXIF Artist');
  assert.deepEqual(names(await list({ query: 'confirm' })), ['1925Girl.jpg'], 'XMP keywords');
  assert.deepEqual(names(await list({ query: 'white dress' })), ['1925Girl.jpg'], 'XMP description, every word');
  assert.deepEqual(sorted(await list({ query: 'V600' })), ['family reunion 1961.jpg', 'scan0003.jpg'], 'camera');
  assert.deepEqual(names(await list({ query: '"lake brandt"' })), [], 'a quoted phrase must appear as written');
  assert.deepEqual(names(await list({ query: '"at the lake"' })), ['1908FamilyPhoto.jpg']);
  assert.equal((await list({ query: 'family girl' })).total, 0, 'all words must match');
  const details = await h['library.getPhoto']({ photoId: (await list({ query: 'ottilie' })).items[0]!.id }, ctx);
  assert.equal(details.photo.caption, 'Grandma Ottilie at the lake');
  assert.equal(details.photo.artist, 'H. Brandt');
});

test('tags, albums and restoration instructions are searched inside words too; short words match word beginnings', async () => {
  const girl = (await list({ query: 'girl' })).items[0]!.id;
  await h['library.tagPhotos']({ photoIds: [girl], add: ['Erstkommunion'], remove: [] }, ctx);
  await h['library.createAlbum']({ name: 'Ancestors', photoIds: [girl] }, ctx);
  const vfile = path.join(lib.paths.versions, 'v1.png');
  await sharp({ create: { width: 20, height: 20, channels: 3, background: '#888' } }).png().toFile(vfile);
  await h['library.addVersion']({ photoId: girl, file: vfile, recipe: recipe('remove the scratches, keep the grain'), preferred: false }, ctx);
  for (const q of ['kommunion', 'cestor', 'cratch']) assert.deepEqual(names(await list({ query: q })), ['1925Girl.jpg'], q);
  assert.deepEqual(sorted(await list({ query: 'gr' })), ['1908FamilyPhoto.jpg', '1925Girl.jpg', 'scan0003.jpg'], 'two letters: word beginnings (Grandma, Grandparents, grain)');
  assert.deepEqual(names(await list({ query: 'fa 1961' })), ['family reunion 1961.jpg'], 'a short and a long word together');
});

test('filters: date range and camera, alone and with search', async () => {
  const cams = await h['library.listCameras']({}, ctx);
  assert.deepEqual(cams.cameras, [{ camera: 'Epson Perfection V600', count: 2 }, { camera: 'Kodak Brownie No. 2', count: 1 }]);
  assert.deepEqual(sorted(await list({ filter: { camera: 'epson perfection v600' } })), ['family reunion 1961.jpg', 'scan0003.jpg']);
  assert.deepEqual(names(await list({ filter: { from: '1900-01-01', to: '1930-12-31' }, sort: 'taken', direction: 'asc' })), ['1908FamilyPhoto.jpg', '1925Girl.jpg']);
  assert.deepEqual(names(await list({ query: 'scan', filter: { camera: 'Epson Perfection V600', from: '1961-12-01' } })), ['scan0003.jpg']);
});

test('hostile search text is searched literally, and over-long text is refused with a message', async () => {
  const all = (await list({})).total;
  for (const q of ['"', '""', "'; DROP TABLE photos; --", 'NEAR(family girl)', 'family OR girl', 'fam*', '*', '%', '_', '?', 'name:family', '^girl', '(', '\\', 'a"b', '\u0000']) {
    const r = await list({ query: q });
    assert.ok(r.total <= all, q);
  }
  assert.equal((await list({ query: "'; DROP TABLE photos; --" })).total, 0);
  assert.equal((await list({ query: 'family OR girl' })).total, 0, 'OR is a word here, not an operator');
  assert.equal((await list({ query: '* % _ ( )' })).total, all, 'punctuation alone does not filter');
  assert.equal((await list({})).total, all, 'nothing was dropped');
  const long = 'family '.repeat(1500);
  assert.throws(() => parseParams('library.listPhotos', { query: long }), /Search text is limited to 1,000 characters/);
  // Within the limit, many words are fine (only the first 16 are used).
  assert.equal((await list({ query: 'family '.repeat(100) })).total, 2);
  assert.equal(searchQueries('a'.repeat(900)).inside, `"${'a'.repeat(900)}"`);
});

test('photos imported before metadata was kept are read in the background, then found', async () => {
  const scan = (await list({ query: 'scan0003' })).items[0]!.id;
  const file = lib.db.prepare('SELECT path FROM photos WHERE id = ?').get(scan) as { path: string };
  await photo(file.path, '#5c7a3e', { ImageDescription: 'Christmas at the Meyers', Make: 'Epson', Model: 'Perfection V600' });
  lib.db.prepare('UPDATE photos SET text_read = 0, caption = NULL WHERE id = ?').run(scan);
  assert.equal((await list({ query: 'meyers' })).total, 0);
  let after = 0;
  for (let last = await readUnreadText(lib, after); last !== null; last = await readUnreadText(lib, after)) after = last;
  assert.deepEqual(names(await list({ query: 'meyers' })), ['scan0003.jpg']);
});
