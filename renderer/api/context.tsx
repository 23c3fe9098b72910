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
    const offState = api.on('job.state', (info) => setJobs((prev) => new Map(prev).set(info.jobId, info)));
    const offProgress = api.on('job.progress', (p: JobProgress) =>
      setJobs((prev) => {
        const j = prev.get(p.jobId);
        if (!j || j.state !== 'running') return prev;
        return new Map(prev).set(p.jobId, { ...j, progress: p });
      }),
    );
    return () => {
      alive = false;
      offState();
      offProgress();
    };
  }, [api]);
  return [...jobs.values()].sort((a, b) => b.submittedAt - a.submittedAt);
}
