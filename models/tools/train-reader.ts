/**
 * Trains the learned instruction reader (electron/shared/instructions/reader.ts) on the labelled
 * held-out sets and writes it to the zoo as an ONNX graph (MatMul + Add) with its manifest and card.
 *   node --import tsx models/tools/train-reader.ts --config models/configs/reader-1.json [--out DIR]
 *
 * Before training the shipped model it measures what the reader is worth on text it has not seen, by
 * leaving one set out at a time: the reader alone, and the rules' first reading of that set (the parser
 * of the day it arrived, tests/fixtures/instructions/first-readings/, made by first-readings.ts) with and
 * without the reader's fills, at several thresholds. The card's figures are these measurements.
 * Multinomial logistic regression per setting, plain SGD with a seeded shuffle: the same config gives the
 * same bytes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { buildOnnxModel } from '../../electron/engine/onnx-builder.js';
import { Mulberry32 } from '../../electron/engine/degradations/prng.js';
import { READER_HEADS, READER_OUTPUTS, fillFromReader, overridesFromReader, readGuesses, readerInput, slotOfKey, type ReaderWeights } from '../../electron/shared/instructions/reader.js';

interface Config {
  name: string;
  version: string;
  sets: string[];
  /** Labelled training text that is never left out (tests/fixtures/instructions/training/). */
  extra?: string[];
  buckets: number;
  epochs: number;
  lr: number;
  l2: number;
  seed: number;
  threshold: number;
  thresholds: number[];
  /** The confidence at which the reader replaces a whole-photo value the rules read otherwise (reader.ts, overridesFromReader); none when absent. */
  override?: number;
  /** Override thresholds measured (with fills at `threshold`) for the card. */
  overrides?: number[];
}
interface Case {
  text: string;
  expect: Record<string, string>;
}

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const cfgPath = arg('--config') ?? 'models/configs/reader-1.json';
const cfg = JSON.parse(fs.readFileSync(cfgPath, 'utf8')) as Config;
const outDir = arg('--out') ?? 'models/zoo/restora-reader';
const FIXTURES = 'tests/fixtures/instructions';

/** Sparse inputs: the non-zero buckets and their values. */
function sparse(text: string): [Int32Array, Float32Array] {
  const x = readerInput(text, cfg.buckets);
  const idx: number[] = [];
  for (let i = 0; i < x.length; i++) if (x[i] !== 0) idx.push(i);
  return [Int32Array.from(idx), Float32Array.from(idx.map((i) => x[i]!))];
}

/** Output index of each head's class for a case: 0 when the case does not state the setting, -1 when it states a value the head has no output for (a strength number): not learned from. */
function targets(c: Case): number[] {
  return READER_HEADS.map((h) => (c.expect[h.key] === undefined ? 0 : h.values.includes(c.expect[h.key]!) ? h.values.indexOf(c.expect[h.key]!) + 1 : -1));
}

function train(cases: Case[]): ReaderWeights {
  const F = cfg.buckets, C = READER_OUTPUTS;
  const W = new Float32Array(F * C), b = new Float32Array(C);
  const X = cases.map((c) => sparse(c.text));
  const Y = cases.map(targets);
  const rand = new Mulberry32(cfg.seed);
  const order = cases.map((_, i) => i);
  const z = new Float64Array(C);
  for (let e = 0; e < cfg.epochs; e++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand.next() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const rate = cfg.lr * (1 - e / cfg.epochs);
    for (const n of order) {
      const [idx, val] = X[n]!;
      z.set(b);
      for (let k = 0; k < idx.length; k++) {
        const row = idx[k]! * C, v = val[k]!;
        for (let c = 0; c < C; c++) z[c]! += v * W[row + c]!;
      }
      let o = 0;
      READER_HEADS.forEach((h, hi) => {
        const n1 = h.values.length + 1;
        let m = -Infinity;
        for (let c = 0; c < n1; c++) m = Math.max(m, z[o + c]!);
        let s = 0;
        for (let c = 0; c < n1; c++) s += Math.exp(z[o + c]! - m);
        const y = Y[n]![hi]!;
        if (y < 0) {
          o += n1;
          return;
        }
        for (let c = 0; c < n1; c++) {
          const g = Math.exp(z[o + c]! - m) / s - (c === y ? 1 : 0);
          b[o + c]! -= rate * g;
          for (let k = 0; k < idx.length; k++) {
            const at = idx[k]! * C + o + c;
            W[at]! -= rate * (g * val[k]! + cfg.l2 * W[at]!);
          }
        }
        o += n1;
      });
    }
  }
  return { buckets: F, W, b };
}

const sets = new Map<string, Case[]>(cfg.sets.map((f) => [f, (JSON.parse(fs.readFileSync(path.join(FIXTURES, f), 'utf8')) as { cases: Case[] }).cases]));
const extra = (cfg.extra ?? []).flatMap((f) => (JSON.parse(fs.readFileSync(path.join(FIXTURES, f), 'utf8')) as { cases: Case[] }).cases);

/** The first readings that reproduce the set's first-measured figure (so they are the reading of that day). */
function firstReadings(f: string): Record<string, string>[] | null {
  const file = path.join(FIXTURES, 'first-readings', f);
  if (!fs.existsSync(file)) return null;
  const { readings } = JSON.parse(fs.readFileSync(file, 'utf8')) as { readings: Record<string, string>[] };
  const { firstMeasured } = JSON.parse(fs.readFileSync(path.join(FIXTURES, f), 'utf8')) as { firstMeasured?: { correct: number } };
  const cases = sets.get(f)!;
  const correct = cases.reduce((n, c, i) => n + Object.entries(c.expect).filter(([k, v]) => readings[i]![k] === v).length, 0);
  return firstMeasured && correct === firstMeasured.correct ? readings : null;
}

interface Tally {
  slots: number;
  correct: number;
  /** Settings stated that the labels do not state. */
  unlabelled: number;
}
const tally = (): Tally => ({ slots: 0, correct: 0, unlabelled: 0 });
function add(t: Tally, c: Case, got: Record<string, string>) {
  for (const [k, v] of Object.entries(c.expect)) {
    t.slots++;
    if (got[k] === v) t.correct++;
  }
  for (const k of Object.keys(got)) if (!(k in c.expect)) t.unlabelled++;
}
const acc = (t: Tally) => (t.slots ? t.correct / t.slots : 0);

const t0 = Date.now();
const perSet: Record<string, { alone: Tally; rules?: Tally; filled?: Record<string, Tally> }> = {};
const overrideAt = cfg.overrides ?? (cfg.override ? [cfg.override] : []);
const overridden = Object.fromEntries(overrideAt.map((t) => [String(t), tally()])) as Record<string, Tally>;
/** `--errors FILE`: every labelled setting the shipped rule (fills, and overrides where configured) gets wrong, to read. */
const errors: object[] = [];
const total = { alone: tally(), rules: tally(), filled: Object.fromEntries(cfg.thresholds.map((t) => [String(t), tally()])) as Record<string, Tally> };
for (const f of cfg.sets) {
  const first = firstReadings(f);
  const rest = [...cfg.sets.filter((g) => g !== f).flatMap((g) => sets.get(g)!), ...extra];
  const w = train(rest);
  const row: (typeof perSet)[string] = { alone: tally() };
  if (first) {
    row.rules = tally();
    row.filled = Object.fromEntries(cfg.thresholds.map((t) => [String(t), tally()]));
  }
  sets.get(f)!.forEach((c, i) => {
    const guesses = readGuesses(w, c.text);
    const alone = Object.fromEntries(Object.entries(guesses).filter(([, g]) => g.value).map(([k, g]) => [k, g.value!]));
    add(row.alone, c, alone);
    add(total.alone, c, alone);
    if (!first) return;
    add(row.rules!, c, first[i]!);
    add(total.rules, c, first[i]!);
    for (const t of cfg.thresholds) {
      const fills = fillFromReader(first[i]!, guesses, t);
      const got = { ...first[i]!, ...Object.fromEntries(Object.entries(fills).map(([k, v]) => [k, v.value])) };
      add(row.filled![String(t)]!, c, got);
      add(total.filled[String(t)]!, c, got);
    }
    const fills = fillFromReader(first[i]!, guesses, cfg.threshold);
    const filled = { ...first[i]!, ...Object.fromEntries(Object.entries(fills).map(([k, v]) => [k, v.value])) };
    for (const t of overrideAt) {
      const got = { ...filled, ...Object.fromEntries(Object.entries(overridesFromReader(first[i]!, guesses, t)).map(([k, v]) => [k, v.value])) };
      add(overridden[String(t)]!, c, got);
    }
    const shipped = cfg.override ? { ...filled, ...Object.fromEntries(Object.entries(overridesFromReader(first[i]!, guesses, cfg.override)).map(([k, v]) => [k, v.value])) } : filled;
    for (const [k, v] of Object.entries(c.expect))
      if (shipped[k] !== v) errors.push({ set: f, text: c.text, key: k, expected: v, got: shipped[k] ?? null, rules: first[i]![k] ?? null, reader: guesses[k]?.value ?? null, p: Math.round((guesses[k]?.p ?? 0) * 100) / 100 });
  });
  perSet[f] = row;
  const fmt = (t: Tally) => `${acc(t).toFixed(3)} (${t.correct}/${t.slots}, +${t.unlabelled} unlabelled)`;
  console.log(`${f} left out: reader alone ${fmt(row.alone)}` + (row.rules ? `; first reading ${fmt(row.rules)}; with fills at ${cfg.threshold}: ${fmt(row.filled![String(cfg.threshold)]!)}` : ''));
}
const fmt = (t: Tally) => `${acc(t).toFixed(4)} (${t.correct}/${t.slots}, +${t.unlabelled} unlabelled)`;
console.log(`all sets left out in turn: reader alone ${fmt(total.alone)}`);
console.log(`first readings ${fmt(total.rules)}`);
for (const t of cfg.thresholds) console.log(`  with fills at ${t}: ${fmt(total.filled[String(t)]!)}`);
for (const t of overrideAt) console.log(`  with fills at ${cfg.threshold}, overriding the rules at ${t}: ${fmt(overridden[String(t)]!)}`);
if (arg('--errors')) fs.writeFileSync(arg('--errors')!, JSON.stringify(errors, null, 1) + '\n');
if (process.argv.includes('--measure-only')) process.exit(0);

const weights = train([...cfg.sets.flatMap((f) => sets.get(f)!), ...extra]);
const trainTally = tally();
for (const f of cfg.sets) for (const c of sets.get(f)!) add(trainTally, c, Object.fromEntries(Object.entries(readGuesses(weights, c.text)).filter(([, g]) => g.value).map(([k, g]) => [k, g.value!])));
console.log(`reader alone on its training sets: ${fmt(trainTally)}; ${((Date.now() - t0) / 1000).toFixed(0)} s`);

const onnx = buildOnnxModel({
  name: cfg.name,
  nodes: [
    { op: 'MatMul', inputs: ['features', 'W'], outputs: ['z'] },
    { op: 'Add', inputs: ['z', 'b'], outputs: ['logits'] },
  ],
  inputs: [['features', [1, cfg.buckets]]],
  outputs: [['logits', [1, READER_OUTPUTS]]],
  initializers: [
    { name: 'W', dims: [cfg.buckets, READER_OUTPUTS], data: weights.W },
    { name: 'b', dims: [READER_OUTPUTS], data: weights.b },
  ],
});
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'model.onnx'), onnx);
const round = (x: number) => Math.round(x * 10000) / 10000;
const figures = (t: Tally) => ({ accuracy: round(acc(t)), correct: t.correct, slots: t.slots, unlabelled: t.unlabelled });
const metrics = {
  leave_one_set_out: {
    reader_alone: figures(total.alone),
    first_readings: figures(total.rules),
    with_fills: Object.fromEntries(cfg.thresholds.map((t) => [String(t), figures(total.filled[String(t)]!)])),
    ...(overrideAt.length ? { with_fills_and_overrides: Object.fromEntries(overrideAt.map((t) => [String(t), figures(overridden[String(t)]!)])) } : {}),
    per_set: Object.fromEntries(Object.entries(perSet).map(([f, r]) => [f, { reader_alone: figures(r.alone), ...(r.rules ? { first_reading: figures(r.rules), with_fills: figures(r.filled![String(cfg.threshold)]!) } : {}) }])),
  },
  training_sets: figures(trainTally),
};
const manifest = {
  schema: 1,
  id: 'restora-reader',
  version: cfg.version,
  task: 'instruction-reader',
  file: 'model.onnx',
  sha256: createHash('sha256').update(onnx).digest('hex'),
  opset: 17,
  inputs: [{ name: 'features', dtype: 'float32', shape: [1, cfg.buckets], doc: 'hashed word features of the instruction (electron/shared/instructions/reader.ts, readerInput)' }],
  outputs: [{ name: 'logits', dtype: 'float32', shape: [1, READER_OUTPUTS], doc: 'per setting, "not stated" then each value (READER_HEADS), side by side' }],
  params: cfg.buckets * READER_OUTPUTS + READER_OUTPUTS,
  semantics: { heads: READER_HEADS.map((h) => h.key), threshold: cfg.threshold, ...(cfg.override ? { override: cfg.override } : {}) },
  training: { config: cfgPath, script: 'models/tools/train-reader.ts', sets: cfg.sets, extra: cfg.extra ?? [], epochs: cfg.epochs, lr: cfg.lr, l2: cfg.l2, seed: cfg.seed, buckets: cfg.buckets, threshold: cfg.threshold, override: cfg.override ?? null },
  metrics,
};
fs.writeFileSync(path.join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');

const pct = (x: number) => (x * 100).toFixed(1) + ' %';
const rowsPerSet = Object.entries(perSet)
  .map(([f, r]) => `| ${f} | ${pct(acc(r.alone))} | ${r.rules ? pct(acc(r.rules)) : '—'} | ${r.filled ? pct(acc(r.filled[String(cfg.threshold)]!)) : '—'} |`)
  .join('\n');
const rowsT = cfg.thresholds.map((t) => `| ${t} | ${pct(acc(total.filled[String(t)]!))} | ${total.filled[String(t)]!.correct - total.rules.correct} | ${total.filled[String(t)]!.unlabelled - total.rules.unlabelled} |`).join('\n');
const rowsO = overrideAt.map((t) => `| ${t} | ${pct(acc(overridden[String(t)]!))} | ${overridden[String(t)]!.correct - total.filled[String(cfg.threshold)]!.correct} |`).join('\n');
const overrideText = cfg.override
  ? ` Where the rules read a whole-photo setting as one of its values and it reads another with probability at least ${pct(cfg.override)}, **its reading replaces the rules'** (\`overridesFromReader\`; never a number, never a setting typed by its name such as \`grain=keep\`), and the notes say what the rules had read.`
  : '';
const card = `# restora-reader ${cfg.version}: the learned instruction reader

A linear model (${manifest.params.toLocaleString('en')} parameters: ${cfg.buckets.toLocaleString('en')} hashed word features × ${READER_OUTPUTS} outputs) that reads
every setting of an instruction at once (${READER_HEADS.length} settings: each slot for the whole photo, and the regional ones for the faces and
the background). The rule parser stays the reader of record; this model **fills settings whose slot the rules
stated nowhere**, for the whole photo, when it is at least ${pct(cfg.threshold)} sure (electron/shared/instructions/reader.ts,
\`fillFromReader\`).${overrideText} The Restore panel and \`--explain\` say when a setting came from it.

## Data
The hand-written held-out instruction sets of this repository (${cfg.sets.map((f) => '`' + f + '`').join(', ')};
${[...sets.values()].reduce((n, c) => n + c.length, 0).toLocaleString('en')} instructions)${extra.length ? `, and ${extra.length.toLocaleString('en')} labelled training instructions written for it (${(cfg.extra ?? []).map((f) => '`' + f + '`').join(', ')}: wide vocabulary for each setting, never left out)` : ''}; all written for Restora and labelled by hand in
tests/fixtures/instructions/. No outside data, no pretrained parts. The sets in \`pending/\` are never used: they stay unseen.

## Training
\`node --import tsx models/tools/train-reader.ts --config ${cfgPath}\`: multinomial logistic regression per setting,
SGD over ${cfg.epochs} epochs (rate ${cfg.lr}, decaying linearly; L2 ${cfg.l2}; shuffle seed ${cfg.seed}); ${((Date.now() - t0) / 1000).toFixed(0)} s on two CPU cores
including the measurements below.

## Measured: text the reader had not seen
Each set left out in turn, the reader trained on the others. "First reading" is the rule parser of the day the
set arrived, before any rule was written from it (tests/fixtures/instructions/first-readings/, made by
\`models/tools/first-readings.ts\`; a set whose stored first reading does not reproduce its first-measured figure
is not used for it). Accuracy is over the settings each instruction's label states.

| left out | reader alone | first reading (rules) | rules + fills at ${cfg.threshold} |
| --- | --- | --- | --- |
${rowsPerSet}
| all | ${pct(acc(total.alone))} | ${pct(acc(total.rules))} | ${pct(acc(total.filled[String(cfg.threshold)]!))} |

Fills by threshold (sets with a first reading, ${total.rules.slots} labelled settings): right settings gained, and settings
stated that the labels do not state (some are right but unlabelled, some are wrong; the labels state less when in doubt).

| threshold | accuracy | settings gained | more unlabelled |
| --- | --- | --- | --- |
${rowsT}
${overrideAt.length ? `
Overrides by threshold, with fills at ${cfg.threshold} (same settings): accuracy, and right settings gained over the fills alone.

| override at | accuracy | settings gained |
| --- | --- | --- |
${rowsO}
` : ''}
On its training sets the reader alone scores ${pct(acc(trainTally))}.

## Known failures
- Alone it is a weak reader (${pct(acc(total.alone))} on unseen sets): a bag of words does not know which region a wish is
  for, nor always which way a negation points ("never sharpen" can read as crisp). Hence it fills what the rules
  left unstated, for the whole photo, never per region${cfg.override ? `, and overrides a rule only when at least ${pct(cfg.override)} sure` : ', never overriding a rule'}.
- It learns the labelled sets' conventions, including "only X" implying that the rest is left: a short
  instruction such as "nothing drastic" can be read as leaving every kind of damage.
- English only, like the rules; text the rules decline to read (another language, markup, words to the program)
  gets no fills.

## Licence
Trained by this project on its own labelled text; same licence as Restora.
`;
fs.writeFileSync(path.join(outDir, 'MODEL_CARD.md'), card);
console.log(`wrote ${outDir}: model.onnx ${(onnx.length / 1e6).toFixed(1)} MB`);
