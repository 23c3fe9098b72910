/**
 * Export of the original or one version through the library.export job:
 * into a folder (typed, or chosen with Browse, which works in browser mode too), as
 * JPEG / PNG / WebP / TIFF / AVIF at a quality. EXIF and ICC are kept and
 * existing files are never overwritten (the service adds " (2)").
 */
import { useState } from 'react';
import { useJob } from '../../api/use-job.js';
import { ProgressBar } from '../../components/ui/ProgressBar.js';
import { ErrorNotice } from '../../components/ui/Notice.js';
import { FolderField } from '../../components/ui/FolderField.js';
import type { PhotoDetails, VersionInfo } from '../../../electron/shared/contract/library.js';
import type { Pick } from './VersionStack.js';
import { FormatFields, type ExportFormat } from './FormatFields.js';


/** Remembered for the session so exporting several photos is quick. */
let lastFolder = '';

export function ExportPanel({ photo, versions, initial }: { photo: PhotoDetails; versions: VersionInfo[]; initial: Pick }) {
  const exporting = useJob();
  const [what, setWhat] = useState<string>(String(initial));
  const [folder, setFolder] = useState(lastFolder);
  const [format, setFormat] = useState<ExportFormat>('jpeg');
  const [quality, setQuality] = useState(92);
  const [written, setWritten] = useState<string[] | null>(null);
  const [skipped, setSkipped] = useState<Array<{ path: string; reason: string }>>([]);
  const [error, setError] = useState<unknown>(null);

  const run = async () => {
    setError(null);
    setWritten(null);
    lastFolder = folder.trim();
    const item = what === 'photo' ? { kind: 'photo' as const, id: photo.id } : { kind: 'version' as const, id: Number(what) };
    try {
      const r = await exporting.run('library.export', { items: [item], folder: folder.trim(), format, quality });
      setWritten(r.written.map((w) => w.path));
      setSkipped(r.skipped);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section className="photo-panel" aria-label="Export">
      <h3>Export</h3>
      <form
        className="export-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (folder.trim()) void run();
        }}
      >
        <label className="field">
          <span>What</span>
          <select aria-label="What to export" value={what} onChange={(e) => setWhat(e.target.value)}>
            <option value="photo">Original</option>
            {versions.map((v) => (
              <option key={v.id} value={String(v.id)}>
                {v.label}
              </option>
            ))}
          </select>
        </label>
        <FolderField label="Export folder" browseLabel="Choose the folder" value={folder} onChange={setFolder} placeholder="/home/me/Pictures/restored" />
        <div className="row">
          <FormatFields format={format} quality={quality} onFormat={setFormat} onQuality={setQuality} />
          <button type="submit" disabled={!folder.trim() || !!exporting.jobId}>
            Export
          </button>
        </div>
      </form>
      {exporting.jobId && <ProgressBar progress={exporting.progress} label="Export" />}
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
      {written && (
        <div className="banner info" role="status" data-testid="export-result">
          <div>
            {written.length ? (
              <>
                Exported to <span className="mono">{written.join(', ')}</span>
              </>
            ) : (
              'Nothing was written.'
            )}
            {skipped.map((s) => (
              <div key={s.path} className="error-text">
                {s.path}: {s.reason}
              </div>
            ))}
          </div>
        </div>
      )}
    </section>
  );
}
