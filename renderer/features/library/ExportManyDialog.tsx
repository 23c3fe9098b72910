/**
 * Export the selected photos at once: their preferred versions (or the
 * originals), into a folder (typed or browsed), named by a pattern, in a
 * format and quality, optionally resized to a long edge, with all, the
 * essential or no metadata. The colour profile and the resolution (dpi) are
 * always kept exactly. Existing files are never overwritten; what could not
 * be written is listed with the reason.
 */
import { useState } from 'react';
import { useJob } from '../../api/use-job.js';
import { Modal } from '../../components/ui/Modal.js';
import { FolderField } from '../../components/ui/FolderField.js';
import { ProgressBar } from '../../components/ui/ProgressBar.js';
import { ErrorNotice } from '../../components/ui/Notice.js';
import { ExportNaming } from '../../../electron/shared/contract/library.js';
import type { Result } from '../../../electron/shared/contract/index.js';
import { FormatFields, type ExportFormat } from '../photo/FormatFields.js';

type Metadata = 'all' | 'essential' | 'none';
/** What one library.export takes. */
const MAX_AT_ONCE = 10_000;

export function ExportManyDialog({ ids, onClose, onDone }: { ids: number[]; onClose(): void; onDone(message: string): void }) {
  const exporting = useJob();
  const [folder, setFolder] = useState('');
  const [originals, setOriginals] = useState(false);
  const [format, setFormat] = useState<ExportFormat>('jpeg');
  const [quality, setQuality] = useState(92);
  const [naming, setNaming] = useState('{n} {name}');
  const [resize, setResize] = useState(false);
  const [longEdge, setLongEdge] = useState('2048');
  const [metadata, setMetadata] = useState<Metadata>('all');
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<Result<'library.export'> | null>(null);

  const run = async () => {
    setError(null);
    setResult(null);
    const named = ExportNaming.safeParse(naming);
    if (!folder.trim()) return setError('Choose the folder to export into.');
    if (ids.length > MAX_AT_ONCE) return setError(`Export at most ${MAX_AT_ONCE.toLocaleString('en')} photos at once; select fewer (an album or a filter helps).`);
    if (!named.success) return setError(named.error.issues[0]?.message ?? 'That naming pattern cannot be used');
    const edge = Number(longEdge);
    if (resize && (!Number.isInteger(edge) || edge < 16 || edge > 100_000)) return setError('Resize to a whole number of pixels from 16 to 100000 on the long side.');
    try {
      const r = await exporting.run('library.export', {
        photoIds: ids,
        originals,
        folder: folder.trim(),
        format,
        quality,
        naming: named.data,
        metadata,
        ...(resize ? { longEdge: edge } : {}),
      });
      setResult(r);
      onDone(`Exported ${r.written.length} of ${ids.length} photo(s)${r.skipped.length ? `, ${r.skipped.length} not` : ''}`);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <Modal title={`Export ${ids.length} photo${ids.length === 1 ? '' : 's'}`} onClose={onClose} wide>
      <form
        className="export-many"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <FolderField label="Export folder" value={folder} onChange={setFolder} placeholder="/home/me/Pictures/restored" />
        <div className="row">
          <label className="field inline">
            <span>What</span>
            <select aria-label="What to export" value={originals ? 'originals' : 'preferred'} onChange={(e) => setOriginals(e.target.value === 'originals')}>
              <option value="preferred">Preferred versions (originals where there is none)</option>
              <option value="originals">Originals</option>
            </select>
          </label>
          <label className="field inline">
            <span>Naming ({'{name} {version} {n} {date}'})</span>
            <input aria-label="File names" value={naming} onChange={(e) => setNaming(e.target.value)} />
          </label>
        </div>
        <div className="row">
          <FormatFields format={format} quality={quality} onFormat={setFormat} onQuality={setQuality} />
          <label className="field inline">
            <input type="checkbox" aria-label="Resize" checked={resize} onChange={(e) => setResize(e.target.checked)} /> <span>Resize to</span>
          </label>
          <input className="narrow" aria-label="Long edge pixels" disabled={!resize} value={longEdge} onChange={(e) => setLongEdge(e.target.value)} />
          <span className="muted small">px on the long side (never enlarged)</span>
        </div>
        <div className="row">
          <label className="field inline">
            <span>Metadata</span>
            <select aria-label="Metadata" value={metadata} onChange={(e) => setMetadata(e.target.value as Metadata)}>
              <option value="all">All (EXIF, XMP, IPTC)</option>
              <option value="essential">Essential (dates, camera, author, copyright)</option>
              <option value="none">None</option>
            </select>
          </label>
          <span className="muted small">The colour profile and the resolution (dpi) are always kept.</span>
        </div>
        <div className="modal-actions">
          <button type="button" className="secondary" onClick={onClose}>
            {result ? 'Close' : 'Cancel'}
          </button>
          {exporting.jobId ? (
            <button type="button" className="secondary" onClick={() => void exporting.cancel()}>
              Stop
            </button>
          ) : (
            <button type="submit">Export</button>
          )}
        </div>
      </form>
      {exporting.jobId && <ProgressBar progress={exporting.progress} label="Export" />}
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
      {result && (
        <div className="banner info" role="status" data-testid="export-many-result">
          <div>
            {result.written.length} file{result.written.length === 1 ? '' : 's'} written
            {result.written[0] ? (
              <>
                {' '}
                to <span className="mono">{result.written[0].path.replace(/[/\\][^/\\]*$/, '')}</span>
              </>
            ) : null}
            .
            <ul className="written">
              {result.written.map((w) => (
                <li key={w.path} className="mono small">
                  {w.path.replace(/^.*[/\\]/, '')}
                </li>
              ))}
            </ul>
            {result.skipped.map((s) => (
              <div key={s.path} className="error-text">
                {s.path}: {s.reason}
              </div>
            ))}
          </div>
        </div>
      )}
    </Modal>
  );
}
