/**
 * The Restore panel's two jobs: a preview of one region of the first photo,
 * and restoring every chosen photo in turn (each becomes a new version). A
 * cancelled photo stops the batch; one that fails is reported and the batch
 * goes on. Opening other photos clears what the last ones showed.
 */
import { useEffect, useState } from 'react';
import { isCancelled } from '../../api/client.js';
import { useJob } from '../../api/use-job.js';
import type { Region } from '../../../electron/shared/contract/engine.js';
import type { Result } from '../../../electron/shared/contract/index.js';
import type { RestoreSettings } from '../../../electron/shared/recipe.js';
import type { JobProgress } from '../../../electron/shared/jobs.js';

export type Preview = Result<'restore.preview'>;
export type Restored = Result<'restore.photo'>;

export interface RestoreJobs {
  /** The running job, or null. */
  jobId: string | null;
  progress: JobProgress | undefined;
  /** What the progress bar calls the running job ("Preview", "Photo 2 of 5"). */
  label: string;
  preview: Preview | null;
  /** The versions the last batch made. */
  results: Restored[];
  /** What the last batch came to, for the status line. */
  status: string | null;
  /** `editedMask`: repair the mask the user edited and sent for this photo. */
  runPreview(photoId: number, settings: RestoreSettings, region: Region, editedMask?: boolean): Promise<void>;
  /** `editedMask`: the first photo repairs the mask the user edited for it (the others find their own damage). */
  restoreAll(photoIds: readonly number[], settings: RestoreSettings, editedMask?: boolean): Promise<void>;
  cancel(): Promise<void>;
}

export function useRestoreJobs(first: number | undefined, onError: (e: unknown) => void): RestoreJobs {
  const job = useJob();
  const [label, setLabel] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [results, setResults] = useState<Restored[]>([]);
  const [status, setStatus] = useState<string | null>(null);

  useEffect(() => {
    setResults([]);
    setStatus(null);
    setPreview(null);
  }, [first]);

  return {
    jobId: job.jobId,
    progress: job.progress,
    label,
    preview,
    results,
    status,
    async runPreview(photoId, settings, region, editedMask) {
      setLabel('Preview');
      try {
        setPreview(await job.run('restore.preview', { photoId, settings, region, ...(editedMask ? { editedMask } : {}) }));
      } catch (e) {
        if (!isCancelled(e)) onError(e);
      }
    },
    async restoreAll(photoIds, settings, editedMask) {
      setStatus(null);
      const done: Restored[] = [];
      for (const [i, photoId] of photoIds.entries()) {
        setLabel(photoIds.length > 1 ? `Photo ${i + 1} of ${photoIds.length}` : 'Restoring');
        try {
          done.push(await job.run('restore.photo', { photoId, settings, ...(editedMask && i === 0 ? { editedMask } : {}) }));
        } catch (e) {
          if (isCancelled(e)) {
            setStatus('Cancelled. Nothing was saved for the cancelled photo.');
            break;
          }
          onError(e);
        }
      }
      setResults(done);
      if (done.length) setStatus(`Restored ${done.length} photo(s); each result is a new version beside its original.`);
    },
    cancel: job.cancel,
  };
}
