/**
 * One batch job (restore.batch for library photos, restore.folder for
 * folders) followed to its end: every photo's state and progress from
 * batch.status (asked while the job runs), the batch's ETA, pause, resume
 * and cancel. What it shows belongs to the photos it was started for: a new
 * choice of photos clears a finished batch. With `reattach`, a batch still
 * running when the panel opens (the user left it while the batch ran) is
 * followed again to its end; a finished one is shown again when the panel
 * opens on the same photos (a folder batch: when it finished while the
 * panel was closed).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '../../api/context.js';
import { isCancelled } from '../../api/client.js';
import type { Params } from '../../../electron/shared/contract/index.js';
import type { BatchItem } from '../../../electron/shared/contract/batch.js';
import { isFinished, type JobProgress, type JobState } from '../../../electron/shared/jobs.js';

export type BatchMethod = 'restore.batch' | 'restore.folder';

export interface BatchRun {
  jobId: string | null;
  method: BatchMethod | null;
  state: JobState | 'idle';
  /** A pause was asked while a photo was in progress: the batch pauses after it. */
  pausing: boolean;
  items: BatchItem[];
  etaSeconds: number | null;
  progress: JobProgress | undefined;
  /** How the batch ended, in a sentence (null while it runs). */
  outcome: string | null;
  error: unknown;
  start<M extends BatchMethod>(m: M, params: Params<M>): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  cancel(): Promise<void>;
  clear(): void;
}

const POLL_MS = 500;

/** When a reattaching panel last closed (or this window opened): folder batches finished since then are shown. */
let panelLeftAt = Date.now();

/** The photos a batch was for, in a form that compares with a panel's choice. */
const photoSet = (ids: Array<number | undefined>) => ids.filter((id): id is number => id !== undefined).sort((a, b) => a - b).join(',');

function outcomeOf(items: BatchItem[], cancelled: boolean): string {
  const done = items.filter((i) => i.state === 'done').length;
  const failed = items.filter((i) => i.state === 'failed').length;
  const parts = [`Restored ${done} of ${items.length} photo${items.length === 1 ? '' : 's'}`];
  if (failed) parts.push(`${failed} failed (reasons below)`);
  if (cancelled) parts.push('the batch was cancelled; what was done is kept');
  return `${parts.join('; ')}.`;
}

export function useBatch(resetKey: string, opts: { reattach?: boolean } = {}): BatchRun {
  const api = useApi();
  const [jobId, setJobId] = useState<string | null>(null);
  const [method, setMethod] = useState<BatchMethod | null>(null);
  const [state, setState] = useState<JobState | 'idle'>('idle');
  const [pausing, setPausing] = useState(false);
  const [items, setItems] = useState<BatchItem[]>([]);
  const [etaSeconds, setEta] = useState<number | null>(null);
  const [progress, setProgress] = useState<JobProgress | undefined>();
  const [outcome, setOutcome] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const running = useRef(false);
  /** Followed after a reattach: no run() awaits it, so its end is seen from job.state. */
  const following = useRef(false);

  const clear = useCallback(() => {
    if (running.current) return;
    setJobId(null);
    setMethod(null);
    setState('idle');
    setItems([]);
    setEta(null);
    setOutcome(null);
    setError(null);
  }, []);
  // Other photos chosen: a finished batch of the old ones is not theirs.
  useEffect(clear, [resetKey, clear]);

  // While the job runs: its photos' states, and whether it is paused.
  useEffect(() => {
    if (!jobId) return;
    let alive = true;
    const poll = () =>
      api
        .call('batch.status', { jobId })
        .then((s) => {
          if (!alive) return;
          setItems(s.items);
          setEta(s.etaSeconds);
        })
        .catch(() => undefined);
    poll();
    const t = setInterval(poll, POLL_MS);
    const off = api.on('job.state', (info) => {
      if (info.jobId !== jobId) return;
      setState(info.state);
      setPausing(!!info.pauseRequested);
      // Paused or resumed: the photos' states change with it, so ask now rather than at the next tick.
      void poll();
      if (following.current && isFinished(info.state)) {
        following.current = false;
        void api
          .call('batch.status', { jobId })
          .then((last) => {
            setItems(last.items);
            setOutcome(outcomeOf(last.items, info.state === 'cancelled'));
          })
          .catch(() => undefined)
          .finally(() => {
            running.current = false;
            setJobId(null);
            setEta(null);
            setPausing(false);
            if (info.state === 'failed') setError(info.error?.message ?? 'The batch failed');
          });
      }
    });
    return () => {
      alive = false;
      clearInterval(t);
      off();
    };
  }, [api, jobId]);

  const reattach = !!opts.reattach;
  useEffect(() => {
    if (!reattach) return;
    let alive = true;
    const chosen = photoSet(resetKey ? resetKey.split(',').map(Number) : []);
    (async () => {
      const jobs = (await api.call('jobs.list', {})).filter((x) => x.method === 'restore.batch' || x.method === 'restore.folder');
      const j = jobs.find((x) => !isFinished(x.state));
      if (!alive || running.current) return;
      if (j) {
        running.current = true;
        following.current = true;
        setMethod(j.method as BatchMethod);
        setState(j.state);
        setPausing(!!j.pauseRequested);
        setJobId(j.jobId);
        return;
      }
      // Nothing running: the newest finished batch, if it belongs here.
      const last = jobs.filter((x) => x.finishedAt !== undefined).sort((a, b) => b.finishedAt! - a.finishedAt!)[0];
      if (!last || (last.method === 'restore.folder' && (chosen !== '' || last.finishedAt! < panelLeftAt))) return;
      const status = await api.call('batch.status', { jobId: last.jobId });
      if (!alive || running.current || (last.method === 'restore.batch' && photoSet(status.items.map((i) => i.photoId)) !== chosen)) return;
      setMethod(last.method as BatchMethod);
      setState(last.state);
      setItems(status.items);
      setOutcome(outcomeOf(status.items, last.state === 'cancelled'));
      if (last.state === 'failed') setError(last.error?.message ?? 'The batch failed');
    })().catch(() => undefined);
    return () => {
      alive = false;
      panelLeftAt = Date.now();
    };
  }, [api, reattach, resetKey]);

  const start = useCallback(
    async <M extends BatchMethod>(m: M, params: Params<M>) => {
      running.current = true;
      setMethod(m);
      setItems([]);
      setOutcome(null);
      setError(null);
      setState('queued');
      let id: string | null = null;
      try {
        const r = await api.run(m, params, setProgress, {
          onStart: (jid) => {
            id = jid;
            setJobId(jid);
          },
        });
        setItems(r.items);
        setState('done');
        setOutcome(outcomeOf(r.items, false));
      } catch (e) {
        const cancelled = isCancelled(e);
        setState(cancelled ? 'cancelled' : 'failed');
        if (!cancelled) setError(e);
        if (id) {
          const last = await api.call('batch.status', { jobId: id }).catch(() => null);
          if (last) {
            setItems(last.items);
            setOutcome(outcomeOf(last.items, cancelled));
          }
        }
      } finally {
        running.current = false;
        setJobId(null);
        setProgress(undefined);
        setPausing(false);
        setEta(null);
      }
    },
    [api],
  );

  return {
    jobId,
    method,
    state,
    pausing,
    items,
    etaSeconds,
    progress,
    outcome,
    error,
    start,
    pause: async () => {
      if (!jobId) return;
      const info = await api.call('jobs.pause', { jobId });
      setState(info.state);
      setPausing(!!info.pauseRequested);
    },
    resume: async () => {
      if (!jobId) return;
      const info = await api.call('jobs.resume', { jobId });
      setState(info.state);
      setPausing(false);
    },
    cancel: async () => {
      if (jobId) await api.call('jobs.cancel', { jobId });
    },
    clear,
  };
}
