/** One person in the People grid: their face, name (edited in place), face count, and a box to pick them for merging. */
import { useEffect, useState } from 'react';
import { useApi } from '../../api/context.js';
import type { PersonInfo } from '../../../electron/shared/contract/people.js';

export interface PersonCardProps {
  person: PersonInfo;
  picked: boolean;
  onPick(picked: boolean): void;
  onRename(name: string | null): void;
  onOpen(): void;
}

export function PersonCard({ person, picked, onPick, onRename, onOpen }: PersonCardProps) {
  const api = useApi();
  const [name, setName] = useState(person.name ?? '');
  useEffect(() => setName(person.name ?? ''), [person.name]);
  const label = person.name ?? `Person ${person.personId}`;
  const save = () => {
    const next = name.trim() || null;
    if (next !== person.name) onRename(next);
  };
  return (
    <li className={picked ? 'person selected' : 'person'} data-testid="person" data-person-id={person.personId}>
      <button className="person-face" onClick={onOpen} title={`Show the faces of ${label}`} aria-label={`Open ${label}`}>
        {person.coverFaceId !== null ? <img src={api.mediaUrl({ kind: 'face', id: person.coverFaceId, size: 'thumb' })} alt={`Face of ${label}`} loading="lazy" /> : <span className="person-noface">?</span>}
      </button>
      <input
        className="person-name"
        aria-label={`Name of ${label}`}
        placeholder="Add a name"
        value={name}
        maxLength={200}
        onChange={(e) => setName(e.target.value)}
        onBlur={save}
        onKeyDown={(e) => {
          if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
          if (e.key === 'Escape') setName(person.name ?? '');
        }}
      />
      <label className="person-meta">
        <input type="checkbox" checked={picked} onChange={(e) => onPick(e.target.checked)} aria-label={`Pick ${label} to merge`} />
        <span>
          {person.faceCount} face{person.faceCount === 1 ? '' : 's'}
        </span>
      </label>
    </li>
  );
}
