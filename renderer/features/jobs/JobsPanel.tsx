/** Every job of the session: state, progress with ETA, errors, and a cancel button. */
import { useApi, useJobs } from '../../api/context.js';
import { ProgressBar } from '../../components/ui/ProgressBar.js';
import { EmptyState } from '../../components/ui/Notice.js';
import { formatDuration } from '../../../electron/shared/eta.js';

export function JobsPanel() {
  const api = useApi();
  const jobs = useJobs();
  if (jobs.length === 0) {
    return <EmptyState title="No jobs yet">Imports, restorations and training runs appear here with their progress.</EmptyState>;
  }
  return (
    <ul className="job-list" aria-label="Jobs">
      {jobs.map((j) => (
        <li key={j.jobId} className={`job ${j.state}`} data-job-id={j.jobId} data-state={j.state}>
          <div className="job-head">
            <strong>{j.label}</strong>
            <span className={`badge ${j.state}`}>{j.state}</span>
            {j.finishedAt && j.startedAt && <span className="muted">{formatDuration((j.finishedAt - j.startedAt) / 1000)}</span>}
            {(j.state === 'running' || j.state === 'queued') && (
              <button className="secondary" onClick={() => void api.call('jobs.cancel', { jobId: j.jobId })}>
                Cancel
              </button>
            )}
          </div>
          {j.state === 'running' && <ProgressBar progress={j.progress} label={j.label} />}
          {j.error && j.state === 'failed' && <div className="job-error">{j.error.message}</div>}
        </li>
      ))}
    </ul>
  );
}
