/**
 * Each held-out set's first reading: the rule parser's stated values for the set's instructions, by the
 * parser of the commit at which the set was first measured (its `firstMeasured.commit`), before any rule
 * was written from it. These are honest readings of unseen text; the learned reader's trainer uses them to
 * measure what filling from the reader adds (models/tools/train-reader.ts).
 *   node --import tsx models/tools/first-readings.ts            (from the repo root; needs the git history)
 * Writes tests/fixtures/instructions/first-readings/<set>.json.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const FIXTURES = 'tests/fixtures/instructions';
const OUT = path.join(FIXTURES, 'first-readings');
fs.mkdirSync(OUT, { recursive: true });
const files = fs.readdirSync(FIXTURES).filter((f) => /^held-out(-\d+)?\.json$/.test(f));
for (const f of files) {
  const set = JSON.parse(fs.readFileSync(path.join(FIXTURES, f), 'utf8')) as { firstMeasured?: { commit: string; correct: number; slots: number } };
  const commit = set.firstMeasured?.commit;
  if (!commit) continue;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'restora-first-'));
  try {
    execFileSync('git', ['worktree', 'add', '--detach', dir, commit], { stdio: 'ignore' });
    fs.symlinkSync(path.resolve('node_modules'), path.join(dir, 'node_modules'));
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'models/tools/read-with-rules.mts', dir, path.join(FIXTURES, f)], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const readings = JSON.parse(out) as Record<string, string>[];
    fs.writeFileSync(path.join(OUT, f), JSON.stringify({ commit, readings }) + '\n');
    console.log(`${f}: ${readings.length} readings by the parser of ${commit}`);
  } finally {
    execFileSync('git', ['worktree', 'remove', '--force', dir], { stdio: 'ignore' });
  }
}
