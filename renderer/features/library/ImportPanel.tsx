/** The import path field, the running import (progress, ETA, cancel) and the report of the last one. */
import { useState } from 'react';
import { ProgressBar } from '../../components/ui/ProgressBar.js';
import type { ImportState } from './use-import.js';

export function ImportForm({ imp }: { imp: ImportState }) {
  const [importPath, setImportPath] = useState('');
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
      <button type="submit" disabled={!importPath.trim() || !!imp.jobId}>
        Import
      </button>
    </form>
  );
}

export function ImportStatus({ imp }: { imp: ImportState }) {
  const r = imp.report;
  return (
    <>
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
