/** The training loss as it arrives: an SVG line (restoration loss) with a smoothed overlay. */
import type { LossPoint } from '../../../electron/shared/contract/finetune.js';

const W = 480, H = 160, PAD = 28;

export function LossChart({ points, steps }: { points: LossPoint[]; steps: number }) {
  if (!points.length) return <p className="muted small">The loss appears here once training starts.</p>;
  const ys = points.map((p) => p.loss);
  const lo = Math.min(...ys), hi = Math.max(...ys);
  const span = hi - lo || Math.abs(hi) || 1;
  const x = (step: number) => PAD + ((W - 2 * PAD) * step) / Math.max(1, steps);
  const y = (v: number) => H - PAD - ((H - 2 * PAD) * (v - lo)) / span;
  const line = points.map((p) => `${x(p.step).toFixed(1)},${y(p.loss).toFixed(1)}`).join(' ');
  // Exponential moving average: the trend a user should read.
  let ema = ys[0]!;
  const smooth = points.map((p) => `${x(p.step).toFixed(1)},${y((ema = 0.8 * ema + 0.2 * p.loss)).toFixed(1)}`).join(' ');
  const last = points[points.length - 1]!;
  return (
    <figure className="loss-chart" data-testid="loss-chart" data-points={points.length}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Training loss, ${points.length} steps, latest ${last.loss.toExponential(2)}`}>
        <line x1={PAD} y1={H - PAD} x2={W - PAD} y2={H - PAD} className="axis" />
        <line x1={PAD} y1={PAD} x2={PAD} y2={H - PAD} className="axis" />
        <text x={PAD} y={PAD - 8} className="tick">{hi.toExponential(1)}</text>
        <text x={PAD} y={H - 8} className="tick">{lo.toExponential(1)}</text>
        <text x={W - PAD} y={H - 8} className="tick" textAnchor="end">step {steps}</text>
        <polyline points={line} className="raw" data-testid="loss-line" />
        <polyline points={smooth} className="smooth" />
      </svg>
      <figcaption className="muted small">
        Step {last.step}: loss {last.loss.toExponential(3)}
        {last.preference !== null ? `, preference ${last.preference.toFixed(3)}` : ''}
      </figcaption>
    </figure>
  );
}
