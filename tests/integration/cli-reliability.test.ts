/**
 * The `restora` command facing unlucky and hostile situations, as a user runs
 * it: output folders that cannot be written (checked before any work, said
 * in one sentence), two runs into one folder, a link planted where the result
 * goes, a full disk in the middle of an import (resumed with --resume),
 * names with a newline or bytes that are not UTF-8, restoring into the input
 * folder, and the catalog after the command exits (complete on its own,
 * backed up and restored with `backup` / `restore-backup`).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { requireBuild, runCli, tempDir } from '../../devkit/services.js';
import { writeTestPhoto, sha256File } from '../../devkit/images.js';
import { makePhotoFolder } from '../../devkit/make-images.js';
import { appRoot } from '../../electron/node/app-paths.js';

requireBuild();
const home = tempDir();
const work = tempDir('restora-cli-rel-');
after(() => {
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

const restora = (...args: string[]) => runCli(home, args, 120_000);
const bin = path.join(appRoot(), 'bin', 'restora.mjs');

/** Whether this machine lets an ordinary user make a mount namespace (for a real read-only or full disk). */
const namespaces = spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'true']).status === 0;
const inNamespace = (script: string, env: Record<string, string> = {}) =>
  spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'sh', '-c', script], { env: { ...process.env, RESTORA_HOME: home, ...env }, encoding: 'utf8', timeout: 180_000 });

async function photo(name: string, w = 64, h = 48, seed = 1): Promise<string> {
  const file = path.join(work, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await writeTestPhoto(file, w, h, seed);
  return file;
}

test('an output folder behind a file fails before any work, in one plain sentence', async () => {
  const input = await photo('in/a.png');
  const blocker = path.join(work, 'blocker');
  fs.writeFileSync(blocker, 'not a folder');
  const t0 = Date.now();
  const r = restora('restore', input, '-o', path.join(blocker, 'sub'));
  assert.equal(r.status, 1);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /^restora: Cannot create the folder .*blocker\/sub: a file is in the way where a folder should be\.$/m);
  assert.doesNotMatch(r.stderr, /ENOENT|ENOTDIR|mkdir|vips/);
  assert.ok(Date.now() - t0 < 10_000);
});

test('a read-only disk: a new subfolder and an existing folder both fail before the restore runs (real read-only mount)', { skip: !namespaces && 'no user namespaces here: cannot mount a read-only folder without root' }, async () => {
  const input = await photo('ro-in/a.png');
  const ro = path.join(work, 'ro');
  fs.mkdirSync(ro, { recursive: true });
  const cmd = (out: string) => `mount --bind ${ro} ${ro} && mount -o remount,bind,ro ${ro} && ${process.execPath} ${bin} restore ${input} -o ${out}`;
  for (const out of [path.join(ro, 'new', 'deeper'), ro]) {
    const r = inNamespace(cmd(out));
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^restora: Cannot (create the folder|write to) .*: the disk is read-only\.\n$/, r.stderr);
  }
  assert.deepEqual(fs.readdirSync(ro), []);
});

test('an output disk without room for the result is refused before the restore runs (test-only quota)', async () => {
  const input = await photo('big/a.png', 400, 300);
  const out = path.join(work, 'full-out');
  const r = runCliEnv({ RESTORA_TEST_FREE_BYTES: String(100 * 1024) }, 'restore', input, '-o', out, '--json');
  assert.equal(r.status, 1);
  const [result] = JSON.parse(r.stdout);
  assert.match(result.error, /^Not enough free space in .*full-out: the result needs about \d+ kB, and 100 kB is free\.$/);
  assert.deepEqual(fs.readdirSync(out), []);
});

function runCliEnv(env: Record<string, string>, ...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, RESTORA_HOME: home, ...env }, encoding: 'utf8', timeout: 120_000 });
}

test('two runs into one folder at once keep both results under their own names, and say which', async () => {
  const input = await photo('twice/a.png', 96, 72);
  const out = path.join(work, 'twice-out');
  const run = () =>
    new Promise<{ status: number | null; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, 'restore', input, '-o', out, '--json'], { env: { ...process.env, RESTORA_HOME: home } });
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.on('exit', (status) => resolve({ status, stdout }));
    });
  const [a, b] = await Promise.all([run(), run()]);
  assert.equal(a.status, 0);
  assert.equal(b.status, 0);
  const outputs = [JSON.parse(a.stdout)[0].output, JSON.parse(b.stdout)[0].output].sort();
  assert.notEqual(outputs[0], outputs[1], 'each run reports its own file');
  assert.deepEqual(fs.readdirSync(out).sort(), outputs.map((o) => path.basename(o)).sort(), 'both results are there, and nothing else');
});

test('a link planted where the result goes is never written through: the victim is untouched and the result goes beside it', async () => {
  const input = await photo('planted/a.png', 80, 60);
  const out = path.join(work, 'planted-out');
  fs.mkdirSync(out, { recursive: true });
  const victim = path.join(work, 'victim.png');
  await writeTestPhoto(victim, 20, 20, 9);
  const before = sha256File(victim);
  fs.symlinkSync(victim, path.join(out, 'a-restored.png'));
  const r = restora('restore', input, '-o', out, '--json');
  assert.equal(r.status, 0, r.stderr);
  const [result] = JSON.parse(r.stdout);
  assert.equal(path.basename(result.output), 'a-restored (2).png');
  assert.equal(sha256File(victim), before);
  assert.ok(fs.lstatSync(path.join(out, 'a-restored.png')).isSymbolicLink());
});

test('links planted under the temporary names an attacker can guess do not redirect the write', async () => {
  const input = await photo('guess/a.png', 80, 60);
  const out = path.join(work, 'guess-out');
  fs.mkdirSync(out, { recursive: true });
  const victim = path.join(work, 'guess-victim.png');
  await writeTestPhoto(victim, 20, 20, 11);
  const before = sha256File(victim);
  const child = spawn(process.execPath, [bin, 'restore', input, '-o', out, '--json'], { env: { ...process.env, RESTORA_HOME: home } });
  // The engine is a child of the CLI: its pid comes soon after. The old writer's name was
  // ".<name>.<pid>.partial"; plant a link to the victim under every one it could have used.
  for (let pid = child.pid!; pid < child.pid! + 400; pid++) fs.symlinkSync(victim, path.join(out, `.a-restored.png.${pid}.partial`));
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const status = await new Promise((resolve) => child.on('exit', resolve));
  assert.equal(status, 0);
  assert.equal(sha256File(victim), before, 'the victim was not written through a planted link');
  const [result] = JSON.parse(stdout);
  assert.equal(fs.lstatSync(result.output).isFile(), true);
  assert.equal((await sharp(result.output).metadata()).width, 80);
});

test('restoring into the input folder does not restore the earlier results again', async () => {
  const dir = path.join(work, 'same');
  await photo('same/one.png', 60, 40, 2);
  const first = restora('restore', dir, '-o', dir, '--json');
  assert.equal(first.status, 0, first.stderr);
  assert.equal(JSON.parse(first.stdout).length, 1);
  const second = restora('restore', dir, '-o', dir, '--json');
  assert.equal(second.status, 0, second.stderr);
  const results = JSON.parse(second.stdout);
  assert.deepEqual(results.map((x: { input: string }) => path.basename(x.input)), ['one.png']);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['one-restored (2).png', 'one-restored.png', 'one.png']);
});

test('a name with a newline keeps `list` to one line per photo; a name that is not UTF-8 is reported as such, not as missing', async () => {
  const dir = path.join(work, 'names');
  await photo('names/line\nbreak.png', 50, 40, 5);
  const bad = Buffer.concat([Buffer.from(dir + '/caf'), Buffer.from([0xe9]), Buffer.from('.png')]);
  fs.copyFileSync(path.join(dir, 'line\nbreak.png'), bad);
  fs.appendFileSync(bad, Buffer.from([0]));
  const imp = restora('import', dir, '--json');
  assert.equal(imp.status, 0, imp.stderr);
  const res = JSON.parse(imp.stdout);
  assert.equal(res.imported, 1);
  assert.deepEqual(res.skipped, [{ path: path.join(dir, 'caf\\xE9.png'), reason: 'Cannot read file: its name is not valid UTF-8 (the bad bytes are shown as \\xNN); rename the file to use it in Restora' }]);
  const list = restora('list', '--query', 'break');
  assert.equal(list.status, 0, list.stderr);
  const lines = list.stdout.trim().split('\n');
  assert.equal(lines.length, 2, list.stdout);
  assert.match(lines[1]!, /line\\nbreak\.png$/);
  const rest = restora('restore', dir, '-o', path.join(work, 'names-out'), '--json');
  const results = JSON.parse(rest.stdout) as Array<{ input: string; error?: string }>;
  assert.ok(results.some((x) => x.input.endsWith('caf\\xE9.png') && /not valid UTF-8/.test(x.error ?? '')), rest.stdout);
});

test('an import stopped by a full disk says so once and finishes with `import --resume` (test-only quota)', async () => {
  const dir = path.join(work, 'fill');
  await makePhotoFolder(dir, 10, { seed: 31 });
  const stopped = runCliEnv({ RESTORA_TEST_FREE_BYTES: String(16 * 2 ** 20 + 300 * 1024) }, 'import', dir);
  assert.equal(stopped.status, 1);
  assert.match(stopped.stderr, /^restora: Import stopped after \d+ of 10 photos: the disk holding the Restora data folder \(.+\) is full\. Free some space, then resume it \(restora import --resume, or Resume in the Import panel\)\.\n$/);
  const resumed = restora('import', '--resume', '--json');
  assert.equal(resumed.status, 0, resumed.stderr);
  const again = restora('import', dir, '--json');
  assert.equal(JSON.parse(again.stdout).duplicates, 10, 'every photo is in the library once');
});

test('after the command exits, catalog.sqlite alone is the whole catalog; backup and restore-backup bring a library back', async () => {
  const catalog = path.join(home, 'catalog.sqlite');
  const wal = `${catalog}-wal`;
  assert.ok(!fs.existsSync(wal) || fs.statSync(wal).size === 0, 'the log was checkpointed on exit');
  const copy = path.join(work, 'copy.sqlite');
  fs.copyFileSync(catalog, copy);
  const db = new Database(copy, { readonly: true });
  const photos = (db.prepare('SELECT count(*) AS n FROM photos').get() as { n: number }).n;
  db.close();
  assert.ok(photos >= 11);
  const made = restora('backup', '--json');
  assert.equal(made.status, 0, made.stderr);
  const name = JSON.parse(made.stdout).name as string;
  const ids = JSON.parse(restora('list', '--json').stdout).items.map((p: { id: number }) => p.id);
  // Remove everything through a second catalog connection, as another program would.
  const live = new Database(catalog);
  live.prepare('DELETE FROM photos').run();
  live.close();
  assert.equal(JSON.parse(restora('list', '--json').stdout).total, 0);
  const r = restora('restore-backup', name);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^Restored the catalog from ${name}\\. The catalog as it was is kept as catalog-\\d{8}-\\d{6}(-\\d+)?-before-restore\\.sqlite\\.\\n$`));
  assert.equal(JSON.parse(restora('list', '--json').stdout).total, ids.length);
  const listed = restora('backup', '--list');
  assert.match(listed.stdout, new RegExp(name));
});
