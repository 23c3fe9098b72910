/** Turns what the analysis found into instructions a user can pick with one click. */
import type { DamageScores } from './heuristics.js';

const PRESENT = 0.25;

export function suggestInstructions(sev: Partial<DamageScores>, faceCount: number): string[] {
  const fixes: string[] = [];
  if ((sev.scratches ?? 0) > PRESENT) fixes.push('remove the scratches and dust');
  if ((sev.noise ?? 0) > PRESENT || (sev.jpeg ?? 0) > PRESENT) fixes.push('reduce the noise and compression artefacts');
  if ((sev.blur ?? 0) > PRESENT) fixes.push('sharpen the details');
  if ((sev.fade ?? 0) > PRESENT) fixes.push('bring back the contrast');
  const out: string[] = [];
  if (fixes.length) out.push(fixes.join(', '));
  if ((sev.cast ?? 0) > PRESENT && (sev.mono ?? 0) < 0.5) out.push(`${fixes.length ? fixes[0] : 'clean it up'} but keep the sepia tone`);
  if ((sev.cast ?? 0) > PRESENT) out.push('fix the colour cast');
  if ((sev.grain ?? 0) > PRESENT) out.push(`${fixes[0] ?? 'clean it up'} but keep the film grain`);
  if ((sev.mono ?? 0) > 0.5) out.push('restore it and keep it black and white');
  if (faceCount > 0) out.push(faceCount === 1 ? "make the face sharper, don't change it" : "make the faces sharper, don't change them");
  if (faceCount > 0) out.push('only restore the faces');
  if (out.length === 0) out.push('gentle clean-up');
  return [...new Set(out)].slice(0, 6);
}
