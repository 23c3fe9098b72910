/**
 * The jobs of the session, one row each (the steps a job runs for itself are
 * not rows of their own): a human name, when it started and how long it took,
 * progress with ETA, what it made (with a link showing those photos in the
 * Library), pause and resume for batches, cancel, and "Clear finished".
 */
import { useApi, useJobs } from '../../api/context.js';
import { ProgressBar } from '../../components/ui/ProgressBar.js';
import { EmptyState } from '../../components/ui/Notice.js';
import { formatDuration } from '../../../electron/shared/eta.js';
import type { JobInfo } from '../../../electron/shared/jobs.js';
import { startedAt, summarizeResult } from './job-summary.js';

const FINISHED = new Set(['done', 'failed', 'cancelled']);

function duration(j: JobInfo): string | null {
  if (!j.startedAt) return null;
  if (j.finishedAt) return formatDuration((j.finishedAt - j.startedAt) / 1000);
  return j.progress ? formatDuration(j.progress.elapsedSeconds) : null;
}

export function JobsPanel({ onShowPhotos }: { onShowPhotos?(ids: number[], label: string): void }) {
  const api = useApi();
  const jobs = useJobs();
  if (jobs.length === 0) {
    return <EmptyState title="No jobs yet">Imports, restorations and training runs appear here with their progress.</EmptyState>;
  }
  const finished = jobs.filter((j) => FINISHED.has(j.state)).length;
  return (
    <section className="jobs" aria-label="Jobs panel">
      <div className="jobs-bar">
        <span className="muted">
          {jobs.length} job(s), {finished} finished
        </span>
        <button className="secondary small" disabled={finished === 0} onClick={() => void api.call('jobs.clear', {})}>
          Clear finished
        </button>
      </div>
      <ul className="job-list" aria-label="Jobs">
        {jobs.map((j) => {
          const made = summarizeResult(j);
          const took = duration(j);
          return (
            <li key={j.jobId} className={`job ${j.state}`} data-job-id={j.jobId} data-state={j.state}>
              <div className="job-head">
                <strong>{j.label}</strong>
                <span className={`badge ${j.state}`}>{j.pauseRequested ? 'pausing' : j.state}</span>
                <span className="muted" data-testid="job-time">
                  started {startedAt(j.startedAt ?? j.submittedAt)}
                  {took ? ` · ${took}` : ''}
                </span>
                {j.pausable && j.state === 'running' && !j.pauseRequested && (
                  <button className="secondary" onClick={() => void api.call('jobs.pause', { jobId: j.jobId })}>
                    Pause
                  </button>
                )}
                {j.pausable && (j.state === 'paused' || j.pauseRequested) && (
                  <button className="secondary" onClick={() => void api.call('jobs.resume', { jobId: j.jobId })}>
                    Resume
                  </button>
                )}
                {(j.state === 'running' || j.state === 'queued' || j.state === 'paused') && (
                  <button className="secondary" onClick={() => void api.call('jobs.cancel', { jobId: j.jobId })}>
                    Cancel
                  </button>
                )}
              </div>
              {(j.state === 'running' || j.state === 'paused') && <ProgressBar progress={j.progress} label={j.label} />}
              {made && (
                <div className="job-result" data-testid="job-result">
                  {made.text}
                  {onShowPhotos && made.photoIds.length > 0 && (
                    <>
                      {' '}
                      <button className="link small" onClick={() => onShowPhotos(made.photoIds, `What “${j.label}” made`)}>
                        Show in Library
                      </button>
                    </>
                  )}
                </div>
              )}
              {j.error && j.state === 'failed' && <div className="job-error">{j.error.message}</div>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
