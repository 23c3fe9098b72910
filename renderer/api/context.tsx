/** React access to the API client and to live job state. */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { RestoraClient } from './client.js';
import type { JobInfo, JobProgress } from '../../electron/shared/jobs.js';

const ApiContext = createContext<RestoraClient | null>(null);

export function ApiProvider({ client, children }: { client: RestoraClient; children: ReactNode }) {
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>;
}

export function useApi(): RestoraClient {
  const c = useContext(ApiContext);
  if (!c) throw new Error('useApi outside ApiProvider');
  return c;
}

/** All jobs of the session, kept live from job.state / job.progress events. */
export function useJobs(): JobInfo[] {
  const api = useApi();
  const [jobs, setJobs] = useState<Map<string, JobInfo>>(new Map());
  useEffect(() => {
    let alive = true;
    api.call('jobs.list', {}).then((list) => {
      if (alive) setJobs((prev) => new Map([...list.reverse().map((j) => [j.jobId, j] as const), ...prev]));
    }).catch(() => undefined);
    // A job's own steps (the engine pass of a restore) are not rows of their own.
    const offState = api.on('job.state', (info) => {
      if (!info.parentId) setJobs((prev) => new Map(prev).set(info.jobId, info));
    });
    const offProgress = api.on('job.progress', (p: JobProgress) =>
      setJobs((prev) => {
        const j = prev.get(p.jobId);
        if (!j || (j.state !== 'running' && j.state !== 'paused')) return prev;
        return new Map(prev).set(p.jobId, { ...j, progress: p });
      }),
    );
    const offCleared = api.on('jobs.cleared', ({ jobIds }) =>
      setJobs((prev) => {
        const next = new Map(prev);
        for (const id of jobIds) next.delete(id);
        return next;
      }),
    );
    return () => {
      alive = false;
      offState();
      offProgress();
      offCleared();
    };
  }, [api]);
  return [...jobs.values()].sort((a, b) => b.submittedAt - a.submittedAt);
}
