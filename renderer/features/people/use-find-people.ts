/**
 * The find-people job as the People view follows it: started here, or found
 * running when the view opens (it goes on in the background when the view is
 * left), with its progress, a cancel, and the last run's outcome.
 */
import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../../api/context.js';
import type { JobInfo, JobProgress } from '../../../electron/shared/jobs.js';
import type { Result } from '../../../electron/shared/contract/index.js';

export interface FindPeople {
  jobId: string | null;
  progress: JobProgress | undefined;
  /** What the last run that finished here reported (done, cancelled or failed). */
  outcome: string | null;
  start(photoIds?: number[]): Promise<void>;
  cancel(): Promise<void>;
}

function describe(info: JobInfo): string {
  if (info.state === 'cancelled') return 'Stopped. The photos looked at so far are kept; Find people goes on from there.';
  if (info.state === 'failed') return `Finding people failed: ${info.error?.message ?? 'unknown error'}`;
  const r = info.result as Result<'people.find'> | undefined;
  if (!r) return 'Done.';
  const failed = r.failed ? `; ${r.failed} photo(s) could not be read` : '';
  return `Looked at ${r.photos} photo(s): ${r.faces} face(s), ${r.clustered.people} people${failed}.`;
}

export function useFindPeople(onError: (e: unknown) => void): FindPeople {
  const api = useApi();
  const [jobId, setJobId] = useState<string | null>(null);
  const [progress, setProgress] = useState<JobProgress | undefined>();
  const [outcome, setOutcome] = useState<string | null>(null);

  useEffect(() => {
    api
      .call('jobs.list', {})
      .then((jobs) => {
        const running = jobs.find((j) => j.method === 'people.find' && (j.state === 'running' || j.state === 'queued'));
        if (running) {
          setJobId(running.jobId);
          setProgress(running.progress);
        }
      })
      .catch(onError);
  }, [api, onError]);

  useEffect(() => {
    if (!jobId) return;
    const offProgress = api.on('job.progress', (p) => {
      if (p.jobId === jobId) setProgress(p);
    });
    const offState = api.on('job.state', (info) => {
      if (info.jobId !== jobId || !['done', 'failed', 'cancelled'].includes(info.state)) return;
      setOutcome(describe(info));
      setJobId(null);
      setProgress(undefined);
    });
    return () => {
      offProgress();
      offState();
    };
  }, [api, jobId]);

  const start = useCallback(
    async (photoIds?: number[]) => {
      setOutcome(null);
      try {
        // The job runs in the background; this view follows it by id.
        void api.run('people.find', photoIds ? { photoIds } : {}, undefined, { onStart: setJobId }).catch((e: unknown) => {
          if (!(e instanceof Error && /cancel/i.test(e.message))) onError(e);
        });
      } catch (e) {
        onError(e);
      }
    },
    [api, onError],
  );
  const cancel = useCallback(async () => {
    if (jobId) await api.call('jobs.cancel', { jobId });
  }, [api, jobId]);
  return { jobId, progress, outcome, start, cancel };
}
