/** What the analysis found in the photo: damage bars, the damage detector's marked area by kind, faces, and one-click instruction suggestions. */
import type { Analysis } from '../../../electron/shared/contract/engine.js';

const LABELS: Record<string, string> = {
  scratches: 'Scratches & dust',
  noise: 'Noise',
  blur: 'Blur',
  jpeg: 'Compression',
  fade: 'Fading',
  cast: 'Colour cast',
  grain: 'Film grain',
  mono: 'Black & white',
};

const KIND_LABELS: Record<string, string> = { scratch: 'scratches', dust: 'dust', blotch: 'stains', tear: 'tears' };

/** "Damage marked on 1.2% of the photo: scratches 0.8%, dust 0.4%." from the detector's shares. */
function damageLine(area: Record<string, number>): string {
  const pct = (v: number) => `${v >= 0.001 ? (v * 100).toFixed(1) : '<0.1'}%`;
  if (!area.any) return 'No damage marked by the damage detector; the repair will leave the photo as it is.';
  const kinds = Object.entries(KIND_LABELS).filter(([k]) => (area[k] ?? 0) > 0).map(([k, label]) => `${label} ${pct(area[k]!)}`);
  return `Damage marked on ${pct(area.any)} of the photo, repaired before restoring: ${kinds.join(', ')}.`;
}

export function AnalysisPanel({ analysis, onPick }: { analysis: Analysis; onPick(instruction: string): void }) {
  return (
    <div className="analysis" data-testid="analysis">
      <div className="severity-list">
        {Object.entries(analysis.severity)
          .filter(([k]) => k in LABELS)
          .map(([k, v]) => (
            <div key={k} className="severity" title={`${LABELS[k]}: ${Math.round(v * 100)}%`}>
              <span className="severity-name">{LABELS[k]}</span>
              <span className="severity-track">
                <span className="severity-fill" style={{ width: `${Math.round(v * 100)}%` }} />
              </span>
            </div>
          ))}
        <p className="muted small">
          {analysis.source === 'model' ? 'Estimated by the damage model.' : 'Estimated with classical measures (no damage model installed).'}{' '}
          {analysis.facesDetected ? `${analysis.faces.length} face${analysis.faces.length === 1 ? '' : 's'} found.` : ''}
        </p>
        {analysis.damageArea && (
          <p className="muted small" data-testid="damage-area">
            {damageLine(analysis.damageArea)}
          </p>
        )}
        {analysis.notes.map((n) => (
          <p key={n} className="muted small">
            {n}
          </p>
        ))}
      </div>
      <div className="suggestions" aria-label="Suggested instructions">
        {analysis.suggestions.map((s) => (
          <button key={s} className="chip" onClick={() => onPick(s)}>
            {s}
          </button>
        ))}
      </div>
    </div>
  );
}
