/**
 * The instruction as every part of the engine (and the CLI's --explain) reads it: the rule parser, plus
 * the learned reader (models/zoo/restora-reader, electron/shared/instructions/reader.ts) where one is
 * installed, so the restore, the tone policy, the damage repair and the explanation agree. The reader is
 * a MatMul + Add graph small enough to run here without ONNX Runtime: its two constants are read from the
 * ONNX file once (hash checked) and kept while the file is unchanged. A missing or broken reader leaves
 * the rules alone, with the reason logged once.
 */
import fs from 'node:fs';
import { scanModels, verifyHash, type RegisteredModel } from './model-registry.js';
import { readOnnxConstants } from './onnx-constants.js';
import { shippedModelsDir } from './app-paths.js';
import { parseInstruction, type ParsedInstruction } from '../shared/instructions/parse.js';
import { planInstruction, type InstructionPlan } from '../shared/instructions/plan.js';
import { READER_HEADS, READER_OUTPUTS, type InstructionReader } from '../shared/instructions/reader.js';
import type { SlotEdits } from '../shared/instructions/slots.js';
import { useDictionary } from '../shared/instructions/normalise.js';
import { isEnglishWord } from './english-words.js';

// Whoever reads instructions on this side corrects typos only where a word is not an English word.
useDictionary(isEnglishWord);

type ModelDirs = () => Array<{ dir: string; source: 'shipped' | 'user' }>;
let modelDirs: ModelDirs = () => [{ dir: shippedModelsDir(), source: 'shipped' }];

/** Where to look for the reader (the engine adds the user's model folder). */
export function readerModelDirs(dirs: ModelDirs): void {
  modelDirs = dirs;
}

const loaded = new Map<string, { stamp: string; reader: InstructionReader | null }>();
const reported = new Set<string>();

/** The reader in a registered model's files, or why it cannot be used. */
export function loadReader(model: RegisteredModel): InstructionReader | string {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(model.file);
  } catch (err) {
    return `its ONNX file could not be read (${(err as Error).message})`;
  }
  // the bytes checked are the bytes read
  const problem = verifyHash(model, bytes);
  if (problem) return problem;
  const m = model.manifest!;
  let parsed: ReturnType<typeof readOnnxConstants>;
  try {
    parsed = readOnnxConstants(bytes);
  } catch (err) {
    return `its ONNX file could not be read (${(err as Error).message})`;
  }
  const W = parsed.constants.get('W'), b = parsed.constants.get('b');
  if (parsed.ops.join(',') !== 'MatMul,Add' || !W || !b) return 'it is not a MatMul + Add graph with constants W and b';
  const heads = (m.semantics as { heads?: unknown } | undefined)?.heads;
  if (!Array.isArray(heads) || heads.join(',') !== READER_HEADS.map((h) => h.key).join(',')) return 'its settings are not the ones this version of Restora reads';
  if (W.dims.length !== 2 || W.dims[1] !== READER_OUTPUTS || b.data.length !== READER_OUTPUTS) return `its outputs are not the ${READER_OUTPUTS} this version reads`;
  if (!(W.dims[0]! >= 1) || ![...W.data.subarray(0, 4096), ...b.data].every(Number.isFinite)) return 'its weights are empty or not finite numbers';
  const threshold = Number((m.semantics as { threshold?: unknown }).threshold);
  if (!(threshold > 0 && threshold <= 1)) return 'its manifest has no threshold between 0 and 1';
  const o = (m.semantics as { override?: unknown }).override;
  const override = o === undefined ? undefined : Number(o);
  if (override !== undefined && !(override >= threshold && override <= 1)) return 'its override threshold is not between its threshold and 1';
  return { weights: { buckets: W.dims[0]!, W: W.data, b: b.data }, threshold, ...(override !== undefined ? { override } : {}), name: `${m.id} ${m.version}` };
}

/** The installed learned reader (a user's one first, when it loads), or null: then the rules read alone. */
export function instructionReader(): InstructionReader | null {
  // Each folder on its own, a user's first: a user copy that fails its checks leaves the shipped one in use.
  const dirs = modelDirs();
  const usable = [...dirs.filter((d) => d.source === 'user'), ...dirs.filter((d) => d.source === 'shipped')].flatMap((d) => scanModels([d]).filter((m) => m.ok && m.manifest?.task === 'instruction-reader'));
  for (const model of usable) {
    let stamp = '';
    try {
      const st = fs.statSync(model.file);
      stamp = `${st.size}:${st.mtimeMs}:${model.manifest!.sha256}`;
    } catch {
      continue;
    }
    let hit = loaded.get(model.file);
    if (!hit || hit.stamp !== stamp) {
      const r = loadReader(model);
      hit = { stamp, reader: typeof r === 'string' ? null : r };
      loaded.set(model.file, hit);
      if (typeof r === 'string' && !reported.has(model.file + stamp)) {
        reported.add(model.file + stamp);
        console.warn(`The instruction reader in ${model.dir} is not used: ${r}.`);
      }
    }
    if (hit.reader) return hit.reader;
  }
  return null;
}

/** The parser's reading with the installed reader's fills. */
export function parseWithReader(text: string): ParsedInstruction {
  return parseInstruction(text, instructionReader());
}

/** planInstruction with the installed reader's fills: what each pass is told. */
export function readInstruction(text: string, edits: SlotEdits = {}): InstructionPlan {
  return planInstruction(text, edits, instructionReader());
}
