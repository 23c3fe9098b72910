/** Facts about one photo: file, dimensions, dates, camera, colour, rating, favourite, tags, albums, hash. */
import { useState } from 'react';
import type { PhotoDetails } from '../../../electron/shared/contract/library.js';

export interface MetadataProps {
  photo: PhotoDetails;
  onRate(r: number): void;
  onFavorite(f: boolean): void;
  onTags(add: string[], remove: string[]): void;
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 ** 2).toFixed(1)} MB`;
}

export function formatDate(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso.length === 19 ? `${iso}` : iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function MetadataPanel({ photo, onRate, onFavorite, onTags }: MetadataProps) {
  const [tag, setTag] = useState('');
  return (
    <section className="photo-panel" aria-label="Photo information">
      <h3>Information</h3>
      <div className="rating-row">
        <span className="stars-input" role="group" aria-label="Rating">
          {[1, 2, 3, 4, 5].map((n) => (
            <button
              key={n}
              className={n <= photo.rating ? 'link star on' : 'link star'}
              aria-label={`Rate ${n} star${n > 1 ? 's' : ''}`}
              aria-pressed={n <= photo.rating}
              onClick={() => onRate(n === photo.rating ? 0 : n)}
            >
              ★
            </button>
          ))}
        </span>
        <button className={photo.favorite ? 'link fav on' : 'link fav'} aria-pressed={photo.favorite} aria-label="Favourite" onClick={() => onFavorite(!photo.favorite)}>
          {photo.favorite ? '♥' : '♡'}
        </button>
      </div>
      <dl className="facts" data-testid="metadata">
        <dt>File</dt>
        <dd className="wrap">{photo.fileName}</dd>
        <dt>Folder</dt>
        <dd className="wrap mono">{photo.folder}</dd>
        <dt>Dimensions</dt>
        <dd>
          {photo.width} × {photo.height}
          {photo.orientation > 1 && <span className="muted"> (EXIF orientation {photo.orientation})</span>}
        </dd>
        <dt>Format</dt>
        <dd>
          {photo.format.toUpperCase()} · {bytes(photo.sizeBytes)}
        </dd>
        <dt>Taken</dt>
        <dd>{formatDate(photo.takenAt)}</dd>
        <dt>Imported</dt>
        <dd>{formatDate(photo.importedAt)}</dd>
        <dt>Camera</dt>
        <dd>{photo.camera ?? '—'}</dd>
        <dt>Colour</dt>
        <dd>
          {photo.colorSpace} · {photo.bitDepth}-bit{photo.hasIcc ? ' · ICC profile' : ''}
          {photo.hasAlpha ? ' · alpha' : ''}
        </dd>
        <dt>Faces</dt>
        <dd>{photo.faces === null ? 'not analysed' : photo.faces}</dd>
        {photo.duplicateGroup !== null && (
          <>
            <dt>Look-alikes</dt>
            <dd>group {photo.duplicateGroup}</dd>
          </>
        )}
        <dt>Albums</dt>
        <dd>{photo.albums.length ? photo.albums.map((a) => a.name).join(', ') : '—'}</dd>
        <dt>SHA-256</dt>
        <dd className="mono hash" title={photo.sha256}>
          {photo.sha256.slice(0, 16)}…
        </dd>
      </dl>
      <div className="tags-edit" aria-label="Tags">
        {photo.tags.map((t) => (
          <span key={t} className="tag-chip">
            {t}
            <button className="link small" aria-label={`Remove tag ${t}`} onClick={() => onTags([], [t])}>
              ×
            </button>
          </span>
        ))}
        <form
          className="inline-name"
          onSubmit={(e) => {
            e.preventDefault();
            const names = tag.split(',').map((s) => s.trim()).filter(Boolean);
            if (names.length) onTags(names, []);
            setTag('');
          }}
        >
          <input aria-label="Add tag" placeholder="Add tag…" value={tag} maxLength={200} onChange={(e) => setTag(e.target.value)} />
        </form>
      </div>
    </section>
  );
}
