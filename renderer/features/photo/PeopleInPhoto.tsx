/** Who is in a photo: each face found, with the person it belongs to (named, or not yet), largest face first. */
import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../../api/context.js';
import type { Result } from '../../../electron/shared/contract/index.js';

export function PeopleInPhoto({ photoId }: { photoId: number }) {
  const api = useApi();
  const [faces, setFaces] = useState<Result<'library.photoFaces'>['faces'] | undefined>();
  const load = useCallback(() => {
    api
      .call('library.photoFaces', { photoId })
      .then((r) => setFaces(r.faces))
      .catch(() => setFaces(null));
  }, [api, photoId]);
  useEffect(load, [load]);
  useEffect(() => api.on('library.changed', (c) => (c.entity === 'people' || c.entity === 'all' || c.ids?.includes(photoId)) && load()), [api, load, photoId]);
  if (faces === undefined) return null;
  return (
    <section className="photo-panel" aria-label="People in this photo">
      <h3>People</h3>
      {faces === null ? (
        <p className="muted">Not looked at yet: People → Find people.</p>
      ) : faces.length === 0 ? (
        <p className="muted">No faces found.</p>
      ) : (
        <ul className="people-in-photo" data-testid="people-in-photo">
          {faces.map((f) => (
            <li key={f.faceId}>
              <img src={api.mediaUrl({ kind: 'face', id: f.faceId, size: 'thumb' })} alt="" />
              <span>{f.personName ?? (f.personId !== null ? `Person ${f.personId}` : 'Not grouped yet')}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
