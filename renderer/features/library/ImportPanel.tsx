/** The import path field (typed, or a folder chosen with Browse), the running import (progress, ETA, cancel) and the report of the last one. */
import { useEffect, useState } from 'react';
import { useApi } from '../../api/context.js';
import { ProgressBar } from '../../components/ui/ProgressBar.js';
import { FolderPicker } from '../../components/ui/FolderField.js';
import type { Result } from '../../../electron/shared/contract/index.js';
import type { ImportState } from './use-import.js';

export function ImportForm({ imp }: { imp: ImportState }) {
  const [importPath, setImportPath] = useState('');
  const [browsing, setBrowsing] = useState(false);
  return (
    <form
      className="import-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (importPath.trim()) void imp.start([importPath.trim()]);
      }}
    >
      <input
        aria-label="Folder or file to import"
        placeholder="Folder or file to import, e.g. /home/me/Pictures/scans"
        value={importPath}
        onChange={(e) => setImportPath(e.target.value)}
      />
      <button type="button" className="secondary" onClick={() => setBrowsing(true)} aria-label="Browse for a folder" title="Choose the folder to import">
        Browse…
      </button>
      <button type="submit" disabled={!importPath.trim() || !!imp.jobId}>
        Import
      </button>
      {browsing && (
        <FolderPicker
          title="Folder to import"
          start={importPath.trim() || undefined}
          onClose={() => setBrowsing(false)}
          onPick={(p) => {
            setImportPath(p);
            setBrowsing(false);
          }}
        />
      )}
    </form>
  );
}

type Run = Result<'library.importRuns'>['runs'][number];

/** An import that was cancelled or cut short (app closed, worker killed) and still has files to do. */
function useUnfinishedRun(busy: boolean): [Run | null, () => void] {
  const api = useApi();
  const [run, setRun] = useState<Run | null>(null);
  useEffect(() => {
    if (busy) return;
    let alive = true;
    api
      .call('library.importRuns', {})
      .then((r) => alive && setRun(r.runs.find((x) => (x.state === 'interrupted' || x.state === 'cancelled') && x.pending > 0) ?? null))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [api, busy]);
  return [run, () => setRun(null)];
}

export function ImportStatus({ imp }: { imp: ImportState }) {
  const r = imp.report;
  const [unfinished, forget] = useUnfinishedRun(!!imp.jobId);
  return (
    <>
      {unfinished && !imp.jobId && (
        <div className="banner info" role="status" data-testid="import-unfinished">
          <span>
            An import of <span className="mono">{unfinished.roots.join(', ')}</span> stopped with {unfinished.pending} file{unfinished.pending === 1 ? '' : 's'} left.
          </span>
          <span>
            <button
              className="small"
              onClick={() => {
                forget();
                void imp.resume(unfinished.id);
              }}
            >
              Resume import
            </button>
            <button className="link" aria-label="Dismiss" onClick={forget}>
              ×
            </button>
          </span>
        </div>
      )}
      {imp.jobId && (
        <div className="card import-running">
          <ProgressBar progress={imp.progress} label="Import" />
          <button className="secondary" onClick={imp.cancel}>
            Cancel import
          </button>
        </div>
      )}
      {imp.message && (
        <div className="banner info" role="status" data-testid="import-message">
          <span>{imp.message}</span>
          <button className="link" aria-label="Dismiss" onClick={imp.dismiss}>
            ×
          </button>
        </div>
      )}
      {r && (
        <div className="banner info import-report" role="status" data-testid="import-report">
          <div>
            <span>
              Imported {r.imported} photo(s), {r.duplicates} already in the library, {r.skippedCount || r.skipped.length} skipped.
              {r.relinked > 0 && ` ${r.relinked} missing photo(s) found again.`}
            </span>
            {r.duplicateFiles.length > 0 && (
              <details className="skipped" open={r.duplicateFiles.length <= 5}>
                <summary>Already in the library</summary>
                <ul data-testid="duplicate-list">
                  {r.duplicateFiles.map((d) => (
                    <li key={d.path}>
                      <span className="mono">{d.path}</span> — the same picture as <span className="mono">{d.existingPath}</span>
                    </li>
                  ))}
                  {r.duplicates > r.duplicateFiles.length && <li>…and {r.duplicates - r.duplicateFiles.length} more.</li>}
                </ul>
              </details>
            )}
            {r.skipped.length > 0 && (
              <details className="skipped" open={r.skipped.length <= 5}>
                <summary>Why files were skipped</summary>
                <ul data-testid="skipped-list">
                  {r.skipped.map((s) => (
                    <li key={s.path}>
                      <span className="mono">{s.path}</span> — {s.reason}
                    </li>
                  ))}
                  {r.skippedCount > r.skipped.length && <li>…and {r.skippedCount - r.skipped.length} more.</li>}
                </ul>
              </details>
            )}
          </div>
          <button className="link" aria-label="Dismiss" onClick={imp.dismiss}>
            ×
          </button>
        </div>
      )}
    </>
  );
}
