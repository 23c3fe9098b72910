/** Reference photos for a personalisation: picked one by one, or a whole album or tag. */
import { useEffect, useState } from 'react';
import { useApi } from '../../api/context.js';
import type { Result } from '../../../electron/shared/contract/index.js';

export type Source = { kind: 'photos'; photoIds: number[] } | { kind: 'album'; albumId: number | null } | { kind: 'tag'; tag: string };
type Photo = Result<'library.listPhotos'>['items'][number];

export function ReferencePicker({ source, onChange, photos }: { source: Source; onChange(s: Source): void; photos: Photo[] }) {
  const api = useApi();
  const [albums, setAlbums] = useState<Result<'library.listAlbums'>['albums']>([]);
  const [tags, setTags] = useState<Result<'library.listTags'>['tags']>([]);
  useEffect(() => {
    api.call('library.listAlbums', {}).then((r) => setAlbums(r.albums)).catch(() => undefined);
    api.call('library.listTags', {}).then((r) => setTags(r.tags)).catch(() => undefined);
  }, [api]);
  const chosen = source.kind === 'photos' ? new Set(source.photoIds) : new Set<number>();
  const toggle = (id: number) => onChange({ kind: 'photos', photoIds: chosen.has(id) ? [...chosen].filter((x) => x !== id) : [...chosen, id] });
  return (
    <div className="reference-picker">
      <div className="row" role="radiogroup" aria-label="Reference photos from">
        {(['photos', 'album', 'tag'] as const).map((k) => (
          <label key={k} className="radio">
            <input type="radio" name="ref-source" checked={source.kind === k} onChange={() => onChange(k === 'photos' ? { kind: 'photos', photoIds: [] } : k === 'album' ? { kind: 'album', albumId: albums[0]?.id ?? null } : { kind: 'tag', tag: tags[0]?.name ?? '' })} />
            {k === 'photos' ? 'Chosen photos' : k === 'album' ? 'An album' : 'A tag'}
          </label>
        ))}
      </div>
      {source.kind === 'album' && (
        <select aria-label="Album" value={source.albumId ?? ''} onChange={(e) => onChange({ kind: 'album', albumId: Number(e.target.value) })}>
          {albums.length === 0 && <option value="">No albums yet</option>}
          {albums.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name} ({a.photoCount})
            </option>
          ))}
        </select>
      )}
      {source.kind === 'tag' && (
        <select aria-label="Tag" value={source.tag} onChange={(e) => onChange({ kind: 'tag', tag: e.target.value })}>
          {tags.length === 0 && <option value="">No tags yet</option>}
          {tags.map((t) => (
            <option key={t.id} value={t.name}>
              {t.name} ({t.photoCount})
            </option>
          ))}
        </select>
      )}
      {source.kind === 'photos' && (
        <>
          <p className="muted small">
            {chosen.size} chosen. Pick good, sharp photos of the people (or the kind of pictures) you want to restore — at least two: one is kept aside to check the result.
          </p>
          {photos.length === 0 && <p className="muted small">Your library is empty: import photos in the Library tab first.</p>}
          <div className="ref-grid">
            {photos.map((p) => (
              <button key={p.id} className={chosen.has(p.id) ? 'ref on' : 'ref'} aria-pressed={chosen.has(p.id)} data-testid={`ref-${p.id}`} title={p.fileName} onClick={() => toggle(p.id)}>
                <img src={api.mediaUrl({ kind: 'photo', id: p.id, size: 'thumb' })} alt={p.fileName} loading="lazy" />
              </button>
            ))}
          </div>
        </>
      )}
    </div>
  );
}
