/** The `restora` command as a user runs it: help, restore plain files, import + list with the library, and clear errors. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { requireBuild, runCli, tempDir } from '../../devkit/services.js';
import { writeTestPhoto, sha256File } from '../../devkit/images.js';
import { sharedDataDir } from '../../devkit/shared-data.js';

requireBuild();
const home = tempDir();
const work = tempDir('restora-cli-');
after(() => {
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

function restora(...args: string[]) {
  return runCli(home, args, 120_000);
}

/** The version the library test makes, for the recipe test. */
let made: { photoId: number; versionId: number } | null = null;

test('--help lists the subcommands', () => {
  const r = restora('--help');
  assert.equal(r.status, 0);
  for (const cmd of ['import', 'list', 'restore', 'export', 'info']) assert.match(r.stdout, new RegExp(`^  ${cmd}\\b`, 'm'));
});

test('restore works on plain files without the library and never touches the input', async () => {
  const input = path.join(work, 'in', 'Straße 1950.png');
  fs.mkdirSync(path.dirname(input), { recursive: true });
  await writeTestPhoto(input, 200, 150);
  const before = sha256File(input);
  const r = restora('restore', path.dirname(input), '-o', path.join(work, 'out'), '--instruction', 'remove the dust', '--json');
  assert.equal(r.status, 0, r.stderr);
  const results = JSON.parse(r.stdout);
  assert.equal(results.length, 1);
  const meta = await sharp(results[0].output).metadata();
  assert.equal(meta.width, 200);
  assert.equal(meta.height, 150);
  assert.equal(sha256File(input), before);
});

test('restore --device cuda on a machine without CUDA restores on the CPU and says so', async () => {
  const input = path.join(work, 'dev', 'photo.png');
  fs.mkdirSync(path.dirname(input), { recursive: true });
  await writeTestPhoto(input, 64, 48);
  const r = restora('restore', input, '-o', path.join(work, 'dev-out'), '--device', 'cuda', '--json');
  assert.equal(r.status, 0, r.stderr);
  const [result] = JSON.parse(r.stdout);
  assert.ok(fs.existsSync(result.output));
  assert.ok((result.notices ?? []).some((n: string) => /cuda .*(not available|failed).*CPU/i.test(n)), JSON.stringify(result));
  const text = restora('restore', input, '-o', path.join(work, 'dev-out'), '--device', 'cuda');
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /note: .*cuda .*CPU/i);
});

test('import and list go through the library', async () => {
  const folder = path.join(work, 'scans');
  fs.mkdirSync(folder, { recursive: true });
  await writeTestPhoto(path.join(folder, 'a.png'), 120, 90, 3);
  await writeTestPhoto(path.join(folder, 'b.png'), 130, 90, 4);
  const imp = restora('import', folder, '--json');
  assert.equal(imp.status, 0, imp.stderr);
  assert.equal(JSON.parse(imp.stdout).imported, 2);
  const again = restora('import', folder, '--json');
  assert.equal(JSON.parse(again.stdout).imported, 0, 'the same files are never imported twice');
  const list = restora('list', '--json');
  assert.equal(list.status, 0, list.stderr);
  const names = JSON.parse(list.stdout).items.map((p: { fileName: string }) => p.fileName).sort();
  assert.deepEqual(names, ['a.png', 'b.png']);
});

test('restore --library makes a version and export writes it with Restora in its metadata', async () => {
  const list = JSON.parse(restora('list', '--json').stdout);
  const id = list.items[0].id;
  const r = restora('restore', '--library', String(id), '--instruction', 'remove the dust', '--json');
  assert.equal(r.status, 0, r.stderr);
  made = { photoId: id, versionId: JSON.parse(r.stdout)[0].versionId };
  assert.ok(made.versionId > 0);
  const out = path.join(work, 'export');
  const e = restora('export', String(id), '-o', out, '--format', 'jpeg', '--json');
  assert.equal(e.status, 0, e.stderr);
  const written = fs.readdirSync(out);
  assert.equal(written.length, 1);
  const meta = await sharp(path.join(out, written[0]!)).metadata();
  assert.equal(meta.format, 'jpeg');
  assert.match(meta.exif!.toString('latin1'), /Restora/);
});

test('bad usage gets a clear message and exit code 2', () => {
  const noOut = restora('restore', work);
  assert.equal(noOut.status, 2);
  assert.match(noOut.stderr, /needs -o DIR/);
  const badFidelity = restora('restore', work, '-o', path.join(work, 'o'), '--fidelity', '3');
  assert.equal(badFidelity.status, 2);
  assert.match(badFidelity.stderr, /fidelity/);
  const unknown = restora('frobnicate');
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown command/);
});

test('restore --mode generative takes --steps/--guidance/--seed, records them, and refuses bad ones', async () => {
  const input = path.join(work, 'gen', 'small.png');
  fs.mkdirSync(path.dirname(input), { recursive: true });
  await writeTestPhoto(input, 64, 48, 4);
  const badSteps = restora('restore', input, '-o', path.join(work, 'gen-out'), '--mode', 'generative', '--steps', '0');
  assert.equal(badSteps.status, 2);
  assert.match(badSteps.stderr, /Steps must be a whole number from 1 to 32/);
  const badGuidance = restora('restore', input, '-o', path.join(work, 'gen-out'), '--mode', 'generative', '--guidance', '99');
  assert.equal(badGuidance.status, 2);
  assert.match(badGuidance.stderr, /Guidance must be from 0 to 10/);
  const ok = restora('restore', input, '-o', path.join(work, 'gen-out'), '--mode', 'generative', '--steps', '2', '--guidance', '1', '--seed', '7', '--fidelity', '0.6', '--json');
  assert.equal(ok.status, 0, ok.stderr);
  const [result] = JSON.parse(ok.stdout);
  assert.ok(fs.existsSync(result.output));
  assert.equal(result.mode, 'generative');
  assert.equal(result.seed, 7);
});

test('--set overrides a setting, --explain prints what was understood, a bad --set is refused', async () => {
  const input = path.join(work, 'explain', 'Tante Anna.png');
  fs.mkdirSync(path.dirname(input), { recursive: true });
  await writeTestPhoto(input, 160, 120);
  const out = path.join(work, 'explained');
  const r = restora('restore', input, '-o', out, '--instruction', 'remove the scratches', '--set', 'grain=keep', '--set', 'tone=keep', '--explain');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Stated \(whole photo\):/);
  assert.match(r.stdout, /Scratches\s+fix\s+words\s+“remove the scratches”/);
  assert.match(r.stdout, /Grain\s+keep\s+--set/);
  assert.match(r.stdout, /Whole photo:/);
  assert.match(r.stdout, /Noise\s+(fix|leave)\s+photo/);
  const json = restora('restore', input, '-o', out, '--set', 'sharpness=crisp', '--explain', '--json');
  assert.equal(json.status, 0, json.stderr);
  assert.equal(JSON.parse(json.stdout)[0].understood.regions.all.sharpness.source, 'edit');
  const bad = restora('restore', input, '-o', out, '--set', 'grain=lots');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /not a value of grain/);
  // Strength takes a number from 0 to 1 as well as its names, and the recipe records it.
  const blend = restora('restore', input, '-o', out, '--set', 'strength=0.3', '--explain', '--json');
  assert.equal(blend.status, 0, blend.stderr);
  assert.deepEqual(JSON.parse(blend.stdout)[0].understood.regions.all.strength, { value: '0.3', source: 'edit' });
  const tooMuch = restora('restore', input, '-o', out, '--set', 'strength=1.5');
  assert.equal(tooMuch.status, 2);
  assert.match(tooMuch.stderr, /not a value of strength .*a number from 0 to 1/);
});

test('unknown options are refused per command with the nearest known one; --help per command', () => {
  const typo = restora('restore', work, '-o', path.join(work, 'typo-out'), '--instrution', 'keep the grain');
  assert.equal(typo.status, 2);
  assert.match(typo.stderr, /unknown option --instrution; did you mean --instruction\?/);
  assert.doesNotMatch(typo.stderr, /does not exist/);
  assert.equal(fs.existsSync(path.join(work, 'typo-out')), false, 'nothing ran');
  const bogus = restora('list', '--bogus');
  assert.equal(bogus.status, 2);
  assert.match(bogus.stderr, /unknown option --bogus\. See restora list --help/);
  // An option of another command is named as such.
  const elsewhere = restora('list', '--naming', '{name}');
  assert.equal(elsewhere.status, 2);
  assert.match(elsewhere.stderr, /unknown option --naming for list \(it is an option of export\)/);
  const valueless = restora('list', '--json=yes');
  assert.equal(valueless.status, 2);
  assert.match(valueless.stderr, /--json takes no value/);
  const help = restora('export', '--help');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Usage: restora export/);
  assert.match(help.stdout, /--naming PATTERN/);
  assert.doesNotMatch(help.stdout, /--instruction/, 'only the options of export');
});

test('restore --recipe VERSION_ID applies a version\'s recipe to other library photos and to files; export names, sizes and strips by flags', async () => {
  assert.ok(made, 'the library test made a version');
  const list = JSON.parse(restora('list', '--json').stdout);
  const other = list.items.find((p: { id: number }) => p.id !== made!.photoId).id;
  const clash = restora('restore', '--library', String(other), '--recipe', String(made.versionId), '--instruction', 'something else');
  assert.equal(clash.status, 2);
  assert.match(clash.stderr, /--recipe takes every setting from version \d+; leave out --instruction/);
  // The recipe's edits are its own too: --set is refused with it.
  const clashSet = restora('restore', '--library', String(other), '--recipe', String(made.versionId), '--set', 'grain=keep');
  assert.equal(clashSet.status, 2);
  assert.match(clashSet.stderr, /leave out --set/);
  const r = restora('restore', '--library', String(other), '--recipe', String(made.versionId), '--json');
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.recipe.instruction, 'remove the dust');
  assert.equal(out.items.length, 1);
  assert.equal(out.items[0].state, 'done');
  assert.ok(out.items[0].versionId > made.versionId);
  const input = path.join(work, 'recipe-in', 'loose print.png');
  fs.mkdirSync(path.dirname(input), { recursive: true });
  await writeTestPhoto(input, 90, 70, 5);
  const files = restora('restore', input, '-o', path.join(work, 'recipe-out'), '--recipe', String(made.versionId), '--json');
  assert.equal(files.status, 0, files.stderr);
  const written = JSON.parse(files.stdout).items[0].output;
  assert.equal(path.basename(written), 'loose print-restored.png');
  assert.deepEqual([(await sharp(written).metadata()).width, (await sharp(written).metadata()).height], [90, 70]);
  const missing = restora('restore', '--library', String(other), '--recipe', '999999');
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /version 999999/i);

  const folder = path.join(work, 'export-many');
  const e = restora('export', String(made.photoId), String(other), '-o', folder, '--naming', '{n} {name} ({version})', '--long-edge', '60', '--metadata', 'none', '--format', 'png', '--json');
  assert.equal(e.status, 0, e.stderr);
  const names = fs.readdirSync(folder).sort();
  assert.equal(names.length, 2);
  for (const n of names) assert.match(n, /^[12] [ab] \(.+\)\.png$/);
  for (const n of names) assert.ok(Math.max((await sharp(path.join(folder, n)).metadata()).width!, (await sharp(path.join(folder, n)).metadata()).height!) <= 60);
  const badPattern = restora('export', String(other), '-o', folder, '--naming', 'same');
  assert.equal(badPattern.status, 2);
  assert.match(badPattern.stderr, /needs \{name\} or \{n\}/);
});

test('restore --mask repairs the drawn mask and keeps it beside the result; a mask of another size is refused by name', async () => {
  const dir = path.join(work, 'mask');
  fs.mkdirSync(dir, { recursive: true });
  const input = path.join(dir, 'photo.png');
  await writeTestPhoto(input, 200, 150);
  const mask = path.join(dir, 'mask.png');
  await sharp({ create: { width: 200, height: 150, channels: 3, background: '#000' } })
    .composite([{ input: { create: { width: 20, height: 10, channels: 3, background: '#fff' } }, left: 50, top: 50 }])
    .png()
    .toFile(mask);
  const r = restora('restore', input, '-o', path.join(dir, 'out'), '--mask', mask, '--json');
  assert.equal(r.status, 0, r.stderr);
  const [result] = JSON.parse(r.stdout);
  const kept = await sharp(result.output.replace(/\.png$/, '.mask.png')).extractChannel(0).raw().toBuffer();
  assert.equal(kept.filter((v) => v > 127).length, 200, 'the mask used is the one drawn');
  const small = path.join(dir, 'small.png');
  await sharp({ create: { width: 100, height: 100, channels: 3, background: '#fff' } }).png().toFile(small);
  const bad = restora('restore', input, '-o', path.join(dir, 'out'), '--mask', small, '--json');
  assert.equal(bad.status, 1);
  assert.match(JSON.parse(bad.stdout)[0].error, /100×100 but the photo is 200×150/);
});

test('damage writes the detected mask at the photo size for editing; restore --mask takes it back; bad outputs are refused', async () => {
  const dir = path.join(work, 'damage');
  fs.mkdirSync(dir, { recursive: true });
  const input = path.join(dir, 'scratched.png');
  // A real photograph with a long bright scratch, 2 px wide.
  const { data, info } = await sharp(path.join(sharedDataDir(), 'bsds500', 'val', '101087.jpg')).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  for (let y = 20; y < info.height - 20; y++) for (const x of [Math.round(60 + y * 0.3), Math.round(61 + y * 0.3)]) for (let c = 0; c < 3; c++) data[(y * info.width + x) * 3 + c] = 248;
  await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } }).png().toFile(input);
  const mask = path.join(dir, 'mask.png');
  const r = restora('damage', input, '-o', mask, '-i', 'the scratches', '--json');
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual([out.width, out.height, out.kinds], [info.width, info.height, ['scratch']]);
  const m = await sharp(mask).raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual([m.info.width, m.info.height], [info.width, info.height]);
  const marked = m.data.filter((v) => v > 127).length / m.info.channels;
  assert.ok(marked > 0 && Math.abs(marked / (info.width * info.height) - out.share) < 1e-3, `marked ${marked}, share ${out.share}`);
  const restored = restora('restore', input, '-o', path.join(dir, 'out'), '--mask', mask, '--json');
  assert.equal(restored.status, 0, restored.stderr);
  const jpg = restora('damage', input, '-o', path.join(dir, 'mask.jpg'));
  assert.equal(jpg.status, 2);
  assert.match(jpg.stderr, /written as PNG/);
  assert.match(restora('damage', input, '-o', path.join(dir, 'nowhere', 'm.png')).stderr, /does not exist/);
});
