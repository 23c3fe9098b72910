/**
 * One job at a time for a panel: `run` takes it from start to its checked,
 * typed result (rejecting with its error, or a Cancelled error), while
 * `jobId` and `progress` drive the panel's progress bar and Cancel button.
 */
import { useCallback, useState } from 'react';
import { useApi } from './context.js';
import type { JobMethodName, Params, Result } from '../../electron/shared/contract/index.js';
import type { JobProgress } from '../../electron/shared/jobs.js';

export interface JobRunner {
  /** The running job, or null when none is. */
  jobId: string | null;
  /** Its latest progress (undefined until the first report). */
  progress: JobProgress | undefined;
  run<M extends JobMethodName>(m: M, params: Params<M>, onProgress?: (p: JobProgress) => void): Promise<Result<M>>;
  /** Asks the running job to stop; `run` then rejects with a Cancelled error. */
  cancel(): Promise<void>;
}

export function useJob(): JobRunner {
  const api = useApi();
  const [jobId, setJobId] = useState<string | null>(null);
  const [progress, setProgress] = useState<JobProgress | undefined>();

  const run = useCallback(
    async <M extends JobMethodName>(m: M, params: Params<M>, onProgress?: (p: JobProgress) => void): Promise<Result<M>> => {
      const follow = (p: JobProgress) => {
        setProgress(p);
        onProgress?.(p);
      };
      try {
        return await api.run(m, params, follow, { onStart: setJobId });
      } finally {
        setJobId(null);
        setProgress(undefined);
      }
    },
    [api],
  );
  const cancel = useCallback(async () => {
    if (jobId) await api.call('jobs.cancel', { jobId });
  }, [api, jobId]);

  return { jobId, progress, run, cancel };
}
