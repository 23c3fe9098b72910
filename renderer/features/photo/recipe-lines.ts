/**
 * A version's recipe as the lines the recipe view shows: everything that
 * decided the result (the instruction and what it was understood as, mode,
 * fidelity, the tone decision, the repair mask, crop and turns, the adapter,
 * the models with their versions, the seed, the device). Pure, so each line
 * is tested without a browser.
 */
import { describeGeometry, type Geometry } from '../../../electron/shared/geometry.js';
import type { Recipe } from '../../../electron/shared/recipe.js';

export interface RecipeLine {
  label: string;
  value: string;
}

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const pct = (n: unknown) => (typeof n === 'number' ? `${(n * 100).toFixed(n < 0.01 && n > 0 ? 2 : 1)} %` : '—');

export function recipeLines(recipe: Recipe): RecipeLine[] {
  const s = recipe.settings;
  const requested = obj(s.requested);
  const lines: RecipeLine[] = [];
  lines.push({ label: 'Instruction', value: recipe.instruction ? `“${recipe.instruction}”` : 'none (Restora fixed what it found)' });
  const understood = obj(s.understood);
  const tokens = Object.keys(understood).length ? Object.entries(understood).map(([k, v]) => `${k}: ${String(v)}`) : recipe.semanticTokens;
  lines.push({ label: 'Understood as', value: tokens.length ? tokens.join(', ') : '—' });
  const parts = obj(s.instructionParts);
  if (typeof parts.scope === 'string' && parts.scope !== 'all') lines.push({ label: 'Applied to', value: String(parts.scope) });
  const gen = obj(s.generative);
  lines.push({ label: 'Mode', value: recipe.mode === 'generative' ? `generative (${String(gen.steps ?? '?')} steps, guidance ${String(gen.guidance ?? '?')}${gen.deterministic === false ? ', a variation' : ', repeatable'})` : 'fast' });
  lines.push({ label: 'Fidelity', value: `${recipe.fidelity} (0 = most detail, 1 = closest to the photo)` });
  const tone = obj(s.toneDecision);
  const actions = Array.isArray(tone.actions) ? tone.actions.map(String) : [];
  lines.push({ label: 'Tone', value: actions.length ? `${actions.join(', ')}${typeof tone.because === 'string' ? ` — ${tone.because}` : ''}` : s.tone ? 'colour corrected' : 'left as it was' });
  const damage = obj(s.damage);
  const damageText =
    damage.source === 'user'
      ? `your mask (${pct(damage.repaired)} repaired)`
      : damage.source === 'detected'
        ? `detected${Array.isArray(damage.kinds) && damage.kinds.length ? ` (${damage.kinds.join(', ')})` : ''}, ${pct(damage.repaired)} of the photo repaired`
        : damage.source === 'off'
          ? 'not repaired (switched off)'
          : damage.source === 'unavailable'
            ? 'not repaired (no damage detector)'
            : 'none';
  lines.push({ label: 'Repair mask', value: `${damageText}${typeof damage.mask === 'string' ? ` · ${damage.mask}` : ''}` });
  const geometry = (s.geometry ?? requested.geometry) as Geometry | undefined;
  lines.push({ label: 'Crop and turn', value: describeGeometry(geometry) ?? 'none' });
  lines.push({ label: 'Adapter', value: recipe.adapter ?? 'none (the base model)' });
  lines.push({ label: 'Models', value: recipe.models.length ? recipe.models.map((m) => `${m.id} ${m.version} (${m.sha256.slice(0, 12)})`).join(', ') : 'classical filters (no model)' });
  lines.push({ label: 'Seed', value: recipe.seed === null ? 'none (fast mode is deterministic)' : String(recipe.seed) });
  const faces = Array.isArray(s.faces) ? s.faces.length : 0;
  lines.push({ label: 'Faces', value: Array.isArray(requested.faces) ? `${faces} restored (chosen by hand)` : `${faces} found and restored` });
  lines.push({ label: 'Ran on', value: `${recipe.executionProvider}${typeof s.tileSize === 'number' ? `, ${s.tileSize} px tiles` : ''}, ${recipe.totalSeconds.toFixed(1)} s, Restora ${recipe.engineVersion}` });
  if (Array.isArray(s.notices) && s.notices.length) lines.push({ label: 'Notes', value: s.notices.map(String).join(' ') });
  return lines;
}
