/**
 * A batch as it runs: every photo with its thumbnail, state and progress,
 * the batch's ETA, Pause / Resume / Cancel, and every result as a strip of
 * before/after pairs; a click on a pair opens it full size beside its
 * original.
 */
import { useState } from 'react';
import { useApi } from '../../api/context.js';
import { ErrorNotice } from '../../components/ui/Notice.js';
import { formatDuration } from '../../../electron/shared/eta.js';
import type { BatchItem } from '../../../electron/shared/contract/batch.js';
import { FullSizeViewer, type ViewerSide } from '../photo/FullSizeViewer.js';
import type { BatchRun } from './use-batch.js';

type Pictures = { before: ViewerSide; after: ViewerSide | null; thumb: string };

export function BatchPane({ batch }: { batch: BatchRun }) {
  const api = useApi();
  const [open, setOpen] = useState<number | null>(null);
  if (batch.state === 'idle') return null;
  const pictures = (item: BatchItem): Pictures => {
    if (item.photoId !== undefined) {
      const before = { preview: api.mediaUrl({ kind: 'photo', id: item.photoId, size: 'preview' }), full: api.mediaUrl({ kind: 'photo', id: item.photoId, size: 'full' }), label: `Original — ${item.name}` };
      const after = item.versionId !== undefined ? { preview: api.mediaUrl({ kind: 'version', id: item.versionId, size: 'preview' }), full: api.mediaUrl({ kind: 'version', id: item.versionId, size: 'full' }), label: `Restored — ${item.name}` } : null;
      return { before, after, thumb: api.mediaUrl({ kind: 'photo', id: item.photoId, size: 'thumb' }) };
    }
    const pic = (id: number | undefined, label: string): ViewerSide | null => (id !== undefined ? { preview: api.mediaUrl({ kind: 'preview', id, size: 'full' }), full: api.mediaUrl({ kind: 'preview', id, size: 'full' }), label } : null);
    const before = pic(item.beforeId, `Original — ${item.name}`);
    return { before: before ?? { preview: '', full: '', label: item.name }, after: pic(item.afterId, `Restored — ${item.output ?? item.name}`), thumb: before?.preview ?? '' };
  };
  const done = batch.items.filter((i) => i.state === 'done');
  const running = batch.jobId !== null;
  const finished = batch.items.filter((i) => i.state === 'done' || i.state === 'failed').length;
  const shown = open !== null ? batch.items[open] : undefined;
  const shownPictures = shown ? pictures(shown) : null;
  return (
    <section className="card batch" data-testid="batch" aria-label="Batch">
      <div className="row">
        <h2>
          Batch: {batch.items.length} photo{batch.items.length === 1 ? '' : 's'}
        </h2>
        <span className="muted" data-testid="batch-summary">
          {finished} of {batch.items.length} done
          {running && batch.state !== 'paused' ? ` · about ${formatDuration(batch.etaSeconds)} left` : ''}
          {batch.state === 'paused' ? ' · paused' : batch.pausing ? ' · pausing after this photo' : ''}
        </span>
        <span className="spacer" />
        {running && batch.state !== 'paused' && !batch.pausing && (
          <button className="secondary small" onClick={() => void batch.pause()}>
            Pause
          </button>
        )}
        {running && (batch.state === 'paused' || batch.pausing) && (
          <button className="small" onClick={() => void batch.resume()}>
            Resume
          </button>
        )}
        {running && (
          <button className="secondary small" onClick={() => void batch.cancel()}>
            Cancel batch
          </button>
        )}
        {!running && (
          <button className="link small" onClick={batch.clear}>
            Clear
          </button>
        )}
      </div>
      {batch.outcome && (
        <div className="banner info" role="status" data-testid="batch-outcome">
          {batch.outcome}
        </div>
      )}
      <ErrorNotice error={batch.error} />
      <ol className="batch-items" aria-label="Photos in the batch">
        {batch.items.map((item, i) => {
          const p = pictures(item);
          return (
            <li key={i} className={`batch-item ${item.state}`} data-state={item.state} data-testid="batch-item">
              {p.thumb ? <img src={p.thumb} alt="" className="batch-thumb" /> : <span className="batch-thumb" />}
              <div className="batch-item-body">
                <div className="row">
                  <strong className="batch-name">{item.name}</strong>
                  <span className={`badge ${item.state}`}>{item.state}</span>
                  {item.seconds !== undefined && <span className="muted small">{formatDuration(item.seconds)}</span>}
                </div>
                <div className="progress-track" role="progressbar" aria-label={`${item.name} progress`} aria-valuenow={Math.round(item.fraction * 100)} aria-valuemin={0} aria-valuemax={100}>
                  <div className="progress-fill" style={{ width: `${Math.round(item.fraction * 100)}%` }} />
                </div>
                {item.error && <div className="error-text small">{item.error}</div>}
                {item.notes?.map((n) => (
                  <div key={n} className="muted small">
                    {n}
                  </div>
                ))}
                {item.output && <div className="mono small">{item.output}</div>}
              </div>
            </li>
          );
        })}
      </ol>
      {done.length > 0 && (
        <>
          <h3 className="small">Results — click one to see it full size beside its original</h3>
          <div className="result-strip" data-testid="result-strip">
            {batch.items.map((item, i) => {
              if (item.state !== 'done') return null;
              const p = pictures(item);
              return (
                <button key={i} className="result-pair" aria-label={`Open ${item.name} full size`} onClick={() => setOpen(i)}>
                  <img src={p.thumb} alt={`${item.name} before`} />
                  {p.after && <img src={item.versionId !== undefined ? api.mediaUrl({ kind: 'version', id: item.versionId, size: 'thumb' }) : p.after.preview} alt={`${item.name} after`} />}
                </button>
              );
            })}
          </div>
        </>
      )}
      {shown && shownPictures?.after && <FullSizeViewer title={shown.name} before={shownPictures.before} after={shownPictures.after} onClose={() => setOpen(null)} />}
    </section>
  );
}
