/**
 * Import as the library view drives it: start library.import for some paths,
 * follow its progress (with ETA), cancel it, and keep the final report with
 * every skipped file and why.
 */
import { useCallback, useState } from 'react';
import { isCancelled } from '../../api/client.js';
import { useJob } from '../../api/use-job.js';
import type { JobProgress } from '../../../electron/shared/jobs.js';
import type { Result } from '../../../electron/shared/contract/index.js';

export type ImportReport = Result<'library.import'>;

export interface ImportState {
  jobId: string | null;
  progress: JobProgress | undefined;
  report: ImportReport | null;
  /** Shown instead of a report (cancelled, or a hint about drag and drop). */
  message: string | null;
  start(paths: string[]): Promise<void>;
  /** Continues a cancelled or interrupted run with the files it had not done. */
  resume(runId: number): Promise<void>;
  cancel(): void;
  dismiss(): void;
  say(message: string): void;
}

export function useImport(onError: (e: unknown) => void): ImportState {
  const job = useJob();
  const [report, setReport] = useState<ImportReport | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const { run } = job;

  const follow = useCallback(
    async (importing: () => Promise<ImportReport>) => {
      setReport(null);
      setMessage(null);
      try {
        setReport(await importing());
      } catch (e) {
        if (isCancelled(e)) setMessage('Import cancelled. The photos imported so far are kept; “Resume import” finishes the rest (nothing is imported twice).');
        else onError(e);
      }
    },
    [onError],
  );
  const start = useCallback((paths: string[]) => follow(() => run('library.import', { paths: paths.slice(0, 1000) })), [run, follow]);
  const resume = useCallback((runId: number) => follow(() => run('library.resumeImport', { runId })), [run, follow]);

  return {
    jobId: job.jobId,
    progress: job.progress,
    report,
    message,
    start,
    resume,
    cancel: () => void job.cancel().catch(onError),
    dismiss: () => {
      setReport(null);
      setMessage(null);
    },
    say: (m) => {
      setReport(null);
      setMessage(m);
    },
  };
}

/** Paths a drop carries. Browsers give File objects without paths; file:// URIs (from file managers) do carry them. */
export function droppedPaths(dt: DataTransfer): { paths: string[]; files: number } {
  const paths: string[] = [];
  const uriList = dt.getData('text/uri-list') || '';
  for (const line of uriList.split(/\r?\n/)) {
    const l = line.trim();
    if (!l || l.startsWith('#') || !l.startsWith('file://')) continue;
    try {
      const u = new URL(l);
      let p = decodeURIComponent(u.pathname);
      if (/^\/[A-Za-z]:\//.test(p)) p = p.slice(1).replace(/\//g, '\\');
      paths.push(p);
    } catch {
      // not a usable URI
    }
  }
  if (paths.length === 0) {
    const text = (dt.getData('text/plain') || '').trim();
    if (/^(\/|[A-Za-z]:\\)/.test(text) && !text.includes('\n')) paths.push(text);
  }
  // Electron: the preload may expose webUtils.getPathForFile as window.restora.pathForFile.
  const bridge = (window as unknown as { restora?: { pathForFile?: (f: File) => string } }).restora;
  if (paths.length === 0 && bridge?.pathForFile) {
    for (const f of Array.from(dt.files)) {
      const p = bridge.pathForFile(f);
      if (p) paths.push(p);
    }
  }
  return { paths, files: dt.files.length };
}
