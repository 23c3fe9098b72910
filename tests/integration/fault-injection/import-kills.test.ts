/**
 * Fault injection, import: the library worker killed with SIGKILL at seeded
 * moments of an import and of its resumes, then the whole CLI process tree
 * killed the same way, then a real full disk (a 17 MiB tmpfs in a user
 * namespace, where the machine allows one). After each: a sound catalog, no
 * half rows, untouched originals, leftovers gone once the library restarts,
 * and the run resumes to a library holding every photo once.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { startServices, tempDir, runCli } from '../../../devkit/services.js';
import { makePhotoFolder } from '../../../devkit/make-images.js';
import { appRoot } from '../../../electron/node/app-paths.js';
import { assertCatalogSound, assertOriginalsUntouched, fingerprints, killWhen, moments, restarted, temporaryFiles } from './checks.js';

const N = 14;
let photos: string;
let files: string[];
let originals: Map<string, string>;
before(async () => {
  photos = tempDir('restora-fault-photos-');
  files = await makePhotoFolder(photos, N, { seed: 77 });
  originals = fingerprints(files);
});
after(() => fs.rmSync(photos, { recursive: true, force: true }));

test('the library worker killed at three random moments of an import and its resumes: sound each time, complete at the end', async () => {
  const svc = await startServices();
  try {
    const m = moments(1);
    let runId: number | null = null;
    for (let round = 0; round < 3; round++) {
      const jobId = runId === null ? svc.broker.startJob('library.import', { paths: [photos] }) : svc.broker.startJob('library.resumeImport', { runId });
      const target = m.int(0, 4);
      const extra = m.int(0, 120);
      const pid = await killWhen(svc.broker, 'library', jobId, (p) => p.stage === 'import' && Number(p.data?.done ?? 0) >= target, extra);
      const info = await svc.broker.jobs.wait(jobId);
      assert.notEqual(info.state, 'running');
      await restarted(svc.broker, 'library', pid);
      const { photos: count } = assertCatalogSound(svc.dataDir, `after kill ${round + 1} (file ${target} + ${extra} ms)`);
      assert.ok(count <= N);
      assertOriginalsUntouched(originals);
      const runs = (await svc.broker.invoke('library.importRuns', {})).runs;
      runId = runs.find((r) => r.state === 'interrupted' || r.state === 'cancelled')?.id ?? runs[0]!.id;
      // The restarted worker sweeps what the killed one was writing.
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(temporaryFiles(path.join(svc.dataDir, 'thumbnails')), [], 'no temporary thumbnails left');
    }
    const runs = (await svc.broker.invoke('library.importRuns', {})).runs;
    for (const r of runs.filter((x) => x.state !== 'done' && x.pending > 0)) await svc.broker.runJob('library.resumeImport', { runId: r.id });
    const again = await svc.broker.runJob('library.import', { paths: [photos] });
    assert.deepEqual([again.imported, again.duplicates], [0, N], 'every photo is in the library exactly once');
    assert.equal(assertCatalogSound(svc.dataDir, 'at the end').photos, N);
    assertOriginalsUntouched(originals);
  } finally {
    await svc.stop();
  }
});

test('the whole CLI process tree killed mid-import: the catalog is sound and `import --resume` finishes', async () => {
  const home = tempDir();
  try {
    const m = moments(2);
    const delay = m.int(300, 1500);
    const child = spawn(process.execPath, [path.join(appRoot(), 'bin', 'restora.mjs'), 'import', photos], { env: { ...process.env, RESTORA_HOME: home }, detached: true, stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, delay));
    // The CLI and its workers share a process group: all of them at once, as a power cut or kill -9 would.
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* it finished first */
    }
    await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));
    await new Promise((r) => setTimeout(r, 200));
    if (fs.existsSync(path.join(home, 'catalog.sqlite'))) assertCatalogSound(home, `after killing the CLI at ${delay} ms`, { mayBeUnmigrated: true });
    const resumed = runCli(home, ['import', '--resume', '--json'], 120_000);
    // Nothing to resume when the kill came before the run was recorded or after it finished.
    assert.ok(resumed.status === 0 || /No stopped import to resume/.test(resumed.stderr), resumed.stderr);
    const again = JSON.parse(runCli(home, ['import', photos, '--json'], 120_000).stdout);
    assert.equal(again.imported + again.duplicates, N);
    assert.equal(assertCatalogSound(home, 'after resuming').photos, N);
    assertOriginalsUntouched(originals);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
});

const namespaces = spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'true']).status === 0;

test('a real full disk (a 17 MiB tmpfs): the import stops in one sentence, and resumes once the disk is larger', { skip: !namespaces && 'no user namespaces here, so no small file system without root; the test-only quota tests cover the check' }, async () => {
  const home = tempDir();
  const big = tempDir('restora-fault-big-');
  try {
    // Larger photos, so their previews fill the disk after a few.
    await makePhotoFolder(big, 12, { seed: 5 });
    const bin = path.join(appRoot(), 'bin', 'restora.mjs');
    const report = path.join(big, 'report.json');
    const script = [
      `mount -t tmpfs -o size=17m tmpfs ${home}`,
      `${process.execPath} ${bin} import ${big} --json > ${big}/first.out 2> ${big}/first.err; echo $? > ${big}/first.rc`,
      `mount -o remount,size=256m ${home}`,
      `${process.execPath} ${bin} import --resume --json > ${big}/second.out 2> ${big}/second.err; echo $? > ${big}/second.rc`,
      // The catalog lives only inside this namespace: check it here.
      `${process.execPath} -e "const D=require('better-sqlite3');const db=new D('${home}/catalog.sqlite',{readonly:true});console.log(JSON.stringify({ok:db.pragma('integrity_check',{simple:true}),photos:db.prepare('SELECT count(*) n FROM photos').get().n}))" > ${report}`,
    ].join(' && ');
    const r = spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'sh', '-c', script], { cwd: appRoot(), env: { ...process.env, RESTORA_HOME: home, RESTORA_AUTO_BACKUP: '0' }, encoding: 'utf8', timeout: 240_000 });
    assert.equal(r.status, 0, r.stderr);
    const read = (f: string) => fs.readFileSync(path.join(big, f), 'utf8');
    // With 17 MiB and 16 MiB kept in hand, the first run stops early; its message is one sentence.
    assert.equal(read('first.rc').trim(), '1', read('first.out') + read('first.err'));
    assert.match(read('first.err'), /^restora: Import stopped after \d+ of 12 photos: the disk holding the Restora data folder \(.+\) is full\. Free some space, then resume it/);
    assert.equal(read('second.rc').trim(), '0', read('second.err'));
    assert.deepEqual(JSON.parse(fs.readFileSync(report, 'utf8')), { ok: 'ok', photos: 12 });
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(big, { recursive: true, force: true });
  }
});
