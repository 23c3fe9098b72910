/**
 * The CLI's view of the instruction settings: `--set slot=value` (repeatable) as the contract's
 * edits, and `--explain`: what the words state before a run, and per photo what was understood in
 * the end (words, edits, what the photo decided, defaults), from the recipe.
 */
import { RestoraError } from '../shared/errors.js';
import { readInstruction } from '../node/instruction-reader.js';
import { SLOT_LABELS, SLOT_NAMES, SlotEdits, SteeringRecord, parseSlotKey, type SlotReading } from '../shared/instructions/slots.js';
import type { Recipe } from '../shared/recipe.js';
import { flagList, type ParsedArgs } from './args.js';

export const EXPLAIN_HELP = `          --set SLOT=VALUE   Override one setting (repeatable), e.g. --set grain=keep
                             --set tone=keep --set faces.sharpness=crisp
                             --set strength=0.3 (0..1: how much of the restoration
                             is kept; or gentle, normal, strong)
          --explain          Print how the instruction was understood, per photo
`;

/** `--set grain=keep --set tone=keep` as edits; a clear error for an unknown slot or value. */
export function editsFrom(args: ParsedArgs): SlotEdits | undefined {
  const list = flagList(args, 'set');
  if (!list.length) return undefined;
  const edits: Record<string, string> = {};
  for (const item of list) {
    const m = /^([a-z.]+)=([a-z_]+|[0-9.]+)$/i.exec(item.trim());
    if (!m) throw new RestoraError('BadRequest', `--set needs SLOT=VALUE (e.g. grain=keep), got "${item}"`);
    const key = m[1]!.toLowerCase();
    if (!parseSlotKey(key)) throw new RestoraError('BadRequest', `--set: unknown setting "${key}" (one of ${SLOT_NAMES.join(', ')}; faces.X or background.X for a region)`);
    edits[key] = m[2]!.toLowerCase();
  }
  const parsed = SlotEdits.safeParse(edits);
  if (!parsed.success) throw new RestoraError('BadRequest', `--set: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return parsed.data;
}

const SOURCE: Record<string, string> = { words: 'words', implied: 'implied', learned: 'reader', edit: '--set', photo: 'photo', default: 'default' };

function row(slot: string, r: { value: string; source: string; because?: string | undefined }): string {
  const label = (SLOT_LABELS as Record<string, string>)[slot] ?? slot;
  const why = r.because ? (r.source === 'words' || r.source === 'implied' ? `“${r.because}”` : r.because) : '';
  return `  ${label.padEnd(12)} ${r.value.padEnd(9)} ${(SOURCE[r.source] ?? r.source).padEnd(8)} ${why}`.trimEnd();
}

/** What the words and edits state, before anything runs. */
export function explainWords(instruction: string, edits: SlotEdits | undefined): string {
  const plan = readInstruction(instruction, edits ?? {});
  const lines = [`Instruction: ${instruction ? JSON.stringify(instruction.length > 200 ? `${instruction.slice(0, 200)}…` : instruction) : '(none)'}`];
  for (const [pass, title] of [['global', 'whole photo'], ['faces', 'faces']] as const) {
    if (pass === 'faces' && !plan.facesDiffer) continue;
    const s = plan.stated[pass];
    const keys = SLOT_NAMES.filter((k) => s[k]);
    lines.push(`Stated (${title}):${keys.length ? '' : ' nothing — the photo decides'}`);
    for (const k of keys) lines.push(row(k, s[k] as SlotReading));
  }
  for (const n of plan.notes) lines.push(`Note: ${n}`);
  return lines.join('\n');
}

/** Everything understood for one restored photo, from its recipe. */
export function explainRecipe(recipe: Recipe): string {
  const rec = SteeringRecord.safeParse(recipe.settings.steering);
  if (!rec.success) return '  (this engine recorded no settings)';
  const lines: string[] = [];
  for (const [region, settings] of Object.entries(rec.data.regions)) {
    lines.push(` ${region === 'all' ? 'Whole photo' : 'Faces'}:`);
    for (const slot of SLOT_NAMES) if (settings[slot]) lines.push(row(slot, settings[slot]!));
  }
  if (Object.keys(rec.data.canonical).length) lines.push(` Integrator read: ${Object.entries(rec.data.canonical).map(([k, v]) => `${k} “${v}”`).join('; ')}`);
  for (const n of rec.data.notes) lines.push(` Note: ${n}`);
  return lines.join('\n');
}
