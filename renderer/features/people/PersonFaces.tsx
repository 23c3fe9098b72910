/**
 * One person's faces: the photos they are in, and splitting the group — a
 * face that is someone else goes to a new person (or to one named in the
 * list), and stays there whatever later grouping finds.
 */
import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../../api/context.js';
import type { Result } from '../../../electron/shared/contract/index.js';
import type { PersonInfo } from '../../../electron/shared/contract/people.js';

export interface PersonFacesProps {
  personId: number;
  /** Others to move a face to. */
  others: PersonInfo[];
  onClose(): void;
  onShowPhotos(person: { personId: number; name: string | null }): void;
  onError(e: unknown): void;
}

export function PersonFaces({ personId, others, onClose, onShowPhotos, onError }: PersonFacesProps) {
  const api = useApi();
  const [person, setPerson] = useState<Result<'people.get'> | null>(null);
  const load = useCallback(() => {
    api
      .call('people.get', { personId, limit: 120 })
      .then(setPerson)
      .catch((e: unknown) => {
        // The person went (merged, or its last face moved away).
        setPerson(null);
        onError(e);
        onClose();
      });
  }, [api, personId, onError, onClose]);
  useEffect(load, [load]);
  useEffect(() => api.on('library.changed', (c) => c.entity === 'people' && load()), [api, load]);

  const move = async (faceId: number, to: string) => {
    try {
      await api.call('people.moveFace', to === 'new' ? { faceId } : { faceId, personId: Number(to) });
    } catch (e) {
      onError(e);
    }
  };
  if (!person) return <p className="muted">Loading…</p>;
  const label = person.name ?? `Person ${person.personId}`;
  return (
    <section className="card person-faces" aria-label={`Faces of ${label}`}>
      <div className="toolbar">
        <h2>{label}</h2>
        <span className="muted">{person.faceCount} face(s)</span>
        <span className="spacer" />
        <button onClick={() => onShowPhotos({ personId: person.personId, name: person.name })}>Show photos</button>
        <button className="secondary" onClick={onClose}>
          Close
        </button>
      </div>
      <ul className="face-list">
        {person.faces.map((f) => (
          <li key={f.faceId} className="face-item" data-testid="person-face">
            <img src={api.mediaUrl({ kind: 'face', id: f.faceId, size: 'thumb' })} alt={`Face in photo ${f.photoId}`} loading="lazy" />
            <select aria-label={`Move face ${f.faceId}`} value="" onChange={(e) => e.target.value && void move(f.faceId, e.target.value)}>
              <option value="">{f.pinned ? 'Placed by you' : 'Not this person?'}</option>
              <option value="new">Someone else (new person)</option>
              {others
                .filter((o) => o.personId !== personId)
                .slice(0, 50)
                .map((o) => (
                  <option key={o.personId} value={String(o.personId)}>
                    {o.name ?? `Person ${o.personId}`}
                  </option>
                ))}
            </select>
          </li>
        ))}
      </ul>
    </section>
  );
}
