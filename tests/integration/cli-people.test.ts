/**
 * `restora people` as a user runs it: find the people in an imported library
 * (two held-out faces-flr people, neutral and smiling), list them, name one
 * (the name is then searched by `restora list`), merge two, and clear errors
 * for ids that are not people.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { requireBuild, runCli, tempDir } from '../../devkit/services.js';
import { sharedDataDir } from '../../devkit/shared-data.js';

const home = tempDir();
const work = tempDir('restora-cli-people-');
after(() => {
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

before(async () => {
  requireBuild();
  for (const [set, suffix] of [['neutral_front', '03'], ['smiling_front', '08']]) {
    for (const id of ['003', '010']) await sharp(path.join(sharedDataDir(), 'faces-flr', set!, `${id}_${suffix}.jpg`)).resize(480).jpeg().toFile(path.join(work, `${id}-${suffix}.jpg`));
  }
});

const json = (args: string[]) => {
  const r = runCli(home, [...args, '--json'], 300_000);
  assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout);
};

test('people find, list, name, merge', () => {
  json(['import', work]);
  const found = json(['people', 'find']);
  assert.deepEqual([found.photos, found.faces, found.failed, found.clustered.people], [4, 4, 0, 2]);
  const listed = json(['people']);
  assert.equal(listed.total, 2);
  const [a, b] = listed.people.map((p: { personId: number }) => p.personId);
  assert.equal(json(['people', 'name', String(a), 'Walter', 'Okafor']).name, 'Walter Okafor');
  const photos = json(['list', '--query', 'okafor']);
  assert.equal(photos.total, 2);
  assert.equal(new Set(photos.items.map((p: { fileName: string }) => p.fileName.slice(0, 3))).size, 1, 'both photos of one person');
  const same = json(['people', 'same']);
  assert.ok(Array.isArray(same.pairs) && same.pairs.every((x: { distance: number }) => x.distance < 0.6));
  assert.deepEqual(json(['people', 'apart', String(a), String(b)]), {});
  assert.ok(!json(['people', 'same']).pairs.some((x: { a: { personId: number }; b: { personId: number } }) => [x.a.personId, x.b.personId].sort().join() === [a, b].sort().join()), 'kept apart');
  const self = runCli(home, ['people', 'apart', String(a), String(a)], 120_000);
  assert.notEqual(self.status, 0);
  assert.match(self.stderr, /itself/);
  const merged = json(['people', 'merge', String(a), String(b)]);
  assert.deepEqual([merged.name, merged.faceCount], ['Walter Okafor', 4]);
  const bad = runCli(home, ['people', 'name', '999', 'Nobody'], 120_000);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /No person 999/);
  assert.deepEqual(json(['people', 'find']).photos, 0, 'nothing left to look at');
});
