/** The library: import folders, search, a grid of thumbnails, and selection for restoring. */
import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../../api/context.js';
import { ProgressBar } from '../../components/ui/ProgressBar.js';
import { EmptyState, ErrorNotice } from '../../components/ui/Notice.js';
import type { JobProgress } from '../../../electron/shared/jobs.js';
import type { PhotoSummary } from '../../../electron/shared/contract/library.js';

export function LibraryView({ onRestore }: { onRestore(ids: number[]): void }) {
  const api = useApi();
  const [photos, setPhotos] = useState<PhotoSummary[]>([]);
  const [total, setTotal] = useState(0);
  const [query, setQuery] = useState('');
  const [importPath, setImportPath] = useState('');
  const [importing, setImporting] = useState<string | null>(null);
  const [progress, setProgress] = useState<JobProgress | undefined>();
  const [report, setReport] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [selected, setSelected] = useState<Set<number>>(new Set());

  const load = useCallback(() => {
    api
      .call('library.listPhotos', { offset: 0, limit: 500, query })
      .then((r) => {
        setPhotos(r.items);
        setTotal(r.total);
      })
      .catch(setError);
  }, [api, query]);
  useEffect(load, [load]);
  useEffect(() => api.on('library.changed', load), [api, load]);

  const runImport = async () => {
    setError(null);
    setReport(null);
    try {
      const jobId = await api.start('library.import', { paths: [importPath.trim()] });
      setImporting(jobId);
      const done = await api.wait(jobId, setProgress);
      if (done.state === 'done') {
        const r = done.result as { imported: number; duplicates: number; skipped: Array<{ path: string; reason: string }> };
        setReport(`Imported ${r.imported} photo(s), ${r.duplicates} already in the library, ${r.skipped.length} skipped.${r.skipped.length ? ` ${r.skipped.slice(0, 3).map((s) => `${s.path}: ${s.reason}`).join('; ')}` : ''}`);
      } else if (done.state === 'cancelled') setReport('Import cancelled. Photos imported so far are kept.');
      else if (done.error) setError(new Error(done.error.message));
      load();
    } catch (e) {
      setError(e);
    } finally {
      setImporting(null);
      setProgress(undefined);
    }
  };

  const toggle = (id: number, additive: boolean) =>
    setSelected((prev) => {
      const next = new Set(additive ? prev : []);
      if (prev.has(id) && additive) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <div className="library">
      <div className="toolbar">
        <form
          className="import-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (importPath.trim()) void runImport();
          }}
        >
          <input aria-label="Folder or file to import" placeholder="Folder or file to import, e.g. /home/me/Pictures/scans" value={importPath} onChange={(e) => setImportPath(e.target.value)} />
          <button type="submit" disabled={!importPath.trim() || !!importing}>
            Import
          </button>
        </form>
        <input className="search" type="search" aria-label="Search photos" placeholder="Search names, folders, tags…" value={query} onChange={(e) => setQuery(e.target.value)} />
        <button disabled={selected.size === 0} onClick={() => onRestore([...selected])}>
          Restore {selected.size > 0 ? `(${selected.size})` : ''}
        </button>
      </div>
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
      {importing && (
        <div className="card">
          <ProgressBar progress={progress} label="Import" />
          <button className="secondary" onClick={() => void api.call('jobs.cancel', { jobId: importing })}>
            Cancel import
          </button>
        </div>
      )}
      {report && (
        <div className="banner info" role="status" data-testid="import-report">
          {report}
        </div>
      )}
      {total === 0 && !importing ? (
        <EmptyState title={query ? 'No photos match' : 'Your library is empty'}>
          {!query && <p>Type the path of a folder with your scans above and press Import. Originals are never changed.</p>}
        </EmptyState>
      ) : (
        <>
          <p className="muted" data-testid="photo-count">
            {total} photo{total === 1 ? '' : 's'}
          </p>
          <ul className="grid" aria-label="Photos">
            {photos.map((p) => (
              <li key={p.id} className={selected.has(p.id) ? 'cell selected' : 'cell'} data-photo-id={p.id}>
                <button className="cell-button" onClick={(e) => toggle(p.id, e.ctrlKey || e.metaKey || e.shiftKey)} onDoubleClick={() => onRestore([p.id])} aria-pressed={selected.has(p.id)} title={p.fileName}>
                  <img src={api.mediaUrl({ kind: 'photo', id: p.id, size: 'thumb' })} alt={p.fileName} loading="lazy" />
                  <span className="cell-name">{p.fileName}</span>
                  {p.versionCount > 0 && <span className="badge">{p.versionCount}</span>}
                  {p.missing && <span className="badge warn">missing</span>}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
