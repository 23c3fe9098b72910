/** A progress bar with stage, message and ETA. */
import { formatDuration } from '../../../electron/shared/eta.js';
import type { JobProgress } from '../../../electron/shared/jobs.js';

export function ProgressBar({ progress, label }: { progress?: JobProgress | undefined; label?: string }) {
  const pct = Math.round((progress?.fraction ?? 0) * 100);
  return (
    <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-label={label ?? 'Progress'}>
      <div className="progress-track">
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      <div className="progress-text">
        <span>{progress?.message ?? progress?.stage ?? 'Waiting…'}</span>
        <span className="progress-eta">
          {pct}% · {progress?.etaSeconds != null ? `${formatDuration(progress.etaSeconds)} left` : 'estimating…'}
        </span>
      </div>
    </div>
  );
}
