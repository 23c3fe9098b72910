/** Events pushed from the services to every UI client. */
import { z } from 'zod';
import { JobInfo, JobProgress } from '../jobs.js';
import { WorkerStatus } from './host.js';

export const events = {
  /** A running job moved forward. Throttled to a few per second. */
  'job.progress': JobProgress,
  /** A job changed state (queued, running, done, failed, cancelled). */
  'job.state': JobInfo,
  /** Finished jobs were cleared from the list. */
  'jobs.cleared': z.object({ jobIds: z.array(z.string()).max(1000) }),
  /** A worker process started, crashed or was restarted. */
  'worker.status': WorkerStatus,
  /** The catalog changed; views showing these entities should refresh. */
  'library.changed': z.object({
    entity: z.enum(['photos', 'versions', 'albums', 'tags', 'people', 'all']),
    ids: z.array(z.number().int()).max(10_000).optional(),
  }),
} as const;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;
