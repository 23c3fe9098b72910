/** What the analysis found in the photo: damage bars, faces, and one-click instruction suggestions. */
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
