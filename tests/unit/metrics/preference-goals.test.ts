/**
 * The generative-alignment goals bench:preference reports (issue #27): judged
 * for the aligned refiner when there is one, else for the base refiner and
 * said so; each goal fails on the wrong side of its line, and a goal with
 * nothing measured is skipped, never passed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { preferenceGoals, type Cell, type Goal, type VariantMeans } from '../../../devkit/metrics/index.js';

const v = (o: Partial<VariantMeans> = {}): VariantMeans => ({ psnr: 25, ssim: 0.8, niqe: 10, identity: null, facesFound: null, facesTotal: null, entropy: null, fromFast: null, secondsPerMp: 20, ...o });
const face = (o: Partial<VariantMeans> = {}) => v({ identity: 0.5, facesFound: 5, facesTotal: 5, ...o });

/** Both sets at both severities; `cand` overrides the candidate's figures per cell. */
function cells(variant: 'base' | 'aligned', cand: (set: string, severity: string) => Partial<VariantMeans> = () => ({})): Cell[] {
  const out: Cell[] = [];
  for (const set of ['general', 'faces'])
    for (const severity of ['medium', 'severe']) {
      const mk = set === 'faces' ? face : v;
      const variants: Cell['variants'] = { fast: mk(), base: mk({ niqe: 9, identity: set === 'faces' ? 0.45 : null, entropy: 0.4 }) };
      variants[variant] = mk({ niqe: 9, identity: set === 'faces' ? 0.45 : null, entropy: variant === 'aligned' ? 0.2 : 0.4, ...cand(set, severity) });
      out.push({ set, severity, faces: set === 'faces', variants });
    }
  return out;
}

const passed = (g: Goal | undefined) => (g && 'pass' in g ? g.pass : undefined);

test('without an aligned refiner the base refiner is judged, and it says so; entropy has no baseline', () => {
  const r = preferenceGoals(cells('base'));
  assert.equal(r.candidate, 'base');
  assert.match(r.evaluatedFor, /base refiner/);
  assert.equal(passed(r.goals.niqeBeatsFastAtSevere), true);
  assert.equal(passed(r.goals.identityBeatsFastAtSevere), true);
  assert.equal(passed(r.goals.psnrWithinMarginAtMedium), true);
  assert.equal(passed(r.goals.facesFoundAtSevere), true);
  assert.ok(r.goals.entropyBelowBase && 'skipped' in r.goals.entropyBelowBase);
});

test('NIQE and identity must beat fast mode at severe in every set; the worst set is the value', () => {
  const r = preferenceGoals(cells('base', (set, sev) => (sev === 'severe' && set === 'general' ? { niqe: 10.5 } : sev === 'severe' ? { identity: 0.5 } : {})));
  assert.equal(passed(r.goals.niqeBeatsFastAtSevere), false);
  assert.equal((r.goals.niqeBeatsFastAtSevere as { value: number }).value, -0.5);
  // Equal to fast is not beating it.
  assert.equal(passed(r.goals.identityBeatsFastAtSevere), false);
  // A worse NIQE at medium does not count against the severe goal.
  assert.equal(passed(preferenceGoals(cells('base', (_, sev) => (sev === 'medium' ? { niqe: 12 } : {}))).goals.niqeBeatsFastAtSevere), true);
});

test('PSNR at medium may fall at most 1.0 dB below fast mode', () => {
  assert.equal(passed(preferenceGoals(cells('base', (_, sev) => (sev === 'medium' ? { psnr: 24.1 } : {}))).goals.psnrWithinMarginAtMedium), true);
  const r = preferenceGoals(cells('base', (set, sev) => (sev === 'medium' && set === 'faces' ? { psnr: 23.8 } : {})));
  assert.equal(passed(r.goals.psnrWithinMarginAtMedium), false);
  assert.ok(Math.abs((r.goals.psnrWithinMarginAtMedium as { value: number }).value + 1.2) < 1e-9);
});

test('faces found: 8 of 10 severe face outputs pass, 7 of 10 fail; medium outputs do not count', () => {
  const at = (found: number) => preferenceGoals([
    { set: 'faces', severity: 'severe', faces: true, variants: { fast: face(), base: face({ facesFound: found, facesTotal: 10 }) } },
    { set: 'faces', severity: 'medium', faces: true, variants: { fast: face(), base: face({ facesFound: 10, facesTotal: 10 }) } },
  ]).goals.facesFoundAtSevere;
  assert.equal(passed(at(8)), true);
  assert.equal(passed(at(7)), false);
  assert.equal((at(7) as { value: number }).value, 0.7);
});

test('with an aligned refiner it is the one judged, and its entropy must fall below the base refiner\'s', () => {
  const lower = preferenceGoals(cells('aligned'));
  assert.equal(lower.candidate, 'aligned');
  assert.match(lower.evaluatedFor, /aligned/);
  assert.equal(passed(lower.goals.entropyBelowBase), true);
  assert.equal(passed(preferenceGoals(cells('aligned', () => ({ entropy: 0.4 }))).goals.entropyBelowBase), false);
  // The aligned refiner's figures decide even where the base refiner's would pass.
  assert.equal(passed(preferenceGoals(cells('aligned', (_, sev) => (sev === 'severe' ? { niqe: 11 } : {}))).goals.niqeBeatsFastAtSevere), false);
});

test('a goal with nothing measured is skipped, never passed', () => {
  const r = preferenceGoals([{ set: 'general', severity: 'medium', faces: false, variants: { fast: v(), base: v() } }]);
  for (const k of ['niqeBeatsFastAtSevere', 'identityBeatsFastAtSevere', 'facesFoundAtSevere', 'entropyBelowBase']) assert.ok(r.goals[k] && 'skipped' in r.goals[k], k);
  assert.equal(passed(r.goals.psnrWithinMarginAtMedium), true);
  assert.ok('skipped' in preferenceGoals([]).goals.psnrWithinMarginAtMedium!);
});
