/**
 * People: everyone the library has found, most photographed first, paged.
 * Find people runs the background job over the photos not yet looked at
 * (progress, ETA, cancel; a later run goes on where it stopped). Names are
 * edited on each card; two picked people merge into one; opening a person
 * shows their faces (to split the group) and their photos in the Library.
 * "Same person?" offers groups whose faces look alike, to merge or tell apart.
 */
import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../../api/context.js';
import { ErrorNotice, EmptyState } from '../../components/ui/Notice.js';
import { ProgressBar } from '../../components/ui/ProgressBar.js';
import type { PersonInfo } from '../../../electron/shared/contract/people.js';
import { PersonCard } from './PersonCard.js';
import { PersonFaces } from './PersonFaces.js';
import { SameSuggestions } from './SameSuggestions.js';
import { useFindPeople } from './use-find-people.js';
import './people.css';

const PAGE = 60;

export function PeopleView({ onShowPhotos }: { onShowPhotos(person: { personId: number; name: string | null }): void }) {
  const api = useApi();
  const [error, setError] = useState<unknown>(null);
  const onError = useCallback((e: unknown) => setError(e), []);
  const [people, setPeople] = useState<PersonInfo[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [pages, setPages] = useState(1);
  const [query, setQuery] = useState('');
  const [picked, setPicked] = useState<number[]>([]);
  const [open, setOpen] = useState<number | null>(null);
  /** Bumped when the people change, so the suggestions are asked again. */
  const [changes, setChanges] = useState(0);
  const find = useFindPeople(onError);

  const load = useCallback(() => {
    api
      .call('people.list', { offset: 0, limit: Math.min(500, PAGE * pages), query })
      .then((r) => {
        setPeople(r.people);
        setTotal(r.total);
        setPicked((p) => p.filter((id) => r.people.some((x) => x.personId === id)));
        setChanges((n) => n + 1);
      })
      .catch(onError);
  }, [api, pages, query, onError]);
  useEffect(load, [load]);
  useEffect(() => api.on('library.changed', (c) => (c.entity === 'people' || c.entity === 'all') && load()), [api, load]);

  const act = async (f: () => Promise<unknown>) => {
    try {
      await f();
      load();
    } catch (e) {
      onError(e);
    }
  };
  const merge = () => {
    const [into, from] = picked;
    if (into === undefined || from === undefined) return;
    void act(async () => {
      await api.call('people.merge', { into, from });
      setPicked([]);
    });
  };

  return (
    <div className="people-view" data-testid="people-view">
      <div className="toolbar">
        <input className="search" type="search" placeholder="Search names" aria-label="Search people by name" value={query} onChange={(e) => setQuery(e.target.value)} />
        {find.jobId ? (
          <button className="secondary" onClick={() => void find.cancel()}>
            Stop finding people
          </button>
        ) : (
          <button onClick={() => void find.start()} title="Look for faces in every photo not looked at yet, and group them into people">
            Find people
          </button>
        )}
        <button disabled={picked.length !== 2} onClick={merge} title="Pick two people, then merge them into one">
          Merge {picked.length === 2 ? 'the two picked' : 'two picked people'}
        </button>
        <span className="muted">{total === null ? '' : `${total} ${total === 1 ? 'person' : 'people'}`}</span>
      </div>
      {find.jobId && <ProgressBar progress={find.progress} label="Finding people" />}
      {find.outcome && (
        <div className="banner info" role="status">
          <span>{find.outcome}</span>
        </div>
      )}
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
      {!find.jobId && <SameSuggestions onError={onError} version={changes} />}
      {open !== null && <PersonFaces key={open} personId={open} others={people} onClose={() => setOpen(null)} onShowPhotos={onShowPhotos} onError={onError} />}
      {total === 0 && !query ? (
        <EmptyState title="No people yet">
          <p>Find people looks for faces in your photos and groups the faces of each person. It runs in the background; you can stop it and go on later.</p>
        </EmptyState>
      ) : (
        <ul className="people-grid" aria-label="People">
          {people.map((p) => (
            <PersonCard
              key={p.personId}
              person={p}
              picked={picked.includes(p.personId)}
              onPick={(on) => setPicked((cur) => (on ? [...cur.filter((x) => x !== p.personId), p.personId].slice(-2) : cur.filter((x) => x !== p.personId)))}
              onRename={(name) => void act(() => api.call('people.rename', { personId: p.personId, name }))}
              onOpen={() => setOpen(p.personId)}
            />
          ))}
        </ul>
      )}
      {total !== null && people.length < total && people.length < 500 && (
        <button className="secondary" onClick={() => setPages((n) => n + 1)}>
          Show more people
        </button>
      )}
    </div>
  );
}
