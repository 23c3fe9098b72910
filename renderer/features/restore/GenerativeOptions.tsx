/** The generative mode's own controls: fidelity, refiner steps, and a variation seed. */
import { clampSeed, type RestoreForm } from './restore-settings.js';

export function GenerativeOptions({ form, onChange }: { form: RestoreForm; onChange(patch: Partial<RestoreForm>): void }) {
  return (
    <>
      <label className="field inline" title="Low: more generated detail. High: closer to the original.">
        <span>Fidelity {form.fidelity.toFixed(2)}</span>
        <input aria-label="Fidelity" type="range" min={0} max={1} step={0.05} value={form.fidelity} onChange={(e) => onChange({ fidelity: Number(e.target.value) })} />
      </label>
      <label className="field inline" title="More steps: slower, sometimes finer detail.">
        <span>Steps</span>
        <select aria-label="Steps" value={form.steps} onChange={(e) => onChange({ steps: Number(e.target.value) })}>
          {[2, 4, 6, 8].map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <label className="field inline" title="Off: the same photo and settings always give the same result. On: a different variation for each seed.">
        <span>
          <input aria-label="Variation" type="checkbox" checked={form.variation} onChange={(e) => onChange({ variation: e.target.checked })} /> Variation
        </span>
        {form.variation && <input aria-label="Seed" type="number" min={0} max={4294967295} step={1} value={form.seed} onChange={(e) => onChange({ seed: clampSeed(e.target.value) })} />}
      </label>
    </>
  );
}
